// Rendering turns (chat bubbles and transcript rows) and their feedback: code chips and the
// suggestion. Shared by the chat and the report.

import { h } from "./dom.js";
import { codeClass, codeLabel } from "./labels.js";

export function codeChips(codes, primary) {
  const seen = new Set();
  const chips = [];
  for (const hit of codes || []) {
    const key = `${hit.code}:${hit.detail || ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const isPrimary = hit.code === primary;
    chips.push(h("li", { class: `${codeClass(hit.code)}${isPrimary ? " chip-primary" : ""}`,
      title: hit.evidence ? `“${hit.evidence}”` : null },
    codeLabel(hit.code, hit.detail),
    isPrimary ? h("span", { class: "visually-hidden", text: " (main code)" }) : null));
  }
  return h("ul", { class: "chips", "aria-label": "Codes" }, chips);
}

/** The feedback beside one of the trainee's turns. */
export function feedback(turn) {
  const hasSuggestion = Boolean(turn.suggestion);
  return h("aside", { class: `feedback${hasSuggestion ? " feedback-warn" : ""}`, "aria-label": "Feedback on your turn" },
    codeChips(turn.codes, turn.primary),
    hasSuggestion ? h("p", { class: "suggestion" }, h("strong", { text: "Try: " }), turn.suggestion) : null,
    turn.comment ? h("p", { class: "comment", text: turn.comment }) : null);
}

/** A facilitator's comments on a turn (the trainee sees them under the turn), or null. */
export function turnComments(turn) {
  const comments = (turn && turn.comments) || [];
  if (!comments.length) return null;
  return h("ul", { class: "turn-comments", "aria-label": "Facilitator's comments" }, comments.map((c) => {
    const author = c.author && typeof c.author === "object" ? (c.author.name || c.author.email) : c.author;
    return h("li", { class: "turn-comment" },
      h("span", { class: "comment-meta", text: `Comment from ${author || "your facilitator"}` }),
      h("p", { class: "comment-text", text: c.text }));
  }));
}

export function speakerName(turn, menteeName) {
  return turn.speaker === "mentor" ? "You" : (menteeName || "Mentee");
}

/** A chat message (li) for the conversation log. */
export function messageItem(turn, menteeName, { pending = false } = {}) {
  const mine = turn.speaker === "mentor";
  const item = h("li", { class: `msg ${mine ? "msg-mentor" : "msg-mentee"}${pending ? " msg-pending" : ""}`,
    dataset: { index: turn.index ?? "" } },
  h("div", { class: "bubble" },
    h("span", { class: "msg-who", text: speakerName(turn, menteeName) }),
    h("p", { class: "msg-text", text: turn.text })));
  if (mine && !pending) item.append(feedback(turn));
  const notes = pending ? null : turnComments(turn);
  if (notes) item.append(notes);
  return item;
}
