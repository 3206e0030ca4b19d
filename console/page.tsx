// GET /console: the chat page's markup; console.js fills it from the console API and keeps it current.
import { raw } from "hono/html";
import { PLATFORMS, type PlatformId } from "../src/chat/events.ts";
import type { UI_STRINGS } from "./ui-strings.ts";

type UiStrings = typeof UI_STRINGS;
type UiStringKey = keyof UiStrings["zh"];

/** The page in Chinese first; console.js switches every `data-i18n` element with the language. */
export function ConsolePage(props: { platforms: readonly PlatformId[]; strings: UiStrings; token: string }) {
  const zh = props.strings.zh;
  const Text = (text: { name: UiStringKey }) => <span data-i18n={text.name}>{zh[text.name]}</span>;
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="console-token" content={props.token} />
        <title>{zh.title}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script id="ui-strings" type="application/json">
          {raw(JSON.stringify(props.strings).replace(/</g, "\\u003c"))}
        </script>
      </head>
      <body data-platform={props.platforms[0] ?? "lark"}>
        <header class="topbar">
          <h1>
            <Text name="title" />
          </h1>
          <p class="subtitle">
            <Text name="subtitle" />
          </p>
          <button id="language" type="button" data-i18n="switchLanguage">
            {zh.switchLanguage}
          </button>
        </header>
        <div class="layout">
          <aside class="sidebar">
            <fieldset class="platforms">
              <legend>
                <Text name="platform" />
              </legend>
              {PLATFORMS.map((platform) => (
                <label class="platform-choice">
                  <input
                    type="radio"
                    name="platform"
                    value={platform}
                    checked={platform === (props.platforms[0] ?? "lark")}
                    disabled={!props.platforms.includes(platform)}
                  />
                  <Text name={platform} />
                </label>
              ))}
            </fieldset>
            <label for="group">
              <Text name="group" />
            </label>
            <select id="group" />
            <label for="person">
              <Text name="person" />
            </label>
            <select id="person" />
            <section class="jobs" aria-labelledby="jobs-title">
              <h2 id="jobs-title">
                <Text name="jobs" />
              </h2>
              <button id="run-digest" type="button" data-i18n="runDigest">
                {zh.runDigest}
              </button>
              <label for="sweep-at">
                <Text name="sweepAt" />
              </label>
              <input id="sweep-at" type="datetime-local" />
              <button id="run-sweep" type="button" data-i18n="runSweep">
                {zh.runSweep}
              </button>
              <p id="job-status" role="status" />
            </section>
            <p class="hint">
              <Text name="hint" />
            </p>
          </aside>
          <main class="chat">
            <h2 id="chat-title">{zh.messages}</h2>
            <ol
              id="messages"
              role="log"
              aria-live="polite"
              aria-label={zh.messages}
              data-i18n-label="messages"
            />
            <form id="composer" autocomplete="off">
              <label for="text" class="visually-hidden">
                <Text name="message" />
              </label>
              <input id="text" name="text" placeholder={zh.placeholder} data-i18n-placeholder="placeholder" />
              <button type="submit" data-i18n="send">
                {zh.send}
              </button>
            </form>
          </main>
        </div>
        <div id="toast" role="status" aria-live="polite" />
        <script type="module" src="/console/assets/console.js" />
      </body>
    </html>
  );
}
