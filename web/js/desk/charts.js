// The cohort's distributions as small SVG charts (the patterns of ../charts.js): a histogram of
// overall scores and, per metric, a stacked bar of trainees in each band. Text goes in as text
// nodes; colours are SVG presentation attributes (CSP-safe).

import { h, humanise, s } from "../dom.js";

const BAND_ORDER = ["needs_practice", "fair", "good"];
const BAND_FILL = { needs_practice: "#b42323", fair: "#8f5d0a", good: "#1f7a4a" };
const BAND_NAME = { needs_practice: "Needs practice", fair: "Fair", good: "Good" };

function frame(width, height, label) {
  const svg = s("svg", { class: "chart-svg", viewBox: `0 0 ${width} ${height}`, width, height,
    role: "img", "aria-label": label, preserveAspectRatio: "xMinYMin meet" });
  svg.style.maxWidth = `${width}px`;
  return svg;
}

function text(x, y, value, attrs = {}) {
  return s("text", { x, y, "font-size": 12, fill: "#3d4450", ...attrs }, String(value));
}

function figure(caption, svg, note) {
  return h("figure", { class: "chart" }, h("figcaption", { text: caption }), svg,
    note ? h("p", { class: "chart-note", text: note }) : null);
}

/** Overall scores in ten bins of ten points, with the fair (50) and good (75) lines. */
export function scoreHistogram(scores, width) {
  const bins = new Array(10).fill(0);
  for (const score of scores) bins[Math.min(9, Math.max(0, Math.floor(score / 10)))] += 1;
  const height = 200;
  const m = { top: 14, right: 12, bottom: 38, left: 34 };
  const top = Math.max(1, ...bins);
  const mean = scores.length ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : null;
  const label = scores.length
    ? `Overall scores of ${scores.length} finished sessions: mean ${mean}, from ${Math.min(...scores)} to ${Math.max(...scores)} out of 100.`
    : "No finished sessions yet.";
  const svg = frame(width, height, label);
  const inner = width - m.left - m.right;
  const barW = inner / 10;
  const y = (v) => height - m.bottom - (v / top) * (height - m.top - m.bottom);
  for (const tick of [0, top]) {
    svg.append(s("line", { x1: m.left, x2: width - m.right, y1: y(tick), y2: y(tick), stroke: "#e3e6eb" }));
    svg.append(text(m.left - 6, y(tick) + 4, tick, { "text-anchor": "end" }));
  }
  bins.forEach((n, i) => {
    const lo = i * 10;
    const fill = lo >= 75 ? BAND_FILL.good : lo >= 50 ? BAND_FILL.fair : BAND_FILL.needs_practice;
    if (n) {
      svg.append(s("rect", { x: m.left + i * barW + 2, y: y(n), width: barW - 4, height: y(0) - y(n), fill, rx: 3 },
        s("title", {}, `${lo}–${lo + 9 + (i === 9 ? 1 : 0)}: ${n} session${n === 1 ? "" : "s"}`)));
    }
  });
  for (let tick = 0; tick <= 100; tick += width < 420 ? 20 : 10) {
    svg.append(text(m.left + (tick / 100) * inner, height - m.bottom + 16, tick, { "text-anchor": "middle" }));
  }
  for (const [score, name] of [[50, "fair"], [75, "good"]]) {
    const x = m.left + (score / 100) * inner;
    svg.append(s("line", { x1: x, x2: x, y1: m.top, y2: y(0), stroke: "#6b5314", "stroke-dasharray": "4 3" }));
    svg.append(text(x + 3, m.top + 10, name, { fill: "#6b5314" }));
  }
  svg.append(text(m.left + inner / 2, height - 4, "overall score", { "text-anchor": "middle" }));
  return figure("Overall scores", svg, mean === null ? "Appears once trainees finish assigned sessions." : `Mean ${mean}.`);
}

/** One stacked bar per metric: how many trainees sit in each band. */
export function bandBars(distributions, width) {
  const metrics = Object.entries(distributions || {}).filter(([key, v]) => key !== "overall" && v && typeof v === "object" && !Array.isArray(v));
  if (!metrics.length) return null;
  const rowH = 26;
  const m = { top: 8, right: 12, bottom: 30, left: Math.min(190, Math.floor(width * 0.42)) };
  const height = m.top + m.bottom + rowH * metrics.length;
  const summary = metrics.map(([key, v]) => `${humanise(key)}: ${BAND_ORDER.map((b) => `${v[b] || 0} ${BAND_NAME[b].toLowerCase()}`).join(", ")}`).join("; ");
  const svg = frame(width, height, `Trainees in each band per metric. ${summary}.`);
  const inner = width - m.left - m.right;
  const maxChars = Math.floor((m.left - 8) / 6.4);
  metrics.forEach(([key, v], row) => {
    const total = BAND_ORDER.reduce((n, b) => n + (v[b] || 0), 0);
    const y = m.top + row * rowH;
    const name = humanise(key);
    svg.append(text(m.left - 8, y + rowH / 2 + 4, name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name, { "text-anchor": "end" }));
    let x = m.left;
    for (const band of BAND_ORDER) {
      const n = v[band] || 0;
      if (!n || !total) continue;
      const w = (n / total) * inner;
      svg.append(s("rect", { x, y: y + 4, width: Math.max(0, w - 1), height: rowH - 8, fill: BAND_FILL[band] },
        s("title", {}, `${name}: ${n} ${BAND_NAME[band].toLowerCase()}`)));
      if (w > 18) svg.append(text(x + w / 2, y + rowH / 2 + 4, n, { "text-anchor": "middle", fill: "#ffffff", "font-weight": 700 }));
      x += w;
    }
    if (!total) svg.append(text(m.left, y + rowH / 2 + 4, "no data", { fill: "#5f6774" }));
  });
  let lx = m.left;
  for (const band of BAND_ORDER) {
    svg.append(s("rect", { x: lx, y: height - 20, width: 10, height: 10, fill: BAND_FILL[band] }));
    svg.append(text(lx + 14, height - 11, BAND_NAME[band]));
    lx += 14 + BAND_NAME[band].length * 7 + 14;
  }
  return figure("Metric bands across trainees", svg);
}
