// Self-mentoring walkthroughs: the program as mentor, private to the person walking through.
//   #/walk       choose a framework and start; my walkthroughs, to resume or delete
//   #/walk/ID    the guide's question, "Your answer", Answer / Back / Skip / Pause, the stage strip;
//                the support card (role="alert") when the risk check fires; the plan when finished.

import { api, ApiError, get, post } from "./api.js";
import { announce, formatDate, h, mount, uid } from "./dom.js";

const STATUS_TEXT = { active: "In progress", paused: "Paused", support: "Paused for support", finished: "Finished" };
const base = (id) => `/api/walkthroughs/${encodeURIComponent(id)}`;

function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

async function remove(path) {
  const response = await fetch(path, {
    method: "DELETE",
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRF-Token": readCookie("empowerer_csrf") },
  });
  if (!response.ok) {
    const body = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
    throw new ApiError(response.status, (body && typeof body.detail === "string") ? body.detail : `The server answered ${response.status}.`);
  }
}

export const walkApi = {
  list: () => get("/api/walkthroughs"),
  read: (id) => get(base(id)),
  create: (framework) => post("/api/walkthroughs", { framework }),
  answer: (id, text) => post(`${base(id)}/answers`, { text }),
  move: (id, what) => post(`${base(id)}/${what}`, {}),
  remove: (id) => remove(base(id)),
};

/** An inline "are you sure?" (no browser dialog): Delete -> Yes, delete / Cancel. */
function confirmDelete(label, onConfirm) {
  const status = h("p", { class: "form-error", role: "alert" });
  const ask = h("div", { class: "confirm", hidden: true },
    h("p", { text: "Delete this walkthrough for good? Your answers and plan will be removed from the server." }));
  const yes = h("button", { type: "button", class: "danger", text: "Yes, delete it" });
  const no = h("button", { type: "button", text: "Cancel" });
  const trigger = h("button", { type: "button", class: "danger", text: label });
  trigger.addEventListener("click", () => { ask.hidden = false; trigger.hidden = true; yes.focus(); });
  no.addEventListener("click", () => { ask.hidden = true; trigger.hidden = false; trigger.focus(); });
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await onConfirm();
    } catch (error) {
      status.textContent = error.message;
      yes.disabled = false;
    }
  });
  ask.append(h("div", { class: "confirm-actions" }, yes, no));
  return h("div", { class: "delete-box" }, trigger, ask, status);
}

// -- #/walk ---------------------------------------------------------------------------------

export async function renderWalkStart(main) {
  document.title = "Self-mentoring — Empowerer";
  mount(main, h("p", { class: "loading", role: "status", text: "Loading…" }));
  const [frameworks, mine] = await Promise.all([api.frameworks(), walkApi.list()]);
  const heading = h("h1", { tabindex: "-1", text: "Self-mentoring" });
  const error = h("p", { class: "form-error", role: "alert" });
  const choices = h("div", { class: "walk-frameworks" });
  frameworks.forEach((fw, i) => {
    const id = uid("walk-fw");
    choices.append(h("div", { class: "walk-choice" },
      h("input", { type: "radio", name: "framework", id, value: fw.id, checked: i === 0, class: "card-radio" }),
      h("label", { for: id, class: "card walk-card" },
        h("span", { class: "card-title", text: fw.name }),
        h("span", { class: "card-summary", text: fw.description || "" }))));
  });
  const startButton = h("button", { type: "submit", class: "primary big", text: "Start walkthrough" });
  const form = h("form", { class: "walk-start", novalidate: true },
    h("fieldset", {}, h("legend", { text: "Choose a framework" }), choices),
    startButton, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector("input[name=framework]:checked");
    if (!chosen) { error.textContent = "Choose a framework first."; return; }
    startButton.disabled = true;
    try {
      const walk = await walkApi.create(chosen.value);
      window.location.hash = `#/walk/${encodeURIComponent(walk.id)}`;
    } catch (e) {
      error.textContent = e.message;
      startButton.disabled = false;
    }
  });

  const list = h("ul", { class: "walk-list" });
  for (const walk of mine) list.append(walkListItem(walk));
  const listSection = h("section", { class: "walk-mine", "aria-labelledby": "walk-mine-h" },
    h("h2", { id: "walk-mine-h", text: "My walkthroughs" }),
    mine.length ? list : h("p", { class: "muted", text: "None yet. Your walkthroughs will appear here so you can come back to them." }));

  mount(main, heading,
    h("p", { class: "lede", text: "The program is your mentor: it walks you through a framework's stages, asks its questions, says back what it hears and never tells you what to do. You end with your own plan." }),
    h("p", { class: "privacy-note", text: "Private by design: only you can open your walkthroughs — no facilitator and no administrator can see them. You can download or delete them at any time." }),
    form, listSection);
  return heading;
}

function walkListItem(walk) {
  const item = h("li", { class: "walk-item" });
  const title = `${walk.framework.name}: ${walk.goal || "no goal written yet"}`;
  const open = h("a", { class: "button-link", href: `#/walk/${encodeURIComponent(walk.id)}`,
    text: walk.status === "finished" ? "Open plan" : "Resume", "aria-label": `${walk.status === "finished" ? "Open plan" : "Resume"}: ${title}` });
  item.append(
    h("div", { class: "walk-item-text" },
      h("span", { class: "walk-item-title", text: title }),
      h("span", { class: "muted", text: `${STATUS_TEXT[walk.status] || walk.status} · ${walk.stage_title} · ${formatDate(walk.updated_at)}` })),
    h("div", { class: "walk-item-actions" }, open,
      confirmDelete("Delete", async () => {
        await walkApi.remove(walk.id);
        item.remove();
        announce("Walkthrough deleted.");
      })));
  return item;
}

// -- #/walk/ID --------------------------------------------------------------------------------

function stageStrip(walk) {
  const list = h("ol", { class: "stage-strip walk-strip" });
  const order = walk.stages.findIndex((s) => s.id === walk.stage);
  walk.stages.forEach((st, i) => {
    const current = st.id === walk.stage;
    list.append(h("li", { class: `${current ? "current" : ""}${i < order ? " done" : ""}`.trim(), "aria-current": current ? "step" : null, dataset: { stage: st.id } },
      h("span", { class: "stage-num", "aria-hidden": "true", text: String(i + 1) }),
      h("span", { class: "stage-name", text: st.title }),
      current ? h("span", { class: "visually-hidden", text: " (current stage)" }) : null));
  });
  return h("nav", { class: "stages", "aria-label": "Walkthrough stages" }, list);
}

function messageList(walk) {
  const log = h("ol", { class: "log walk-log", role: "log", "aria-label": "Conversation" });
  for (const m of walk.messages) {
    const guide = m.speaker === "guide";
    log.append(h("li", { class: `msg ${guide ? "msg-mentee" : "msg-mentor"}` },
      h("div", { class: "bubble" },
        h("span", { class: "msg-who", text: guide ? "Guide" : "You" }),
        h("p", { class: "msg-text", text: m.text }))));
  }
  return log;
}

function supportCard(card, onCarryOn) {
  const services = h("ul", { class: "support-services" });
  for (const s of card.services || []) {
    services.append(h("li", {},
      h("strong", { class: "support-name", text: s.name }), h("span", { class: "support-contact", text: s.contact }),
      h("span", { class: "support-when", text: s.when }),
      h("span", { class: "support-about", text: s.about }),
      s.url ? h("a", { href: s.url, rel: "noopener noreferrer", target: "_blank", text: s.url.replace(/^https:\/\//, "") }) : null));
  }
  const carry = h("button", { type: "button", class: "primary", text: "Carry on", onclick: onCarryOn });
  return h("section", { class: "support-card", role: "alert", "aria-labelledby": "support-h" },
    h("h2", { id: "support-h", text: "Support is available now" }),
    h("p", { class: "support-title", text: card.title }),
    h("p", { text: card.message }),
    services,
    h("p", { class: "muted", text: "What you wrote has not been stored and nothing has been sent to anyone. When you are ready, you can carry on or come back another time." }),
    h("div", { class: "walk-actions" }, carry, h("a", { class: "button-link", href: "#/walk", text: "Stop for now" })));
}

function planView(walk) {
  const plan = walk.plan;
  const steps = h("ol", { class: "plan-steps" });
  for (const step of plan.steps) {
    const due = step.due ? new Date(`${step.due}T12:00:00`).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric" }) : null;
    steps.append(h("li", {}, step.text, due ? h("span", { class: "plan-due", text: ` — by ${due}` }) : null));
  }
  const options = h("ul", {});
  for (const o of plan.options) options.append(h("li", { text: o }));
  const dated = plan.steps.some((s) => s.due);
  const links = h("div", { class: "walk-actions" },
    h("a", { class: "button-link", href: `${base(walk.id)}/plan.md`, download: "plan.md", text: "Download plan (Markdown)" }),
    dated ? h("a", { class: "button-link", href: `${base(walk.id)}/plan.ics`, download: "plan.ics", text: "Add first step to calendar (.ics)" }) : null,
    h("a", { class: "button-link", href: `${base(walk.id)}/export`, download: "walkthrough.json", text: "Export everything (JSON)" }));
  const none = (text) => h("p", { class: "muted", text });
  return h("section", { class: "plan", "aria-labelledby": "plan-h" },
    h("h2", { id: "plan-h", tabindex: "-1", text: "Your plan" }),
    h("h3", { text: "Goal" }), plan.goal ? h("p", { text: plan.goal }) : none("Not written."),
    h("h3", { text: "Options you considered" }), plan.options.length ? options : none("None written."),
    h("h3", { text: "Your steps" }), plan.steps.length ? steps : none("None written."),
    h("h3", { text: "Confidence" }), h("p", { text: plan.confidence === null || plan.confidence === undefined ? "Not rated." : `${plan.confidence} out of 10` }),
    h("h3", { text: "Support you need" }), plan.support ? h("p", { text: plan.support }) : none("Not written."),
    links);
}

function planSoFar(walk) {
  const p = walk.plan;
  const items = [
    ["Goal", p.goal], ["Options", p.options.join("; ")],
    ["First step", p.steps[0] ? `${p.steps[0].text}${p.steps[0].due ? ` (by ${p.steps[0].due})` : ""}` : ""],
    ["Confidence", p.confidence === null || p.confidence === undefined ? "" : `${p.confidence} out of 10`],
    ["Support", p.support],
  ];
  return h("details", { class: "plan-so-far" },
    h("summary", { text: "Your plan so far" }),
    h("dl", { class: "facts" }, items.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v || "—" })])));
}

export async function renderWalk(main, { id }) {
  document.title = "Self-mentoring — Empowerer";
  mount(main, h("p", { class: "loading", role: "status", text: "Loading your walkthrough…" }));
  let walk;
  try {
    walk = await walkApi.read(id);
  } catch (error) {
    const heading = h("h1", { tabindex: "-1", text: "Walkthrough not found" });
    mount(main, heading, h("p", { text: error.message }), h("p", {}, h("a", { href: "#/walk", text: "Start a walkthrough" })));
    return heading;
  }
  return draw(main, walk, null);
}

function draw(main, walk, focusWhat) {
  const heading = h("h1", { tabindex: "-1", text: `Self-mentoring: ${walk.framework.name}` });
  const error = h("p", { class: "form-error", role: "status" });
  const parts = [heading, stageStrip(walk)];

  const act = async (fn, focus) => {
    error.textContent = "";
    for (const b of main.querySelectorAll("button")) b.disabled = true;
    try {
      const next = await fn();
      draw(main, next, focus);
      if (next.status === "support") announce("Paused. Support is available now.");
      else if (next.status === "finished") announce("Finished. Your plan is ready.");
      else announce(next.prompt.question || next.prompt.text);
    } catch (e) {
      for (const b of main.querySelectorAll("button")) b.disabled = false;
      error.textContent = e.message;
    }
  };

  if (walk.status === "finished") {
    const plan = planView(walk);
    parts.push(plan,
      h("details", { class: "walk-transcript" }, h("summary", { text: "The conversation" }), messageList(walk)),
      confirmDelete("Delete this walkthrough", async () => {
        await walkApi.remove(walk.id);
        announce("Walkthrough deleted.");
        window.location.hash = "#/walk";
      }));
    mount(main, ...parts);
    const target = focusWhat ? plan.querySelector("#plan-h") : heading;
    if (focusWhat) target.focus();
    return target;
  }

  const log = messageList(walk);
  const logWrap = h("div", { class: "walk-log-wrap" }, log);
  parts.push(logWrap);

  if (walk.status === "support" && walk.support) {
    const card = supportCard(walk.support, () => act(() => walkApi.move(walk.id, "resume"), "answer"));
    parts.push(card, error);
    mount(main, ...parts);
    if (focusWhat) card.querySelector("#support-h").setAttribute("tabindex", "-1");
    if (focusWhat) card.querySelector("#support-h").focus();
    return heading;
  }

  if (walk.status === "paused") {
    const resumeButton = h("button", { type: "button", class: "primary", text: "Resume", onclick: () => act(() => walkApi.move(walk.id, "resume"), "answer") });
    parts.push(h("div", { class: "walk-paused", role: "status" },
      h("p", { text: "Paused. Everything so far is saved; only you can see it." }),
      h("div", { class: "walk-actions" }, resumeButton, h("a", { class: "button-link", href: "#/walk", text: "My walkthroughs" }))), error);
    mount(main, ...parts);
    if (focusWhat) resumeButton.focus();
    return heading;
  }

  const boxId = uid("answer");
  const box = h("textarea", { id: boxId, name: "answer", rows: 3, maxlength: 2000, autocomplete: "off", "aria-describedby": `${boxId}-q` });
  const question = h("p", { id: `${boxId}-q`, class: "walk-question", text: walk.prompt.question || walk.prompt.text });
  const answerButton = h("button", { type: "submit", class: "primary", text: "Answer" });
  const form = h("form", { class: "walk-form composer", novalidate: true },
    question,
    h("label", { for: boxId, class: "composer-label", text: "Your answer" }),
    box,
    h("div", { class: "walk-actions" }, answerButton,
      h("button", { type: "button", text: "Back", disabled: walk.stages[0] && walk.stages[0].id === walk.stage, onclick: () => act(() => walkApi.move(walk.id, "back"), "answer") }),
      h("button", { type: "button", text: "Skip", onclick: () => act(() => walkApi.move(walk.id, "skip"), "answer") }),
      h("button", { type: "button", text: "Pause", onclick: () => act(() => walkApi.move(walk.id, "pause"), "paused") })),
    error);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) { error.textContent = "Write an answer first, or use Skip."; box.focus(); return; }
    act(() => walkApi.answer(walk.id, text), "answer");
  });
  parts.push(form, planSoFar(walk));
  mount(main, ...parts);
  logWrap.scrollTop = logWrap.scrollHeight;
  const last = log.lastElementChild;
  if (last && focusWhat) last.scrollIntoView({ block: "nearest" });
  if (focusWhat) box.focus();
  return focusWhat ? box : heading;
}
