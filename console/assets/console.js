// The console page's script: pick platform, group and person; send; draw the chat's messages and cards; poll.
const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
const POLL_MS = 800;

const $ = (id) => document.getElementById(id);
const state = { language: "zh", directory: null, revision: -1, drawn: new Map(), platform: null };

const t = (key) => STRINGS[state.language][key] ?? key;

function applyLanguage() {
  document.documentElement.lang = state.language === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const element of document.querySelectorAll("[data-i18n]"))
    element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll("[data-i18n-placeholder]"))
    element.placeholder = t(element.dataset.i18nPlaceholder);
  for (const element of document.querySelectorAll("[data-i18n-label]"))
    element.setAttribute("aria-label", t(element.dataset.i18nLabel));
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** The markdown subset the bot writes: **bold**, line breaks; everything else stays text. */
function markdown(text) {
  const block = element("div", { class: "markdown" });
  text.split("\n").forEach((line, index) => {
    if (index > 0) block.append(element("br"));
    line.split(/(\*\*[^*]+\*\*)/u).forEach((part) => {
      if (/^\*\*[^*]+\*\*$/u.test(part)) block.append(element("strong", { text: part.slice(2, -2) }));
      else if (part) block.append(document.createTextNode(part));
    });
  });
  return block;
}

const TOAST_MS = 4000;
let toastTimer;
function showToast(text) {
  const toast = $("toast");
  toast.textContent = text;
  toast.classList.add("visible");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toast.classList.remove("visible"), TOAST_MS);
}

/** The server's token for this page: every API call carries it (the server refuses calls without it). */
const TOKEN = document.querySelector('meta[name="console-token"]').content;

async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", "x-console-token": TOKEN },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message ?? answer.error ?? String(response.status));
  return answer;
}

const where = () => ({ platform: state.platform, group: $("group").value, person: $("person").value });

async function sendText(text) {
  try {
    await api("/console/api/messages", { ...where(), text });
    await refresh();
  } catch (error) {
    showToast(`${t("sendFailed")}: ${error.message}`);
  }
}

async function click(messageId, action, form = {}) {
  if (action.kind === "message") return sendText(action.text);
  try {
    const answer = await api("/console/api/clicks", { ...where(), messageId, data: action.data, form });
    if (answer.toast) showToast(answer.toast);
    await refresh();
  } catch (error) {
    showToast(`${t("sendFailed")}: ${error.message}`);
  }
}

function button(spec, onClick) {
  const node = element("button", {
    type: onClick ? "button" : "submit",
    class: `card-button ${spec.style}`,
    text: spec.label,
    disabled: !spec.click,
  });
  if (onClick)
    node.addEventListener("click", () => {
      if (spec.confirm && !window.confirm(spec.confirm)) return;
      onClick();
    });
  return node;
}

function input(messageId, spec) {
  const id = `in-${messageId}-${spec.name}`;
  let field;
  if (spec.type === "select") {
    field = element("select", { id, name: spec.name, required: spec.required }, [
      element("option", { value: "", text: spec.placeholder ?? "—" }),
      ...(spec.options ?? []).map((option) =>
        element("option", {
          value: option.value,
          text: option.label,
          selected: option.value === spec.initial,
        }),
      ),
    ]);
  } else {
    field = element("input", {
      id,
      name: spec.name,
      type: spec.type === "date" ? "date" : "text",
      inputmode: spec.type === "number" ? "numeric" : undefined,
      required: spec.required,
      placeholder: spec.placeholder,
      value: spec.initial,
    });
  }
  return element("div", { class: "form-row" }, [element("label", { for: id, text: spec.label }), field]);
}

function card(messageId, view) {
  const title = view.title ?? "";
  const node = element("article", { class: `card color-${view.color}`, "aria-label": title || undefined });
  if (title) node.append(element("header", { class: "card-title", text: title }));
  const body = element("div", { class: "card-body" });
  if (view.fields.length) {
    const fields = element("dl", { class: "fields" });
    for (const field of view.fields)
      fields.append(
        element("div", { class: "field" }, [
          element("dt", { text: field.label }),
          element("dd", { text: field.value }),
        ]),
      );
    body.append(fields);
  }
  if (view.markdown) body.append(markdown(view.markdown));
  if (view.form) {
    const form = element(
      "form",
      { class: "card-form" },
      view.form.inputs.map((spec) => input(messageId, spec)),
    );
    form.append(button(view.form.submit));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = {};
      for (const [name, value] of new FormData(form)) if (value !== "") values[name] = String(value);
      if (view.form.submit.click) click(messageId, view.form.submit.click, values);
    });
    body.append(form);
  }
  if (view.buttons.length) {
    body.append(
      element(
        "div",
        { class: "card-buttons" },
        view.buttons.map((spec) => button(spec, spec.click && (() => click(messageId, spec.click)))),
      ),
    );
  }
  if (view.note) body.append(element("p", { class: "note", text: view.note }));
  node.append(body);
  return node;
}

function messageItem(message) {
  const who = message.from === "bot" ? t("bot") : message.author;
  const content =
    message.view.kind === "card"
      ? card(message.id, message.view.card)
      : element("div", { class: "bubble" }, [markdown(message.view.text)]);
  return element("li", { class: `message from-${message.from}`, "data-id": message.id }, [
    element("div", { class: "author", text: who }),
    content,
    message.toast && element("p", { class: "toast-line", text: message.toast }),
  ]);
}

async function refresh() {
  const { platform } = state;
  const group = $("group").value;
  if (!platform || !group) return;
  const chat = await api(`/console/api/chats/${platform}/${group}`);
  if (platform !== state.platform || group !== $("group").value || chat.revision === state.revision) return;
  state.revision = chat.revision;
  const list = $("messages");
  let added = false;
  for (const message of chat.messages) {
    const drawn = state.drawn.get(message.id);
    if (drawn?.revision === message.revision) continue;
    const item = messageItem(message);
    if (drawn) drawn.node.replaceWith(item);
    else {
      list.append(item);
      added = true;
    }
    state.drawn.set(message.id, { revision: message.revision, node: item });
  }
  if (added) list.lastElementChild?.scrollIntoView({ block: "end" });
}

function switchChat() {
  state.platform = document.querySelector("input[name=platform]:checked")?.value ?? null;
  document.body.dataset.platform = state.platform ?? "";
  state.revision = -1;
  state.drawn.clear();
  $("messages").replaceChildren();
  const group = state.directory.groups.find((entry) => entry.key === $("group").value);
  $("chat-title").textContent = group ? `${t(state.platform)} · ${group.title}` : "";
  refresh().catch((error) => showToast(error.message));
}

async function runJob(name, at) {
  $("job-status").textContent = "…";
  try {
    const outcome = await api(`/console/api/jobs/${name}`, at ? { at } : {});
    $("job-status").textContent = `${t("jobDone")}: ${outcome.summary}`;
  } catch (error) {
    $("job-status").textContent = `${t("jobFailed")}: ${error.message}`;
  }
  await refresh();
}

async function start() {
  state.directory = await api("/console/api/directory");
  for (const group of state.directory.groups)
    $("group").append(element("option", { value: group.key, text: group.title }));
  for (const person of state.directory.people)
    $("person").append(
      element("option", { value: person.key, text: `${person.name} · ${person.roles.join(", ")}` }),
    );
  for (const radio of document.querySelectorAll("input[name=platform]"))
    radio.addEventListener("change", switchChat);
  $("group").addEventListener("change", switchChat);
  $("language").addEventListener("click", () => {
    state.language = state.language === "zh" ? "en" : "zh";
    applyLanguage();
    switchChat();
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    sendText(text);
  });
  $("run-digest").addEventListener("click", () => runJob("kpi-digest"));
  $("run-sweep").addEventListener("click", () => {
    const value = $("sweep-at").value;
    runJob("overdue-sweep", value ? new Date(value).toISOString() : undefined);
  });
  switchChat();
  setInterval(() => refresh().catch(() => undefined), POLL_MS);
}

start().catch((error) => showToast(error.message));
