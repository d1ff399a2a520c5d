// The framework diagram, drawn from /api/frameworks/{id}: stages top to bottom, forward moves as
// arrows down, moves back as dashed arcs on the left, skips as dotted arcs on the right.
// (Vendoring mermaid.js would cost ~2–3 MB; this reads the same transitions.)

import { h, s } from "./dom.js";

const ROW = 46;
const BOX_H = 32;
const GROUP_H = 22;

function layout(stages) {
  const rows = [];
  let y = 8;
  let lastParent = null;
  for (const st of stages) {
    if (st.parent_title && st.parent !== lastParent) {
      rows.push({ group: st.parent_title, y });
      y += GROUP_H;
    }
    lastParent = st.parent || null;
    rows.push({ stage: st, y });
    y += ROW;
  }
  return { rows, height: y };
}

function arc(x, y1, y2, offset) {
  return `M${x},${y1} C${x + offset},${y1} ${x + offset},${y2} ${x},${y2}`;
}

function marker(id, colour) {
  return s("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    s("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
}

/** An <svg> of the framework; `current` marks one stage. */
export function frameworkDiagram(framework, current) {
  const stages = framework.stage_details || [];
  const { rows, height } = layout(stages);
  const boxW = 206;
  const side = 78;
  const width = boxW + side * 2;
  const x0 = side;
  const centre = new Map();
  for (const row of rows) if (row.stage) centre.set(row.stage.id, row.y + BOX_H / 2);
  const index = new Map(stages.map((st, i) => [st.id, i]));
  const uidBase = `fw-${framework.id}`.replace(/[^a-z0-9-]/gi, "");
  const svg = s("svg", {
    class: "diagram-svg", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": `${framework.name}: ${stages.map((st) => st.title).join(", then ")}.`,
  });
  svg.append(s("defs", {}, marker(`${uidBase}-fwd`, "#1f5f8b"), marker(`${uidBase}-back`, "#8a5a00"), marker(`${uidBase}-skip`, "#9d2a5e")));
  const spans = { back: 0, skip: 0 };
  const sorted = [...(framework.transitions || [])].sort((a, b) =>
    Math.abs(index.get(a.source) - index.get(a.dest)) - Math.abs(index.get(b.source) - index.get(b.dest)));
  for (const t of sorted) {
    if (!centre.has(t.source) || !centre.has(t.dest)) continue;
    const from = index.get(t.source);
    const to = index.get(t.dest);
    const adjacentForward = to === from + 1 && t.kind !== "skip";
    if (adjacentForward) {
      const y1 = centre.get(t.source) + BOX_H / 2;
      const y2 = centre.get(t.dest) - BOX_H / 2 - 1;
      svg.append(s("line", { x1: x0 + boxW / 2, x2: x0 + boxW / 2, y1, y2, stroke: "#1f5f8b",
        "stroke-width": 2, "marker-end": `url(#${uidBase}-fwd)` }));
      continue;
    }
    const back = to < from;
    const key = back ? "back" : "skip";
    spans[key] += 1;
    const offset = Math.min(side - 8, 14 + Math.abs(to - from) * 9 + (spans[key] % 3) * 3);
    const x = back ? x0 : x0 + boxW;
    svg.append(s("path", {
      d: arc(x, centre.get(t.source), centre.get(t.dest), back ? -offset : offset),
      fill: "none", stroke: back ? "#8a5a00" : "#9d2a5e", "stroke-width": 1.4,
      "stroke-dasharray": back ? "5 3" : "2 3", opacity: 0.8,
      "marker-end": `url(#${uidBase}-${key})`,
    }, s("title", {}, `${t.kind}: ${t.source} → ${t.dest}`)));
  }
  for (const row of rows) {
    if (row.group) {
      svg.append(s("text", { x: x0, y: row.y + 14, "font-size": 12, "font-weight": 700, fill: "#4a5160" }, row.group));
      continue;
    }
    const isCurrent = row.stage.id === current;
    svg.append(s("rect", { x: x0, y: row.y, width: boxW, height: BOX_H, rx: 8,
      fill: isCurrent ? "#1f5f8b" : "#ffffff", stroke: "#1f5f8b", "stroke-width": 1.5 }));
    const title = row.stage.title.length > 29 ? `${row.stage.title.slice(0, 28)}…` : row.stage.title;
    svg.append(s("text", { x: x0 + boxW / 2, y: row.y + 21, "font-size": 13, "text-anchor": "middle",
      fill: isCurrent ? "#ffffff" : "#1b1f24" }, title));
  }
  return svg;
}

export function diagramLegend() {
  return h("ul", { class: "diagram-legend" },
    h("li", { class: "legend-forward", text: "forward" }),
    h("li", { class: "legend-back", text: "back (allowed any time)" }),
    h("li", { class: "legend-skip", text: "skip (only when ready)" }));
}
