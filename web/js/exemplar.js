// Exemplar conversations: the program as an empowerer mentor against the simulated mentee.
//   #/exemplar[/SCENARIO/FRAMEWORK]  pick a scenario and a framework, "Show exemplar": the
//                                    conversation coded, scored and annotated stage by stage
//   #/compare/SESSION_ID             a trainee's session beside the exemplar of the same scenario
//                                    and framework, aligned by stage

import { api, get } from "./api.js";
import { h, mount, uid } from "./dom.js";
import { bandClass, bandLabel } from "./labels.js";
import { codeChips } from "./turns.js";

const exemplarPath = (scenario, framework) =>
  `/api/exemplar?scenario=${encodeURIComponent(scenario)}&framework=${encodeURIComponent(framework)}`;

function scoreBadge(label, report) {
  const overall = (report && report.overall) || {};
  return h("div", { class: "score-card" },
    h("span", { class: "score-label", text: label }),
    h("span", { class: "score-value", text: overall.score === null || overall.score === undefined ? "—" : `${overall.score} / 100` }),
    overall.band ? h("span", { class: bandClass(overall.band), text: bandLabel(overall.band) }) : null);
}

/** Notes (the exemplar's "why") keyed by mentor turn index. */
function notesByTurn(annotations) {
  const notes = new Map();
  for (const stage of annotations || []) {
    for (const move of stage.moves || []) {
      if (!notes.has(move.turn)) notes.set(move.turn, []);
      notes.get(move.turn).push(move);
    }
  }
  return notes;
}

function turnItem(turn, { mentorName, menteeName, notes }) {
  const mentor = turn.speaker === "mentor";
  const item = h("li", { class: `x-turn ${mentor ? "x-mentor" : "x-mentee"}`, dataset: { index: turn.index } },
    h("div", { class: "bubble" },
      h("span", { class: "msg-who", text: mentor ? mentorName : menteeName }),
      h("p", { class: "msg-text", text: turn.text })));
  if (mentor && turn.codes && turn.codes.length) item.append(codeChips(turn.codes, turn.primary));
  const why = (notes && notes.get(turn.index)) || [];
  if (why.length) {
    item.append(h("ul", { class: "x-why", "aria-label": "Why this move" },
      why.map((n) => h("li", {}, h("strong", { text: `${n.move.replace(/_/g, " ")}: ` }), n.why))));
  }
  return item;
}

function turnList(turns, options, label) {
  return h("ol", { class: "x-turns", "aria-label": label }, turns.map((t) => turnItem(t, options)));
}

async function loadChoices() {
  const [scenarios, frameworks] = await Promise.all([api.scenarios(), api.frameworks()]);
  return { scenarios, frameworks };
}

function select(label, items, chosen, toText) {
  const id = uid("x-select");
  const el = h("select", { id, name: label.toLowerCase() },
    items.map((it) => h("option", { value: it.id, selected: it.id === chosen, text: toText(it) })));
  return { el, field: h("div", { class: "field" }, h("label", { for: id, text: label }), el) };
}

// -- #/exemplar -----------------------------------------------------------------------------------

export async function renderExemplar(main, params) {
  document.title = "Exemplar conversations — Empowerer";
  mount(main, h("p", { class: "loading", role: "status", text: "Loading…" }));
  const { scenarios, frameworks } = await loadChoices();
  const heading = h("h1", { tabindex: "-1", text: "Exemplar conversations" });
  const scenario = select("Scenario", scenarios, params.scenario, (s) => `${s.persona ? s.persona.name + ": " : ""}${s.title}`);
  const framework = select("Framework", frameworks, params.framework, (f) => f.name);
  const showButton = h("button", { type: "submit", class: "primary", text: "Show exemplar" });
  const form = h("form", { class: "x-form", novalidate: true }, scenario.field, framework.field, showButton);
  const result = h("div", { class: "x-result", "aria-live": "polite" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = `#/exemplar/${encodeURIComponent(scenario.el.value)}/${encodeURIComponent(framework.el.value)}`;
    if (window.location.hash === next) showExemplar(result, scenario.el.value, framework.el.value, scenarios, frameworks);
    else window.location.hash = next;
  });
  mount(main, heading,
    h("p", { class: "lede", text: "The program plays an empowerer mentor against a scenario's simulated mentee: the whole conversation, each mentor turn coded, the score, and why each move was made, stage by stage. Use it to teach by demonstration, or to compare with your own session." }),
    form, result);
  if (params.scenario && params.framework) {
    await showExemplar(result, params.scenario, params.framework, scenarios, frameworks);
  }
  return heading;
}

async function showExemplar(result, scenarioId, frameworkId, scenarios, frameworks) {
  mount(result, h("p", { class: "loading", role: "status", text: "Playing the conversation…" }));
  let data;
  try {
    data = await get(exemplarPath(scenarioId, frameworkId));
  } catch (error) {
    mount(result, h("p", { class: "form-error", role: "alert", text: error.message }));
    return;
  }
  const card = scenarios.find((s) => s.id === scenarioId) || {};
  const fw = frameworks.find((f) => f.id === frameworkId) || { name: frameworkId };
  const menteeName = (card.persona && card.persona.name) || "Mentee";
  const options = { mentorName: "Exemplar mentor", menteeName, notes: notesByTurn(data.annotations) };
  const byIndex = new Map(data.turns.map((t) => [t.index, t]));
  const last = data.turns.length ? data.turns[data.turns.length - 1].index : 0;
  const sections = (data.annotations || []).map((stage, i) => {
    const from = i === 0 ? 0 : stage.from_turn;
    const to = stage.to_turn === null || stage.to_turn === undefined ? last : stage.to_turn;
    const turns = [];
    for (let k = from; k <= to; k += 1) if (byIndex.has(k)) turns.push(byIndex.get(k));
    return h("section", { class: "x-stage", "aria-label": `Stage: ${stage.title}` },
      h("h3", {}, stage.title, h("span", { class: "x-via muted", text: stage.via === "start" ? "" : ` (${stage.via})` })),
      turnList(turns, options, `${stage.title}: the conversation`));
  });
  mount(result,
    h("h2", { tabindex: "-1", text: `${menteeName}: ${card.title || scenarioId} — ${fw.name}` }),
    h("div", { class: "score-row" }, scoreBadge("Exemplar score", data.report)),
    sections);
}

// -- #/compare/SESSION_ID ------------------------------------------------------------------------

export async function renderCompare(main, { id }) {
  document.title = "Compare with exemplar — Empowerer";
  mount(main, h("p", { class: "loading", role: "status", text: "Loading your session and playing the exemplar…" }));
  const session = await api.session(id);
  const scenarioId = session.scenario.id;
  const frameworkId = session.framework.id;
  const [report, exemplar] = await Promise.all([api.report(id), get(exemplarPath(scenarioId, frameworkId))]);
  const menteeName = (session.persona && session.persona.name) || "Mentee";
  const heading = h("h1", { tabindex: "-1", text: "Your session beside the exemplar" });
  const mine = { mentorName: "You", menteeName, notes: new Map() };
  const theirs = { mentorName: "Exemplar mentor", menteeName, notes: notesByTurn(exemplar.annotations) };
  const rows = (session.stages || []).map((stage) => {
    const yours = session.turns.filter((t) => t.stage === stage.id);
    const example = exemplar.turns.filter((t) => t.stage === stage.id);
    const column = (title, turns, options, empty) => h("div", { class: "x-col" },
      h("h3", { class: "x-col-title", text: title }),
      turns.length ? turnList(turns, options, `${title}, ${stage.title}`) : h("p", { class: "muted", text: empty }));
    return h("section", { class: "x-compare-stage", dataset: { stage: stage.id }, "aria-labelledby": `cmp-${stage.id}` },
      h("h2", { id: `cmp-${stage.id}`, text: stage.parent_title ? `${stage.parent_title}: ${stage.title}` : stage.title }),
      h("div", { class: "x-columns" },
        column("Your session", yours, mine, "Your session did not reach this stage."),
        column("Exemplar", example, theirs, "The exemplar did not spend time here.")));
  });
  mount(main, heading,
    h("p", { class: "lede", text: `${menteeName}: ${session.scenario.title} — ${session.framework.name}. Each stage shows what you said beside what the exemplar mentor said, with the codes and why each move was made.` }),
    h("div", { class: "score-row" }, scoreBadge("Your score", report), scoreBadge("Exemplar score", exemplar.report)),
    h("div", { class: "report-actions" },
      h("a", { class: "button-link", href: `#/report/${encodeURIComponent(id)}`, text: "Back to your report" }),
      h("a", { class: "button-link", href: `#/exemplar/${encodeURIComponent(scenarioId)}/${encodeURIComponent(frameworkId)}`, text: "The exemplar on its own" })),
    rows);
  return heading;
}
