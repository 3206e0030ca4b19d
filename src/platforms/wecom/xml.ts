// Safe parsing of WeCom callback XML: no DTDs, no entity expansion, every value a string.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { WebhookError } from "../errors.ts";

/** Child elements that may repeat and must always come back as arrays (template card selections). */
const REPEATED = new Set(["SelectedItem", "OptionId"]);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

export type XmlRecord = { [name: string]: string | XmlRecord | XmlRecord[] | string[] };

/** Refuses text that declares a DTD or an entity outside CDATA: a linear scan, no parser. */
export function refuseDtd(text: string): void {
  const outsideCdata = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(outsideCdata)) throw new WebhookError("malformed", "XML declares a DTD");
}

/**
 * Parses a `<xml>…</xml>` document into its root element. Anything that declares a DTD or an entity (outside
 * CDATA, where such text is only text) is refused before the parser sees it, so entity-expansion attacks
 * (billion laughs, external entities) never run.
 */
export function parseWeComXml(text: string): XmlRecord {
  refuseDtd(text);
  let document: unknown;
  try {
    if (XMLValidator.validate(text) !== true) throw new WebhookError("malformed", "not well-formed XML");
    document = parser.parse(text);
  } catch (error) {
    if (error instanceof WebhookError) throw error;
    // The parser recurses per level: absurd nesting ends in a RangeError, which is the sender's fault.
    throw new WebhookError("malformed", "XML could not be parsed", { cause: error });
  }
  const root = (document as { xml?: unknown } | undefined)?.xml;
  if (typeof root !== "object" || root === null || Array.isArray(root))
    throw new WebhookError("malformed", "no <xml> root element");
  return root as XmlRecord;
}

/** The text of a direct child element, or undefined when it is absent or not plain text. */
export function xmlText(record: XmlRecord, name: string): string | undefined {
  const value = record[name];
  return typeof value === "string" ? value : undefined;
}
