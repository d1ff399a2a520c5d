// Start page: choose a mentee (scenario cards with filters and search), choose a framework (its
// stages and diagram), then Start.

import { api } from "./api.js";
import { announce, h, humanise, mount, uid } from "./dom.js";
import { diagramLegend, frameworkDiagram } from "./diagram.js";

const FRAMEWORK_KEY = "empowerer:framework";

function levelText(level) {
  return `Difficulty ${level}`;
}

function searchText(card) {
  const p = card.persona || {};
  const tags = card.tags || {};
  return [card.title, card.summary, card.presenting_issue, p.name, p.role, p.profession, p.specialty,
    tags.category, tags.workwell, ...(tags.extra || [])].join(" ").toLowerCase();
}

function scenarioCard(card, checked) {
  const p = card.persona || {};
  const tags = card.tags || {};
  const inputId = uid("scenario");
  const descId = `${inputId}-desc`;
  const level = card.difficulty ? card.difficulty.level : null;
  return h("li", { class: "scenario-item", dataset: { id: card.id } },
    h("input", { type: "radio", name: "scenario", id: inputId, value: card.id, checked,
      class: "card-radio", "aria-label": `${p.name || card.title}: ${card.title}`, "aria-describedby": descId }),
    h("label", { for: inputId, class: "card scenario-card" },
      h("span", { class: "card-head" },
        h("span", { class: "avatar", "aria-hidden": "true", text: (p.name || "?").charAt(0) }),
        h("span", { class: "card-who" },
          h("span", { class: "card-name", text: p.name || card.title }),
          h("span", { class: "card-role", text: [p.role, p.pronouns].filter(Boolean).join(" · ") }))),
      h("span", { class: "card-title", text: card.title }),
      h("span", { class: "card-summary", id: descId, text: card.summary || card.presenting_issue || "" }),
      h("span", { class: "tag-row" },
        tags.category ? h("span", { class: "tag tag-category", text: humanise(tags.category) }) : null,
        p.profession ? h("span", { class: "tag", text: humanise(p.profession) }) : null,
        level !== null ? h("span", { class: `tag tag-level level-${level}`, text: levelText(level) }) : null,
        card.has_risk ? h("span", { class: "tag tag-risk", text: "Risk cues" }) : null,
        ...(tags.extra || []).slice(0, 3).map((t) => h("span", { class: "tag tag-extra", text: t })))));
}

function options(values, formatter) {
  return [h("option", { value: "", text: "Any" }),
    ...[...values].sort().map((v) => h("option", { value: v, text: formatter(v) }))];
}

function filterBar(cards, onChange) {
  const categories = new Set(cards.map((c) => c.tags && c.tags.category).filter(Boolean));
  const professions = new Set(cards.map((c) => c.persona && c.persona.profession).filter(Boolean));
  const levels = new Set(cards.map((c) => c.difficulty && String(c.difficulty.level)).filter(Boolean));
  const field = (label, control) => {
    const id = uid("filter");
    control.id = id;
    control.addEventListener("input", onChange);
    return h("div", { class: "field" }, h("label", { for: id, text: label }), control);
  };
  const search = h("input", { type: "search", name: "q", autocomplete: "off", placeholder: "name, issue, tag…" });
  const category = h("select", { name: "category" }, options(categories, humanise));
  const profession = h("select", { name: "profession" }, options(professions, humanise));
  const level = h("select", { name: "level" }, options(levels, (v) => levelText(v)));
  const bar = h("div", { class: "filters" },
    field("Search scenarios", search), field("Category", category),
    field("Profession", profession), field("Difficulty", level));
  const values = () => ({ q: search.value.trim().toLowerCase(), category: category.value,
    profession: profession.value, level: level.value });
  return { bar, values };
}

function matches(card, f) {
  if (f.category && (card.tags || {}).category !== f.category) return false;
  if (f.profession && (card.persona || {}).profession !== f.profession) return false;
  if (f.level && String((card.difficulty || {}).level) !== f.level) return false;
  return !f.q || f.q.split(/\s+/).every((word) => searchText(card).includes(word));
}

function stageList(framework) {
  return h("ol", { class: "stage-list" }, (framework.stage_details || []).map((st) =>
    h("li", {},
      h("span", { class: "stage-list-title" },
        st.parent_title ? h("span", { class: "stage-parent", text: `${st.parent_title} · ` }) : null,
        st.title),
      h("span", { class: "stage-purpose", text: st.purpose || "" }),
      (st.questions || []).length
        ? h("details", { class: "stage-questions" },
          h("summary", { text: "Questions to ask" }),
          h("ul", {}, st.questions.map((q) => h("li", { text: q }))))
        : null)));
}

async function showFramework(panel, id, cache) {
  mount(panel, h("p", { class: "muted", role: "status", text: "Loading the framework…" }));
  try {
    if (!cache.has(id)) cache.set(id, await api.framework(id));
    const fw = cache.get(id);
    mount(panel,
      h("div", { class: "framework-detail" },
        h("figure", { class: "diagram" },
          h("figcaption", { text: `${fw.name} as a diagram` }),
          frameworkDiagram(fw, fw.initial),
          diagramLegend()),
        h("div", { class: "framework-stages" },
          h("h3", { text: `${fw.name}: stages` }),
          h("p", { class: "muted", text: fw.description }),
          stageList(fw),
          fw.source ? h("p", { class: "source", text: `Source: ${fw.source}` }) : null)));
  } catch (error) {
    mount(panel, h("p", { class: "error", role: "alert", text: `Could not load the framework: ${error.message}` }));
  }
}

export async function renderStart(main) {
  document.title = "Practise — Empowerer";
  const heading = h("h1", { tabindex: "-1", text: "Practise a mentoring conversation" });
  const status = h("p", { class: "form-error", role: "alert" });
  mount(main, heading, h("p", { class: "lede", text: "Choose a mentee and a framework. The mentee opens up when you listen, ask open questions and let them find their own way." }), status);

  let frameworks = [];
  let cards = [];
  let scenarioError = null;
  const [fwResult, scResult] = await Promise.allSettled([api.frameworks(), api.scenarios()]);
  if (fwResult.status === "fulfilled") frameworks = fwResult.value;
  if (scResult.status === "fulfilled") cards = scResult.value; else scenarioError = scResult.reason;

  const list = h("ul", { class: "scenario-list" });
  const count = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const applyFilter = () => {
    const f = filters.values();
    const checked = list.querySelector("input:checked");
    let shown = 0;
    for (const item of list.children) {
      const card = cards.find((c) => c.id === item.dataset.id);
      const visible = matches(card, f);
      item.hidden = !visible;
      if (visible) shown += 1;
    }
    if (checked && checked.closest("li").hidden) checked.checked = false;
    count.textContent = `${shown} of ${cards.length} scenarios shown.`;
    describeChoice();
  };
  const filters = filterBar(cards, applyFilter);
  list.append(...cards.map((card, i) => scenarioCard(card, i === 0)));

  const scenarioSection = h("fieldset", { class: "section scenarios" },
    h("legend", {}, h("h2", { text: "1. Choose a mentee" })),
    filters.bar, count,
    scenarioError
      ? h("p", { class: "error", text: `Scenarios are not available: ${scenarioError.message}` })
      : cards.length ? list : h("p", { class: "muted", text: "No scenarios are installed." }));

  const preferred = localStorage.getItem(FRAMEWORK_KEY);
  const chosen = frameworks.some((f) => f.id === preferred) ? preferred : (frameworks[0] || {}).id;
  const panel = h("div", { class: "framework-panel", "aria-live": "polite" });
  const cache = new Map();
  const fwList = h("div", { class: "framework-choices" }, frameworks.map((fw) => {
    const id = uid("framework");
    return h("div", { class: "framework-choice" },
      h("input", { type: "radio", name: "framework", id, value: fw.id, checked: fw.id === chosen, class: "card-radio",
        "aria-labelledby": `${id}-name`, "aria-describedby": `${id}-desc`,
        onchange: () => { localStorage.setItem(FRAMEWORK_KEY, fw.id); showFramework(panel, fw.id, cache); } }),
      h("label", { for: id, class: "card framework-card" },
        h("span", { class: "card-name", id: `${id}-name`, text: fw.name }),
        h("span", { class: "card-summary", id: `${id}-desc`, text: `${fw.stages.length} stages` })));
  }));
  const frameworkSection = h("fieldset", { class: "section frameworks" },
    h("legend", {}, h("h2", { text: "2. Choose a framework" })), fwList, panel);

  const startButton = h("button", { type: "submit", class: "primary big", text: "Start" });
  const choice = h("p", { class: "start-choice" });
  const form = h("form", { class: "start-form", novalidate: true },
    h("div", { class: "start-columns" }, scenarioSection, frameworkSection),
    h("div", { class: "start-actions" }, choice, startButton));
  const describeChoice = () => {
    const scenario = form.querySelector("input[name=scenario]:checked");
    const framework = form.querySelector("input[name=framework]:checked");
    const card = scenario && cards.find((c) => c.id === scenario.value);
    const fw = framework && frameworks.find((f) => f.id === framework.value);
    choice.textContent = card
      ? `${(card.persona && card.persona.name) || card.title}${fw ? ` · ${fw.name}` : ""}`
      : "No mentee chosen";
  };
  form.addEventListener("change", describeChoice);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const scenario = form.querySelector("input[name=scenario]:checked");
    const framework = form.querySelector("input[name=framework]:checked");
    if (!scenario || !framework) {
      status.textContent = !scenario ? "Choose a mentee first." : "Choose a framework first.";
      return;
    }
    startButton.disabled = true;
    startButton.textContent = "Starting…";
    try {
      const session = await api.createSession(scenario.value, framework.value);
      announce("Session started.");
      window.location.hash = `#/session/${encodeURIComponent(session.id)}`;
    } catch (error) {
      status.textContent = `Could not start: ${error.message}`;
      startButton.disabled = false;
      startButton.textContent = "Start";
    }
  });
  main.append(form);
  applyFilter();
  describeChoice();
  if (chosen) await showFramework(panel, chosen, cache);
  return heading;
}
