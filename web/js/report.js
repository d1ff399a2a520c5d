// The report: overall band and score, each metric with its band, thresholds and source, charts,
// the disclosure ledger, the top feedback linked to its turns, and the transcript with codes.
// Keys the page does not know are rendered generically, so the report can grow.

import { api } from "./api.js";
import { add, formatDate, h, humanise, mount } from "./dom.js";
import { bandClass, bandLabel } from "./labels.js";
import { chartWidth, codeRaster, lineChart, stageTimeline, talkShare } from "./charts.js";
import { codeChips, speakerName, turnComments } from "./turns.js";

const KNOWN_SECTIONS = new Set(["overall", "metrics", "micro", "framework", "outcome", "feedback", "turns"]);

function formatValue(value, unit) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return typeof value === "object" ? JSON.stringify(value) : String(value);
  if (unit === "percent") return `${Math.round(value)}%`;
  if (unit === "yes/no") return value >= 1 ? "Yes" : "No";
  if (unit === "count") return String(Math.round(value));
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function thresholdText(m) {
  if (typeof m.fair !== "number" || typeof m.good !== "number") return "";
  if (m.unit === "yes/no") return `Aim: ${m.higher_is_better === false ? "No" : "Yes"}`;
  const op = m.higher_is_better === false ? "≤" : "≥";
  return `Fair ${op} ${formatValue(m.fair, m.unit)} · Good ${op} ${formatValue(m.good, m.unit)}`;
}

function badge(band, extra = "") {
  return h("span", { class: `${bandClass(band)} ${extra}`.trim(), text: bandLabel(band) });
}

function metricCard(key, m) {
  if (!m || typeof m !== "object") {
    return h("li", { class: "metric" }, h("span", { class: "metric-label", text: humanise(key) }),
      h("span", { class: "metric-value", text: formatValue(m) }));
  }
  const known = new Set(["label", "value", "band", "fair", "good", "higher_is_better", "unit", "source"]);
  const extras = Object.entries(m).filter(([k]) => !known.has(k));
  return h("li", { class: `metric metric-${m.band || "none"}` },
    h("span", { class: "metric-label", text: m.label || humanise(key) }),
    h("span", { class: "metric-row" },
      h("span", { class: "metric-value", text: formatValue(m.value, m.unit) }),
      m.band ? badge(m.band) : h("span", { class: "band band-none", text: "Not scored" })),
    h("span", { class: "metric-threshold", text: thresholdText(m) }),
    m.source ? h("span", { class: "metric-source", text: `Source: ${m.source}` }) : null,
    extras.length ? h("span", { class: "metric-source", text: extras.map(([k, v]) => `${humanise(k)}: ${formatValue(v)}`).join(" · ") }) : null);
}

function turnLink(reportId, turn, text) {
  if (turn === null || turn === undefined) return null;
  return h("a", { href: `#/report/${encodeURIComponent(reportId)}/turn/${turn}`, class: "turn-link", text: text || `Turn ${turn + 1}` });
}

function feedbackItem(id, item, turnsByIndex) {
  const turn = turnsByIndex.get(item.turn);
  return h("li", { class: `fb fb-${item.kind || "improve"}` },
    h("p", { class: "fb-title" },
      item.kind ? h("span", { class: `fb-kind fb-kind-${item.kind}`, text: humanise(item.kind) }) : null,
      h("strong", { text: item.title || "" })),
    item.detail ? h("p", { text: item.detail }) : null,
    item.said ? h("p", { class: "fb-said" }, h("span", { class: "muted", text: "You said: " }), h("q", { text: item.said })) : null,
    item.could_say ? h("p", { class: "fb-could" }, h("span", { class: "muted", text: "You could say: " }), h("q", { text: item.could_say })) : null,
    turn || item.turn !== null && item.turn !== undefined ? h("p", {}, turnLink(id, item.turn, `Go to turn ${item.turn + 1} in the transcript`)) : null);
}

function genericTable(rows) {
  if (!Array.isArray(rows) || !rows.length) return h("p", { class: "muted", text: "Nothing yet." });
  const keys = [...new Set(rows.flatMap((r) => (r && typeof r === "object" ? Object.keys(r) : ["value"])))];
  return h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, keys.map((k) => h("th", { scope: "col", text: humanise(k) })))),
    h("tbody", {}, rows.map((r) => h("tr", {}, keys.map((k) => h("td", { text: formatValue(r && typeof r === "object" ? r[k] : r) })))))));
}

const LAYERS = { surface: "Surface", deeper: "Deeper", core: "Core" };

function ledger(id, outcome) {
  const rows = outcome.ledger || [];
  if (!rows.length) return h("p", { class: "muted", text: "This scenario has no hidden layers to uncover." });
  return h("div", { class: "table-wrap" }, h("table", { class: "ledger stack-table" },
    h("caption", { class: "visually-hidden", text: "What the mentee disclosed, layer by layer" }),
    h("thead", {}, h("tr", {}, ["Layer", "What", "Disclosed", "What would have opened it"].map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, rows.map((u) => h("tr", { class: u.uncovered ? "uncovered" : "missed" },
      h("td", { "data-label": "Layer", text: LAYERS[u.layer] || humanise(u.layer) }),
      h("td", { "data-label": "What", text: humanise(u.id) }),
      h("td", { "data-label": "Disclosed" }, u.uncovered ? turnLink(id, u.turn, `Yes, turn ${(u.turn ?? 0) + 1}`) || "Yes" : h("span", { class: "missed-text", text: "Not yet" })),
      h("td", { "data-label": "Would have opened it", text: u.uncovered ? "" : (u.opened_by || "") }))))));
}

function outcomeFacts(id, outcome) {
  const facts = [];
  const who = (by) => (by === "mentee" ? "the mentee" : by === "mentor" ? "you" : "nobody yet");
  facts.push(["Deepest layer reached", ["none", "surface", "deeper", "core"][outcome.deepest_layer] || String(outcome.deepest_layer)]);
  if (outcome.options) {
    const mine = outcome.options.filter((o) => o.proposed_by === "mentee").length;
    facts.push(["Options the mentee proposed", `${mine} of ${outcome.options.length}`]);
  }
  if (outcome.chosen_action) facts.push(["Chosen action", outcome.chosen_action.option ? `${humanise(outcome.chosen_action.option)}, proposed by ${who(outcome.chosen_action.by)}` : "None yet"]);
  if (outcome.commitment) facts.push(["Commitment", outcome.commitment.reached ? `${outcome.commitment.step} — ${outcome.commitment.when}` : "No specific, dated commitment yet"]);
  for (const r of outcome.risk || []) facts.push([`Risk cue (${humanise(r.level)})`, `${humanise(r.status)} — cue at turn ${r.turn + 1}${r.answered_turn !== null && r.answered_turn !== undefined ? `, answered at turn ${r.answered_turn + 1}` : ""}`]);
  return h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}

function transcript(id, session, menteeName) {
  const turns = session.turns || [];
  const stageTitles = new Map((session.stages || []).map((st) => [st.id, st.title]));
  let lastStage = null;
  const items = [];
  for (const turn of turns) {
    if (turn.stage && turn.stage !== lastStage) {
      items.push(h("li", { class: "tr-stage", text: `Stage: ${turn.stage_title || stageTitles.get(turn.stage) || humanise(turn.stage)}` }));
      lastStage = turn.stage;
    }
    const mine = turn.speaker === "mentor";
    items.push(h("li", { class: `tr-turn ${mine ? "tr-mentor" : "tr-mentee"}`, id: `turn-${turn.index}`, tabindex: "-1" },
      h("span", { class: "tr-num", text: String(turn.index + 1) }),
      h("div", { class: "tr-body" },
        h("span", { class: "tr-who", text: speakerName(turn, menteeName) }),
        h("p", { class: "tr-text", text: turn.text }),
        mine && (turn.codes || []).length ? codeChips(turn.codes, turn.primary) : null,
        mine && turn.suggestion ? h("p", { class: "suggestion" }, h("strong", { text: "Try: " }), turn.suggestion) : null,
        turnComments(turn))));
  }
  if (!turns.length) return h("p", { class: "muted", text: "No turns yet." });
  return h("ol", { class: "transcript" }, items);
}

function charts(session, report, container) {
  const columns = container.clientWidth >= 860 ? 2 : 1;
  const width = chartWidth({ clientWidth: (container.clientWidth - 40 - 20 * (columns - 1)) / columns });
  const turns = session.turns || [];
  const mentorTurns = turns.filter((t) => t.speaker === "mentor");
  const menteeName = (session.persona && session.persona.name) || "Mentee";
  const figures = [];
  if ((session.stages || []).length && turns.length) figures.push(stageTimeline({ turns, stages: session.stages, width }));
  if (mentorTurns.length) figures.push(codeRaster({ mentorTurns, width }));
  const micro = report.micro || {};
  const count = (speaker) => turns.filter((t) => t.speaker === speaker).reduce((n, t) => n + (t.text.match(/[A-Za-z0-9]+/g) || []).length, 0);
  const mentorWords = micro.mentor_words ?? count("mentor");
  const menteeWords = micro.mentee_words ?? count("mentee");
  if (mentorWords + menteeWords) figures.push(talkShare({ mentorWords, menteeWords, menteeLabel: menteeName, width }));
  const trust = (report.outcome && report.outcome.trust) || [];
  if (trust.length) {
    figures.push(lineChart({
      caption: "Trust over time", width,
      label: `${menteeName}'s trust from ${trust[0].trust.toFixed(2)} to ${trust[trust.length - 1].trust.toFixed(2)} (0 to 1).`,
      series: [{ name: "trust", colour: "#2c7a4b", points: trust.map((p) => [p.turn, p.trust, `Turn ${p.turn + 1}: trust ${p.trust.toFixed(2)}`]) }],
      yMin: 0, yMax: 1, yTicks: [0, 0.5, 1], yFormat: (v) => v.toFixed(1), xFormat: (v) => String(v + 1), xLabel: "turn",
      guides: [{ y: 0.7, label: "good" }],
      note: report.outcome.trust_source === "estimated" ? "Estimated from the coding (the mentee did not report it)." : null,
    }));
  }
  if (!figures.length) return h("p", { class: "muted", text: "Charts appear once the conversation has some turns." });
  return h("div", { class: columns === 2 ? "charts two" : "charts" }, figures);
}

export async function renderReport(main, { id, turn }) {
  document.title = "Report — Empowerer";
  const already = main.querySelector(`[data-report="${CSS.escape(id)}"]`);
  if (already && turn !== undefined) return focusTurn(turn);
  mount(main, h("p", { class: "loading", role: "status", text: "Preparing the report…" }));
  let session;
  let report;
  try {
    [session, report] = await Promise.all([api.session(id), api.report(id)]);
  } catch (error) {
    const heading = h("h1", { tabindex: "-1", text: "Report not available" });
    mount(main, heading, h("p", { text: error.message }), h("p", {}, h("a", { href: "#/history", text: "My sessions" })));
    return heading;
  }
  const menteeName = (session.persona && session.persona.name) || "Mentee";
  const scenarioTitle = (session.scenario && session.scenario.title) || "";
  document.title = `Report: ${menteeName} — Empowerer`;
  const overall = report.overall || {};
  const heading = h("h1", { tabindex: "-1", text: `Report: ${menteeName}` });
  const feedbackList = report.feedback || [];
  const turnsByIndex = new Map((session.turns || []).map((t) => [t.index, t]));
  const page = h("article", { class: "report", dataset: { report: id } });
  mount(main, page);
  const metrics = Object.entries(report.metrics || {});
  const scored = metrics.filter(([, m]) => m && m.band);
  const unscored = metrics.filter(([, m]) => !(m && m.band));
  add(page,
    h("header", { class: "report-head" },
      h("div", {},
        heading,
        h("p", { class: "muted", text: [scenarioTitle, session.framework && session.framework.name, formatDate(session.created_at)].filter(Boolean).join(" · ") }),
        session.ended ? null : h("p", { class: "notice", text: "The session is still going: this is the report so far." })),
      h("div", { class: `overall ${bandClass(overall.band)}` },
        h("span", { class: "overall-label", text: "Overall" }),
        h("span", { class: "overall-score" }, String(overall.score ?? "—"), h("span", { class: "overall-max", text: "/100" })),
        h("span", { class: "overall-band", text: bandLabel(overall.band) }))),
    h("div", { class: "report-actions no-print" },
      session.ended ? null : h("a", { class: "button-link", href: `#/session/${encodeURIComponent(id)}`, text: "Back to the conversation" }),
      h("button", { type: "button", class: "secondary", text: "Print or save as PDF", onclick: () => window.print() }),
      h("a", { class: "button-link", href: `#/compare/${encodeURIComponent(id)}`, text: "Compare with exemplar" }),
      h("a", { class: "button-link", href: "#/", text: "Practise again" })),
    overall.cap ? h("p", { class: "notice", text: `Score capped: ${overall.cap}` }) : null,
    h("section", { class: "section", "aria-labelledby": "fb-h" },
      h("h2", { id: "fb-h", text: "What to work on first" }),
      feedbackList.length
        ? h("ol", { class: "feedback-list" }, feedbackList.slice(0, 3).map((f) => feedbackItem(id, f, turnsByIndex)))
        : h("p", { class: "muted", text: "No feedback yet." }),
      feedbackList.length > 3
        ? h("details", { class: "more-feedback" }, h("summary", { text: `More feedback (${feedbackList.length - 3})` }),
          h("ol", { class: "feedback-list" }, feedbackList.slice(3).map((f) => feedbackItem(id, f, turnsByIndex))))
        : null),
    h("section", { class: "section", "aria-labelledby": "metrics-h" },
      h("h2", { id: "metrics-h", text: "Metrics" }),
      h("ul", { class: "metrics" }, scored.map(([k, m]) => metricCard(k, m))),
      unscored.length ? h("details", { class: "unscored" },
        h("summary", { text: `Not scored in this session (${unscored.length})` }),
        h("ul", { class: "metrics" }, unscored.map(([k, m]) => metricCard(k, m)))) : null),
  );
  const chartSection = h("section", { class: "section charts-section", "aria-labelledby": "charts-h" }, h("h2", { id: "charts-h", text: "Charts" }));
  page.append(chartSection);
  chartSection.append(charts(session, report, chartSection));
  if (report.outcome) {
    page.append(h("section", { class: "section", "aria-labelledby": "ledger-h" },
      h("h2", { id: "ledger-h", text: "Disclosure ledger" }),
      h("p", { class: "muted", text: "What the mentee told you, from the surface to the core, and what stayed hidden." }),
      outcomeFacts(id, report.outcome),
      ledger(id, report.outcome)));
  }
  for (const [key, value] of Object.entries(report)) {
    if (KNOWN_SECTIONS.has(key)) continue;
    page.append(h("section", { class: "section" }, h("h2", { text: humanise(key) }),
      Array.isArray(value) ? genericTable(value) : h("p", { text: formatValue(value) })));
  }
  page.append(h("section", { class: "section", "aria-labelledby": "transcript-h" },
    h("h2", { id: "transcript-h", text: "Transcript" }),
    transcript(id, session, menteeName)));
  if (turn !== undefined) return focusTurn(turn);
  return heading;
}

function focusTurn(turn) {
  const target = document.getElementById(`turn-${turn}`);
  if (!target) return null;
  document.querySelectorAll(".tr-turn.highlight").forEach((el) => el.classList.remove("highlight"));
  target.classList.add("highlight");
  target.scrollIntoView({ block: "center" });
  return target;
}
