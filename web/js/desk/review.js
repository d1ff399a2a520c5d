// #/desk/session/ID: a facilitator reviews a trainee's transcript. Beside each turn: the coder's
// codes (and the facilitator's correction, both kept); "Correct codes" opens a small form
// (codes as checkboxes, the main code as a select, "Save correction"); the report is fetched
// again and shown recomputed after saving. "Comment" on any turn: the trainee sees it.

import { announce, formatDate, h, humanise, mount, uid } from "../dom.js";
import { bandClass, bandLabel, CODE_ORDER, codeLabel } from "../labels.js";
import { codeChips } from "../turns.js";
import { desk } from "./http.js";
import { sessionContext } from "./catalog.js";
import { deskNav, failure, pageHeading, staffOnly, userName } from "./common.js";

function coderCodes(turn) {
  if (Array.isArray(turn.coder_codes)) return { codes: turn.coder_codes, primary: turn.coder_primary ?? turn.primary };
  if (turn.coder && Array.isArray(turn.coder.codes)) return turn.coder;
  return { codes: turn.codes || [], primary: turn.primary };
}

function correctionOf(turn) {
  const c = turn.correction || turn.facilitator || null;
  if (c && Array.isArray(c.codes)) return c;
  if (Array.isArray(turn.facilitator_codes)) return { codes: turn.facilitator_codes, primary: turn.facilitator_primary };
  return null;
}

function commentAuthor(comment) {
  return userName(comment.author || comment.author_name || "Facilitator");
}

function commentItem(comment) {
  return h("li", { class: "turn-comment" },
    h("span", { class: "comment-meta", text: `${commentAuthor(comment)}${comment.created_at ? ` · ${formatDate(comment.created_at)}` : ""}` }),
    h("p", { class: "comment-text", text: comment.text }));
}

/** The recomputed report in brief: overall score and band, each scored metric's band. */
function reportSummary(report, previous) {
  const overall = report.overall || {};
  const before = previous && previous.overall ? previous.overall.score : null;
  const changed = typeof before === "number" && before !== overall.score;
  const metrics = Object.entries(report.metrics || {}).filter(([, m]) => m && m.band);
  return h("div", { class: "review-report" },
    h("div", { class: `overall small-overall ${bandClass(overall.band)}` },
      h("span", { class: "overall-label", text: "Overall" }),
      h("span", { class: "overall-score" }, String(overall.score ?? "—"), h("span", { class: "overall-max", text: "/100" })),
      h("span", { class: "overall-band", text: bandLabel(overall.band) })),
    h("div", { class: "review-metrics" },
      changed ? h("p", { class: "notice", text: `Recomputed with the corrections: ${before} → ${overall.score}.` })
        : previous ? h("p", { class: "muted", text: "Recomputed with the corrections: the overall score did not change." }) : null,
      h("ul", { class: "band-list" }, metrics.map(([key, m]) => h("li", {},
        h("span", { class: "band-metric", text: `${m.label || humanise(key)}: ` }),
        h("span", { class: bandClass(m.band), text: bandLabel(m.band) }))))));
}

function correctionForm(turn, current, { onSave, onRemove, onCancel }) {
  const legendId = uid("corr");
  const chosen = new Set((current.codes || []).map((c) => c.code));
  const boxes = CODE_ORDER.map((code) => {
    const id = uid("code");
    const input = h("input", { type: "checkbox", id, value: code, checked: chosen.has(code) });
    return { input, node: h("li", { class: "check" }, input, h("label", { for: id, text: codeLabel(code) })) };
  });
  const primaryId = uid("primary");
  const primary = h("select", { id: primaryId },
    CODE_ORDER.map((code) => h("option", { value: code, text: codeLabel(code), selected: code === current.primary })));
  const error = h("p", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "primary", text: "Save correction" });
  const cancel = h("button", { type: "button", text: "Cancel", onclick: onCancel });
  const remove = onRemove ? h("button", { type: "button", class: "danger", text: "Remove correction" }) : null;
  const form = h("form", { class: "correction-form", novalidate: true, "aria-labelledby": legendId },
    h("fieldset", {},
      h("legend", { id: legendId, text: `Codes for turn ${turn.index + 1}` }),
      h("ul", { class: "code-checks" }, boxes.map((b) => b.node))),
    h("div", { class: "field" }, h("label", { for: primaryId, text: "Main code" }), primary),
    error,
    h("div", { class: "form-actions" }, save, remove, cancel));
  const syncPrimary = () => {
    const picked = boxes.filter((b) => b.input.checked).map((b) => b.input.value);
    if (picked.length && !picked.includes(primary.value)) primary.value = picked[0];
  };
  for (const b of boxes) b.input.addEventListener("change", syncPrimary);
  primary.addEventListener("change", () => {
    const box = boxes.find((b) => b.input.value === primary.value);
    if (box) box.input.checked = true;
  });
  form.addEventListener("keydown", (event) => { if (event.key === "Escape") { event.preventDefault(); onCancel(); } });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const codes = boxes.filter((b) => b.input.checked).map((b) => ({ code: b.input.value }));
    if (!codes.length) { error.textContent = "Choose at least one code."; return; }
    if (!codes.some((c) => c.code === primary.value)) { error.textContent = "The main code must be one of the chosen codes."; return; }
    save.disabled = true;
    try {
      await onSave(codes, primary.value);
    } catch (err) {
      error.textContent = `Could not save the correction: ${err.message}`;
      save.disabled = false;
    }
  });
  if (remove) {
    remove.addEventListener("click", async () => {
      remove.disabled = true;
      try { await onRemove(); } catch (err) { error.textContent = `Could not remove it: ${err.message}`; remove.disabled = false; }
    });
  }
  return { form, focus: () => (boxes.find((b) => b.input.checked) || boxes[0]).input.focus() };
}

function commentForm(sessionId, turn, list) {
  const id = uid("comment");
  const box = h("textarea", { id, rows: 1, maxlength: 2000, name: "comment", placeholder: "Visible to the trainee" });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "submit", text: "Add comment" });
  const form = h("form", { class: "comment-form", novalidate: true },
    h("label", { for: id, text: "Comment" }),
    h("div", { class: "comment-row" }, box, button), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const text = box.value.trim();
    if (!text) { error.textContent = "Write the comment first."; box.focus(); return; }
    button.disabled = true;
    try {
      const comment = await desk.comment(sessionId, turn.index, text);
      list.hidden = false;
      list.append(commentItem(comment && comment.text ? comment : { text, author: "You" }));
      box.value = "";
      announce("Comment added. The trainee will see it.");
    } catch (err) {
      error.textContent = `Could not add the comment: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function renderReview(main, { id }) {
  document.title = "Transcript review — Empowerer";
  const user = await staffOnly(main, "Transcript review");
  if (user.blocked) return user.blocked;
  mount(main, h("p", { class: "loading", role: "status", text: "Loading the transcript…" }));
  let session;
  let report;
  try {
    [session, report] = await Promise.all([desk.session(id), desk.report(id)]);
  } catch (error) {
    return failure(main, "Session not found", error, ["#/desk", "Back to my cohorts"]);
  }
  const menteeName = (session.persona && session.persona.name) || "Mentee";
  const context = sessionContext(id);
  const trainee = session.trainee || session.user || session.owner || context.trainee;
  const heading = pageHeading(`Transcript review: ${trainee ? userName(trainee) : "trainee"} with ${menteeName}`);
  document.title = `Review: ${menteeName} — Empowerer`;
  const summary = h("section", { class: "section panel", "aria-labelledby": "rr-h" },
    h("h2", { id: "rr-h", text: "Report" }), reportSummary(report, null),
    h("p", {}, h("a", { href: `#/report/${encodeURIComponent(id)}`, text: "Open the full report" })));
  const redrawReport = async () => {
    const previous = report;
    report = await desk.report(id);
    mount(summary, h("h2", { id: "rr-h", text: "Report" }), reportSummary(report, previous),
      h("p", {}, h("a", { href: `#/report/${encodeURIComponent(id)}`, text: "Open the full report" })));
    return report;
  };
  const local = new Map(); // index -> correction saved here (shown even if the turn omits it)
  let closeOpen = null;

  const turnItem = (turn) => {
    const mine = turn.speaker === "mentor";
    const item = h("li", { class: `review-turn ${mine ? "tr-mentor" : "tr-mentee"}`, id: `review-turn-${turn.index}`, dataset: { index: turn.index } });
    const draw = () => {
      const coder = coderCodes(turn);
      const correction = local.has(turn.index) ? local.get(turn.index) : correctionOf(turn);
      const comments = h("ul", { class: "turn-comments", "aria-label": "Comments", hidden: !(turn.comments || []).length },
        (turn.comments || []).map(commentItem));
      const status = h("p", { class: "turn-status", role: "status" });
      const codesBox = h("div", { class: "review-codes" });
      if (mine) {
        codesBox.append(h("div", { class: "code-row" }, h("span", { class: "code-source", text: "Coder" }), codeChips(coder.codes, coder.primary)));
        if (correction) {
          codesBox.append(h("div", { class: "code-row corrected" }, h("span", { class: "code-source", text: "Facilitator" }),
            codeChips(correction.codes, correction.primary)));
        }
        const toggle = h("button", { type: "button", class: "small-btn", text: "Correct codes", "aria-expanded": "false",
          "aria-describedby": `review-turn-${turn.index}-num` });
        const holder = h("div", { class: "correction-holder" });
        const close = () => { mount(holder); toggle.setAttribute("aria-expanded", "false"); if (closeOpen === close) closeOpen = null; };
        toggle.addEventListener("click", () => {
          if (toggle.getAttribute("aria-expanded") === "true") { close(); return; }
          if (closeOpen) closeOpen();
          const start = correction || coder;
          const built = correctionForm(turn, start, {
            onSave: async (codes, primary) => {
              await desk.correct(id, turn.index, codes, primary);
              local.set(turn.index, { codes, primary });
              const fresh = await redrawReport().catch(() => null);
              draw();
              const msg = `Correction saved for turn ${turn.index + 1}.${fresh && fresh.overall ? ` Overall score now ${fresh.overall.score}.` : ""}`;
              item.querySelector(".turn-status").textContent = msg;
              item.querySelector(".correct-toggle").focus();
            },
            onRemove: correction ? async () => {
              await desk.uncorrect(id, turn.index);
              local.set(turn.index, null);
              await redrawReport().catch(() => null);
              draw();
              item.querySelector(".turn-status").textContent = `Correction removed for turn ${turn.index + 1}.`;
              item.querySelector(".correct-toggle").focus();
            } : null,
            onCancel: () => { close(); toggle.focus(); },
          });
          mount(holder, built.form);
          toggle.setAttribute("aria-expanded", "true");
          closeOpen = close;
          built.focus();
        });
        toggle.classList.add("correct-toggle");
        codesBox.append(toggle, holder);
      }
      mount(item,
        h("span", { class: "tr-num", id: `review-turn-${turn.index}-num`, text: String(turn.index + 1) }),
        h("div", { class: "tr-body" },
          h("span", { class: "tr-who", text: mine ? `Trainee${trainee ? ` (${userName(trainee)})` : ""}` : menteeName }),
          h("p", { class: "tr-text", text: turn.text }),
          status, comments,
          commentForm(id, turn, comments)),
        mine ? codesBox : h("div", { class: "review-codes" }));
    };
    draw();
    return item;
  };

  const turns = session.turns || [];
  mount(main, heading, deskNav(user, "cohorts"),
    h("p", { class: "muted", text: [session.scenario && session.scenario.title, session.framework && session.framework.name,
      formatDate(session.created_at), session.ended ? "ended" : "still going", session.exam_mode ? "exam mode" : null].filter(Boolean).join(" · ") }),
    context.cohort ? h("p", {}, h("a", { href: `#/desk/cohort/${encodeURIComponent(context.cohort.id)}`, text: `Back to ${context.cohort.name}` })) : null,
    summary,
    h("section", { class: "section panel", "aria-labelledby": "rt-h" },
      h("h2", { id: "rt-h", text: "Transcript" }),
      h("p", { class: "muted", text: "The coder's codes sit beside each of the trainee's turns. Correct them where the coder is wrong: both versions are kept and the report is recomputed. Comments are shown to the trainee." }),
      turns.length ? h("ol", { class: "review-transcript" }, turns.map(turnItem)) : h("p", { class: "muted", text: "No turns yet." })));
  return heading;
}
