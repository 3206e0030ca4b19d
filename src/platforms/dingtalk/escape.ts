// User text inside DingTalk markdown (robot markdown / actionCard text, the card template's `content`).
import { defuseMarkdown } from "../shared/zero-width.ts";

/**
 * What DingTalk's markdown subset interprets: links and images ([]() incl. dtmd:// and dingtalk:// schemes),
 * bold / italic, headings, quotes, lists, inline HTML such as <font>, and entities. DingTalk documents no
 * escape syntax, so every one of these characters is defused instead.
 */
const SYNTAX = /[[\]`*_~|\\]|<(?=[A-Za-z/!?@])|&(?=[#A-Za-z])|:(?=\/)/g;

/** `text` as it reads, never as DingTalk markup. */
export const escapeDingTalkText = (text: string): string => defuseMarkdown(text, SYNTAX);
