// The chat: persona card, stage strip, conversation with live feedback, message box, exam mode,
// End session. Everything lives on the server; reloading #/session/ID resumes it.

import { api, ApiError } from "./api.js";
import { announce, h, mount, uid } from "./dom.js";
import { messageItem } from "./turns.js";

const examKey = (id) => `empowerer:exam:${id}`;

function personaCard(session) {
  const p = session.persona || (session.scenario && session.scenario.persona) || {};
  const facts = [
    ["Role", p.role], ["Profession", p.profession], ["Specialty", p.specialty],
    ["Career stage", p.career_stage], ["Workplace", p.workplace], ["Age", p.age],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  return h("section", { class: "persona", "aria-labelledby": "persona-name" },
    h("div", { class: "persona-head" },
      h("span", { class: "avatar big", "aria-hidden": "true", text: (p.name || "?").charAt(0) }),
      h("div", {},
        h("h2", { id: "persona-name", text: p.name || "Your mentee" }),
        h("p", { class: "muted", text: [p.pronouns, session.scenario && session.scenario.title].filter(Boolean).join(" · ") }))),
    h("details", { class: "persona-more", open: window.matchMedia("(min-width: 900px)").matches },
      h("summary", { text: "About this mentee" }),
      p.card ? h("p", { text: p.card }) : null,
      h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: String(v) })]))));
}

function stageStrip(session, onChoose) {
  const stages = session.stages || [];
  const list = h("ol", { class: "stage-strip" });
  let lastParent = null;
  stages.forEach((st, i) => {
    const current = st.id === session.stage;
    const showParent = st.parent_title && st.parent_title !== lastParent;
    lastParent = st.parent_title || null;
    list.append(h("li", { class: current ? "current" : "" },
      h("button", { type: "button", class: "stage-btn", "aria-current": current ? "step" : null,
        dataset: { stage: st.id }, onclick: () => onChoose(st) },
      h("span", { class: "stage-num", "aria-hidden": "true", text: String(i + 1) }),
      h("span", { class: "stage-text" },
        showParent ? h("span", { class: "stage-parent", text: st.parent_title }) : null,
        h("span", { class: "stage-name", text: st.title })),
      current ? h("span", { class: "visually-hidden", text: " (current stage)" }) : null)));
  });
  return h("nav", { class: "stages", "aria-label": "Framework stages" }, list);
}

function openingTurn(session) {
  const first = (session.turns || [])[0];
  if (!session.opening || (first && first.speaker === "mentee" && first.text === session.opening)) return null;
  return { index: -1, speaker: "mentee", text: session.opening, stage: session.stage };
}

export async function renderChat(main, { id }) {
  document.title = "Practice session — Empowerer";
  mount(main, h("p", { class: "loading", role: "status", text: "Loading the session…" }));
  let session;
  try {
    session = await api.session(id);
  } catch (error) {
    const heading = h("h1", { tabindex: "-1", text: "Session not found" });
    mount(main, heading, h("p", { text: error.message }), h("p", {}, h("a", { href: "#/", text: "Choose a scenario" })));
    return heading;
  }
  const menteeName = (session.persona && session.persona.name) || "Mentee";
  document.title = `Talking with ${menteeName} — Empowerer`;

  const heading = h("h1", { class: "visually-hidden", tabindex: "-1", text: `Practice session with ${menteeName}` });
  const alertBox = h("div", { class: "alert-region", role: "alert" });
  const nudgeBox = h("p", { class: "nudge", role: "status", hidden: true });
  const log = h("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  const typing = h("p", { class: "typing", role: "status", hidden: true },
    h("span", { class: "dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
    ` ${menteeName} is typing…`);
  const messageId = uid("message");
  const box = h("textarea", { id: messageId, name: "message", rows: 2, maxlength: 2000,
    autocomplete: "off", "aria-describedby": `${messageId}-hint` });
  const sendButton = h("button", { type: "submit", class: "primary", text: "Send" });
  const composer = h("form", { class: "composer", novalidate: true },
    h("label", { for: messageId, class: "composer-label", text: "Message" }),
    h("div", { class: "composer-row" }, box, sendButton),
    h("p", { id: `${messageId}-hint`, class: "hint", text: "Enter sends · Shift+Enter for a new line" }));

  const examId = uid("exam");
  const exam = h("input", { type: "checkbox", id: examId, class: "switch-input" });
  const endButton = h("button", { type: "button", class: "secondary danger", text: "End session" });
  const reportLink = h("a", { class: "button-link", href: `#/report/${encodeURIComponent(id)}`, text: "Report" });

  const stripHolder = h("div", { class: "strip-holder" });
  const logWrap = h("div", { class: "log-wrap" }, log, typing);
  const layout = h("div", { class: "chat" },
    h("div", { class: "chat-main" },
      h("div", { class: "chat-toolbar" },
        h("div", { class: "chat-title" },
          h("span", { class: "avatar", "aria-hidden": "true", text: menteeName.charAt(0) }),
          h("span", {}, h("strong", { text: menteeName }),
            h("span", { class: "muted small", text: ` · ${(session.framework && session.framework.name) || ""}` }))),
        h("div", { class: "toolbar-actions" },
          h("span", { class: "switch" }, exam, h("label", { for: examId, text: "Exam mode" })),
          reportLink, endButton)),
      stripHolder, alertBox, nudgeBox,
      logWrap,
      composer),
    h("div", { class: "chat-side" }, personaCard(session)));
  mount(main, heading, layout);

  // Exam mode: hides the live feedback (and nudges) so the trainee practises unaided.
  // A session the server marks as an exam (set by a facilitator) keeps its feedback hidden.
  const stored = localStorage.getItem(examKey(id));
  exam.checked = session.exam_mode ? true : stored === "1";
  if (session.exam_mode) {
    exam.disabled = true;
    exam.setAttribute("aria-describedby", `${examId}-why`);
    exam.parentElement.append(h("span", { id: `${examId}-why`, class: "visually-hidden", text: "Set by your facilitator for this session." }));
  }
  const applyExam = () => {
    layout.classList.toggle("exam", exam.checked);
    localStorage.setItem(examKey(id), exam.checked ? "1" : "0");
  };
  exam.addEventListener("change", () => { applyExam(); announce(exam.checked ? "Exam mode on: feedback hidden." : "Exam mode off: feedback shown."); });
  applyExam();

  const drawStrip = () => {
    mount(stripHolder, stageStrip(session, chooseStage));
    const current = stripHolder.querySelector("[aria-current='step']");
    if (current) current.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  const showAlert = (...content) => {
    alertBox.replaceChildren(h("p", {}, ...content),
      h("button", { type: "button", class: "dismiss", "aria-label": "Dismiss", text: "×",
        onclick: () => { alertBox.replaceChildren(); box.focus(); } }));
  };
  async function chooseStage(stage) {
    if (stage.id === session.stage || session.ended) return;
    alertBox.textContent = "";
    try {
      const result = await api.moveStage(id, stage.id);
      session.stage = result.stage;
      session.stage_title = result.stage_title;
      drawStrip();
      const button = stripHolder.querySelector(`[data-stage="${CSS.escape(result.stage)}"]`);
      if (button) button.focus();
      announce(`Moved to ${result.stage_title}.`);
    } catch (error) {
      showAlert(h("strong", { text: `Can't move to ${stage.title} yet: ` }), error.message);
    }
  }
  drawStrip();

  const opening = openingTurn(session);
  if (opening) log.append(messageItem(opening, menteeName));
  for (const turn of session.turns || []) log.append(messageItem(turn, menteeName));
  const scrollDown = () => { logWrap.scrollTop = logWrap.scrollHeight; };
  scrollDown();

  const setEnded = () => {
    composer.replaceChildren(h("p", { class: "ended-note" }, "This session has ended. ",
      h("a", { href: `#/report/${encodeURIComponent(id)}`, text: "Read the report" })));
    endButton.hidden = true;
  };
  if (session.ended) setEnded();

  let busy = false;
  async function send() {
    const text = box.value.trim();
    if (!text || busy || session.ended) return;
    busy = true;
    alertBox.textContent = "";
    const pending = messageItem({ speaker: "mentor", text }, menteeName, { pending: true });
    log.append(pending);
    box.value = "";
    typing.hidden = false;
    scrollDown();
    try {
      const result = await api.sendTurn(id, text);
      const mentor = result.mentor_turn || { index: null, speaker: "mentor", text, codes: result.codes,
        primary: result.primary, suggestion: result.suggestion, stage: result.stage };
      const mentee = result.mentee_turn || { index: null, speaker: "mentee", text: result.reply, stage: result.stage };
      pending.replaceWith(messageItem(mentor, menteeName));
      log.append(messageItem(mentee, menteeName));
      session.turns = [...(session.turns || []), mentor, mentee];
      if (result.stage && result.stage !== session.stage) {
        session.stage = result.stage;
        session.stage_title = result.stage_title;
        drawStrip();
      }
      nudgeBox.hidden = !result.nudge;
      nudgeBox.textContent = result.nudge || "";
    } catch (error) {
      pending.remove();
      if (!box.value) box.value = text;
      const message = error instanceof ApiError ? error.message : "The message could not be sent (network). Try again.";
      showAlert(message);
      if (error instanceof ApiError && error.status === 409 && /ended/i.test(message)) { session.ended = true; setEnded(); }
    } finally {
      typing.hidden = true;
      busy = false;
      scrollDown();
    }
  }
  composer.addEventListener("submit", (event) => { event.preventDefault(); send(); });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });

  endButton.addEventListener("click", async () => {
    endButton.disabled = true;
    alertBox.textContent = "";
    try {
      await api.endSession(id);
      window.location.hash = `#/report/${encodeURIComponent(id)}`;
    } catch (error) {
      endButton.disabled = false;
      showAlert(`Could not end the session: ${error.message}`);
    }
  });

  if (session.ended) return heading;
  box.focus();
  return null;
}
