// Display names and colours for the coder's labels and the report's bands.
// Unknown keys fall back to a readable version of the key, so new labels never break the page.

import { humanise } from "./dom.js";

export const CODES = {
  open_question: { label: "Open question", colour: "#1f7a4a", tone: "good" },
  reflection: { label: "Reflection", colour: "#2563a8", tone: "good" },
  summary: { label: "Summary", colour: "#6d3fb5", tone: "good" },
  affirmation: { label: "Affirmation", colour: "#a86a0c", tone: "good" },
  closed_question: { label: "Closed question", colour: "#5b6472", tone: "neutral" },
  structuring: { label: "Structuring", colour: "#7a5b3a", tone: "neutral" },
  information: { label: "Information", colour: "#167085", tone: "neutral" },
  signposting: { label: "Signposting", colour: "#0f7669", tone: "good" },
  advice: { label: "Advice", colour: "#b42323", tone: "caution" },
  roadblock: { label: "Roadblock", colour: "#9d2a5e", tone: "caution" },
  other: { label: "Other", colour: "#6b7280", tone: "neutral" },
};

export const CODE_ORDER = Object.keys(CODES);

export function codeLabel(code, detail) {
  const base = (CODES[code] && CODES[code].label) || humanise(code);
  return detail ? `${base} (${humanise(detail).toLowerCase()})` : base;
}

export function codeColour(code) {
  return (CODES[code] && CODES[code].colour) || "#6b7280";
}

export function codeClass(code) {
  return CODES[code] ? `chip chip-${code}` : "chip";
}

export const BANDS = {
  needs_practice: "Needs practice",
  fair: "Fair",
  good: "Good",
};

export function bandLabel(band) {
  if (band === null || band === undefined || band === "") return "—";
  return BANDS[band] || humanise(band);
}

export function bandClass(band) {
  return `band band-${String(band || "none").replace(/[^a-z_]/gi, "")}`;
}
