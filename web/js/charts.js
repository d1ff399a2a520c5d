// Small hand-drawn SVG charts (no library): a line chart, a stage timeline, a code raster and a
// talk-share bar. Every chart is a <figure> with a caption and an aria-label summary; all text goes
// in as text nodes. Colours are SVG presentation attributes, which a strict CSP allows.

import { h, s } from "./dom.js";
import { CODE_ORDER, codeColour, codeLabel } from "./labels.js";

const FONT = 12;

export function chartWidth(container) {
  const width = container && container.clientWidth ? container.clientWidth : 640;
  return Math.max(300, Math.min(1100, Math.floor(width)));
}

function figure(caption, svg, note) {
  return h("figure", { class: "chart" },
    h("figcaption", { text: caption }),
    svg,
    note ? h("p", { class: "chart-note", text: note }) : null);
}

function frame(width, height, label) {
  const svg = s("svg", {
    class: "chart-svg", viewBox: `0 0 ${width} ${height}`, width, height,
    role: "img", "aria-label": label, preserveAspectRatio: "xMinYMin meet",
  });
  svg.style.maxWidth = `${width}px`; // CSSOM, allowed by the CSP: never drawn larger than designed
  return svg;
}

function text(x, y, value, attrs = {}) {
  return s("text", { x, y, "font-size": FONT, fill: "#3d4450", ...attrs }, value);
}

function clip(value, max) {
  const str = String(value);
  return str.length > max ? `${str.slice(0, max - 1)}…` : str;
}

function scale(domainMin, domainMax, rangeMin, rangeMax) {
  const span = domainMax - domainMin || 1;
  return (v) => rangeMin + ((v - domainMin) / span) * (rangeMax - rangeMin);
}

function xAxis(svg, x, y0, ticks, format) {
  for (const tick of ticks) {
    svg.append(text(x(tick), y0 + 16, format(tick), { "text-anchor": "middle" }));
  }
}

function xTicksFor(min, max, count = 6) {
  if (max <= min) return [min];
  const step = Math.max(1, Math.ceil((max - min) / count));
  const ticks = [];
  for (let v = min; v <= max; v += step) ticks.push(v);
  return ticks;
}

/**
 * A line chart. series: [{name, colour, points: [[x, y, title]]}]; y runs yMin..yMax.
 * guides: [{y, label}] horizontal reference lines (thresholds).
 */
export function lineChart({ caption, label, series, yMin = 0, yMax = 1, yTicks, yFormat = String,
  xFormat = String, xLabel = "", guides = [], width = 640, height = 220, note }) {
  const m = { top: 14, right: 16, bottom: xLabel ? 40 : 26, left: 44 };
  const svg = frame(width, height, label);
  const xs = series.flatMap((one) => one.points.map((p) => p[0]));
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const x = scale(xMin, xMax === xMin ? xMin + 1 : xMax, m.left, width - m.right);
  const y = scale(yMin, yMax, height - m.bottom, m.top);
  for (const tick of yTicks || [yMin, (yMin + yMax) / 2, yMax]) {
    svg.append(s("line", { x1: m.left, x2: width - m.right, y1: y(tick), y2: y(tick), stroke: "#e3e6eb" }));
    svg.append(text(m.left - 6, y(tick) + 4, yFormat(tick), { "text-anchor": "end" }));
  }
  for (const guide of guides) {
    svg.append(s("line", { x1: m.left, x2: width - m.right, y1: y(guide.y), y2: y(guide.y),
      stroke: "#8a6d1f", "stroke-dasharray": "4 3" }));
    svg.append(text(width - m.right, y(guide.y) - 4, guide.label, { "text-anchor": "end", fill: "#6b5314" }));
  }
  xAxis(svg, x, height - m.bottom, xTicksFor(xMin, xMax), xFormat);
  if (xLabel) svg.append(text((m.left + width - m.right) / 2, height - 6, xLabel, { "text-anchor": "middle" }));
  for (const one of series) {
    if (!one.points.length) continue;
    const d = one.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ");
    svg.append(s("path", { d, fill: "none", stroke: one.colour, "stroke-width": 2.5,
      "stroke-linejoin": "round", "stroke-linecap": "round" }));
    for (const p of one.points) {
      svg.append(s("circle", { cx: x(p[0]), cy: y(p[1]), r: 3.5, fill: one.colour },
        s("title", {}, p[2] || `${xFormat(p[0])}: ${yFormat(p[1])}`)));
    }
  }
  return figure(caption, svg, note);
}

/** Which stage each turn was in: a step line over the framework's stages. */
export function stageTimeline({ turns, stages, width = 640 }) {
  const order = new Map(stages.map((st, i) => [st.id, i]));
  const rowH = 24;
  const m = { top: 12, right: 16, bottom: 34, left: Math.min(170, Math.floor(width * 0.36)) };
  const height = m.top + m.bottom + rowH * Math.max(1, stages.length);
  const points = turns.filter((t) => order.has(t.stage)).map((t) => [t.index, order.get(t.stage)]);
  const visited = new Set(points.map((p) => p[1]));
  const label = `Stage timeline: ${visited.size} of ${stages.length} stages visited over ${turns.length} turns.`;
  const svg = frame(width, height, label);
  const xMin = points.length ? points[0][0] : 0;
  const xMax = points.length ? points[points.length - 1][0] + 1 : 1;
  const x = scale(xMin, xMax, m.left, width - m.right);
  const y = (i) => m.top + rowH * i + rowH / 2;
  const maxChars = Math.floor((m.left - 10) / 6.4);
  stages.forEach((st, i) => {
    svg.append(s("line", { x1: m.left, x2: width - m.right, y1: y(i), y2: y(i), stroke: "#eceef2" }));
    svg.append(text(m.left - 8, y(i) + 4, clip(st.title, maxChars), {
      "text-anchor": "end", "font-weight": visited.has(i) ? 600 : 400,
      fill: visited.has(i) ? "#1b1f24" : "#5f6774" }));
  });
  if (points.length) {
    let d = "";
    points.forEach((p, i) => {
      const px = x(p[0]);
      const py = y(p[1]);
      d += i ? ` H${px.toFixed(1)} V${py.toFixed(1)}` : `M${px.toFixed(1)},${py.toFixed(1)}`;
    });
    d += ` H${x(xMax).toFixed(1)}`;
    svg.append(s("path", { d, fill: "none", stroke: "#1f5f8b", "stroke-width": 3, "stroke-linejoin": "round" }));
  }
  xAxis(svg, x, height - m.bottom, xTicksFor(xMin, xMax - 1), (v) => String(v + 1));
  svg.append(text((m.left + width - m.right) / 2, height - 4, "turn", { "text-anchor": "middle" }));
  return figure("Stage timeline", svg);
}

/** One row per code, one column per mentor turn; filled dot = the turn's primary code. */
export function codeRaster({ mentorTurns, width = 640 }) {
  const present = CODE_ORDER.filter((code) => mentorTurns.some((t) => (t.codes || []).some((c) => c.code === code)));
  for (const t of mentorTurns) {
    for (const c of t.codes || []) if (!present.includes(c.code)) present.push(c.code);
  }
  const rowH = 22;
  const m = { top: 10, right: 16, bottom: 34, left: 124 };
  const height = m.top + m.bottom + rowH * Math.max(1, present.length);
  const counts = present.map((code) => `${codeLabel(code)} ${mentorTurns.filter((t) => (t.codes || []).some((c) => c.code === code)).length}`);
  const svg = frame(width, height, `Codes over the conversation, turns carrying each code: ${counts.join(", ") || "none yet"}.`);
  const n = mentorTurns.length;
  const x = scale(0, Math.max(1, n - 1), m.left + 8, width - m.right - 8);
  const y = (i) => m.top + rowH * i + rowH / 2;
  present.forEach((code, row) => {
    svg.append(s("line", { x1: m.left, x2: width - m.right, y1: y(row), y2: y(row), stroke: "#eceef2" }));
    svg.append(text(m.left - 8, y(row) + 4, codeLabel(code), { "text-anchor": "end" }));
    mentorTurns.forEach((t, col) => {
      const hit = (t.codes || []).find((c) => c.code === code);
      if (!hit) return;
      const primary = t.primary === code;
      svg.append(s("circle", {
        cx: x(col), cy: y(row), r: primary ? 6 : 5,
        fill: primary ? codeColour(code) : "#ffffff", stroke: codeColour(code), "stroke-width": 2,
      }, s("title", {}, `Your turn ${col + 1}: ${codeLabel(code, hit.detail)}${primary ? " (main code)" : ""}`)));
    });
  });
  xAxis(svg, x, height - m.bottom, xTicksFor(0, Math.max(0, n - 1)), (v) => String(v + 1));
  svg.append(text((m.left + width - m.right) / 2, height - 4, "your turn", { "text-anchor": "middle" }));
  return figure("Codes over the conversation", svg, "Filled dot: the turn's main code; ring: another code in the same turn.");
}

/** Who did the talking: the share of words, as one stacked bar. */
export function talkShare({ mentorWords, menteeWords, mentorLabel = "You", menteeLabel = "Mentee", width = 640 }) {
  const total = mentorWords + menteeWords;
  const share = total ? mentorWords / total : 0;
  const pct = Math.round(share * 100);
  const stacked = width < 480;
  const height = stacked ? 92 : 74;
  const m = { left: 8, right: 8 };
  const svg = frame(width, height, `Talk share: ${mentorLabel} ${pct}% of the words, ${menteeLabel} ${100 - pct}%.`);
  const inner = width - m.left - m.right;
  const split = m.left + inner * share;
  svg.append(s("rect", { x: m.left, y: 10, width: Math.max(0, split - m.left), height: 28, fill: "#1f5f8b", rx: 4 }));
  svg.append(s("rect", { x: split, y: 10, width: Math.max(0, m.left + inner - split), height: 28, fill: "#9cc3a6", rx: 4 }));
  svg.append(text(m.left, 58, `${mentorLabel}: ${pct}% (${mentorWords} words)`, { "font-weight": 600, fill: "#1f5f8b" }));
  svg.append(stacked
    ? text(m.left, 80, `${menteeLabel}: ${100 - pct}% (${menteeWords} words)`, { "font-weight": 600, fill: "#2c5e3a" })
    : text(width - m.right, 58, `${menteeLabel}: ${100 - pct}% (${menteeWords} words)`, {
      "text-anchor": "end", "font-weight": 600, fill: "#2c5e3a" }));
  return figure("Talk share", svg, "A listening mentor usually speaks well under half of the words.");
}
