// My sessions: the list with scores, and progress over time as a chart.

import { api } from "./api.js";
import { formatDate, h, mount } from "./dom.js";
import { bandClass, bandLabel } from "./labels.js";
import { chartWidth, lineChart } from "./charts.js";

function progressChart(sessions, container) {
  const scored = sessions.filter((s) => typeof s.score === "number").slice().reverse();
  if (scored.length < 1) return h("p", { class: "muted", text: "Finish a session to see your progress here." });
  const points = scored.map((s, i) => [i + 1, s.score, `${formatDate(s.updated_at || s.created_at)}: ${s.score} (${bandLabel(s.band)}) with ${s.persona_name || s.scenario.title}`]);
  const first = scored[0].score;
  const last = scored[scored.length - 1].score;
  return lineChart({
    caption: "Progress over time", width: chartWidth(container), height: 240,
    label: `Overall score over ${scored.length} finished sessions, from ${first} to ${last} out of 100.`,
    series: [{ name: "score", colour: "#1f5f8b", points }],
    yMin: 0, yMax: 100, yTicks: [0, 25, 50, 75, 100], xFormat: (v) => `#${v}`, xLabel: "finished session, oldest first",
    guides: [{ y: 75, label: "good" }, { y: 50, label: "fair" }],
  });
}

function sessionRow(s) {
  const href = s.ended ? `#/report/${encodeURIComponent(s.id)}` : `#/session/${encodeURIComponent(s.id)}`;
  return h("tr", {},
    h("td", { "data-label": "When", text: formatDate(s.updated_at || s.created_at) }),
    h("th", { scope: "row" }, h("a", { href, text: s.persona_name || (s.scenario && s.scenario.title) || s.id }),
      h("span", { class: "muted small block", text: (s.scenario && s.scenario.title) || "" })),
    h("td", { "data-label": "Framework", text: (s.framework && s.framework.name) || "" }),
    h("td", { "data-label": "Turns", class: "num", text: String(s.turns ?? "") }),
    h("td", { "data-label": "Status" }, s.ended ? "Ended" : h("a", { href: `#/session/${encodeURIComponent(s.id)}`, text: "Resume" })),
    h("td", { "data-label": "Score", class: "num" }, typeof s.score === "number" ? String(s.score) : "—"),
    h("td", { "data-label": "Band" }, s.band ? h("span", { class: bandClass(s.band), text: bandLabel(s.band) }) : h("a", { href: `#/report/${encodeURIComponent(s.id)}`, text: "Report so far" })));
}

export async function renderHistory(main) {
  document.title = "My sessions — Empowerer";
  const heading = h("h1", { tabindex: "-1", text: "My sessions" });
  mount(main, heading, h("p", { class: "loading", role: "status", text: "Loading…" }));
  let sessions;
  try {
    sessions = await api.sessions();
  } catch (error) {
    mount(main, heading, h("p", { class: "error", role: "alert", text: `Could not load your sessions: ${error.message}` }));
    return heading;
  }
  if (!sessions.length) {
    mount(main, heading, h("p", {}, "No sessions yet. ", h("a", { href: "#/", text: "Practise a conversation" })));
    return heading;
  }
  const chartSection = h("section", { class: "section panel", "aria-label": "Progress" });
  mount(main, heading, chartSection,
    h("section", { class: "section panel", "aria-labelledby": "list-h" },
      h("h2", { id: "list-h", text: `All sessions (${sessions.length})` }),
      h("div", { class: "table-wrap" }, h("table", { class: "sessions stack-table" },
        h("thead", {}, h("tr", {}, ["When", "Mentee", "Framework", "Turns", "Status", "Score", "Band"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, sessions.map(sessionRow))))));
  chartSection.append(progressChart(sessions, { clientWidth: chartSection.clientWidth - 40 }));
  return heading;
}
