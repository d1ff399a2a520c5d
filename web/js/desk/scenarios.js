// #/desk/scenarios: scenario authoring. A form for the main fields and the whole file as YAML
// ("Scenario YAML"), kept in step both ways for the simple fields. "Validate" sends the YAML to
// the server (same schema as the files) and shows the schema errors or the quality gate's results
// (three scripted mentors); "Publish to cohort" is offered only when the gate passes.

import { announce, h, humanise, mount } from "../dom.js";
import { desk } from "./http.js";
import { forgetCatalog } from "./catalog.js";
import { deskNav, failure, labelled, pageHeading, selectOf, staffOnly } from "./common.js";
import { CATEGORIES, PROFESSIONS, STARTER_YAML, WORKWELL } from "./template.js";

// [path, label, kind, options]; kind: text | long | number | choice
const FIELDS = [
  [["id"], "Scenario id", "text", null, "Lower case letters, digits and hyphens, e.g. band6-nurse-stuck."],
  [["title"], "Title", "text"],
  [["summary"], "Summary", "long"],
  [["presenting_issue"], "Presenting issue", "long"],
  [["persona", "name"], "Mentee's name", "text"],
  [["persona", "pronouns"], "Pronouns", "text"],
  [["persona", "age"], "Age", "number"],
  [["persona", "role"], "Role", "text"],
  [["persona", "profession"], "Profession", "choice", PROFESSIONS],
  [["persona", "specialty"], "Specialty", "text"],
  [["persona", "career_stage"], "Career stage", "text"],
  [["persona", "card"], "Card (what the trainee reads first)", "long"],
  [["tags", "category"], "Category", "choice", CATEGORIES],
  [["tags", "workwell"], "Workwell component", "choice", WORKWELL],
  [["difficulty", "level"], "Difficulty level", "choice", ["1", "2", "3"]],
];

function escapeRe(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The line range of a top-level block `parent:` (its indented lines), or null. */
function blockRange(lines, parent) {
  const start = lines.findIndex((l) => new RegExp(`^${escapeRe(parent)}:\\s*(#.*)?$`).test(l));
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && (/^\s/.test(lines[end]) || lines[end].trim() === "")) end += 1;
  return [start + 1, end];
}

function keyLine(lines, path) {
  if (path.length === 1) {
    const index = lines.findIndex((l) => new RegExp(`^${escapeRe(path[0])}:`).test(l));
    return index < 0 ? null : { index, indent: "" };
  }
  const range = blockRange(lines, path[0]);
  if (!range) return null;
  for (let i = range[0]; i < range[1]; i += 1) {
    const match = lines[i].match(new RegExp(`^(\\s+)${escapeRe(path[1])}:`));
    if (match) return { index: i, indent: match[1] };
  }
  return null;
}

/** A simple scalar from the YAML (quoted or plain, one line), or undefined. */
export function readKey(yaml, path) {
  const lines = yaml.split("\n");
  const found = keyLine(lines, path);
  if (!found) return undefined;
  const raw = lines[found.index].slice(found.indent.length + path[path.length - 1].length + 1).trim();
  if (!raw || /^[>|]/.test(raw)) return undefined;
  if (raw.startsWith("\"")) { try { return JSON.parse(raw); } catch { return undefined; } }
  if (raw.startsWith("'")) return raw.replace(/^'|'$/g, "").replace(/''/g, "'");
  return raw.replace(/\s+#.*$/, "");
}

/** Write one scalar into the YAML, adding the key when it is missing. */
export function writeKey(yaml, path, value, kind) {
  const text = kind === "number" || kind === "choice" ? String(value) : JSON.stringify(String(value));
  const lines = yaml.split("\n");
  const found = keyLine(lines, path);
  const key = path[path.length - 1];
  if (found) {
    // a folded or literal block value continues on deeper-indented lines: drop them
    let next = found.index + 1;
    if (/:\s*[>|]/.test(lines[found.index])) {
      while (next < lines.length && lines[next].startsWith(`${found.indent}  `)) next += 1;
    }
    lines.splice(found.index, next - found.index, `${found.indent}${key}: ${text}`);
  } else if (path.length === 1) {
    lines.unshift(`${key}: ${text}`);
  } else {
    const range = blockRange(lines, path[0]);
    if (range) lines.splice(range[0], 0, `  ${key}: ${text}`);
    else lines.push(`${path[0]}:`, `  ${key}: ${text}`);
  }
  return lines.join("\n");
}

function control([path, , kind, options]) {
  const name = path.join(".");
  if (kind === "choice") return selectOf(options.map((o) => [o, /^\d$/.test(o) ? o : humanise(o)]), { name });
  if (kind === "long") return h("textarea", { name, rows: 3, maxlength: 500 });
  if (kind === "number") return h("input", { type: "number", name, min: 18, max: 80, inputmode: "numeric" });
  return h("input", { type: "text", name, maxlength: path[0] === "id" ? 60 : 500, autocomplete: "off" });
}

function resultRows(results) {
  return (results || []).map((r) => {
    if (typeof r === "string") return h("li", { class: "gate-item gate-fail", text: r });
    const ok = r.ok ?? r.passed ?? r.pass;
    const name = r.mentor || r.name || r.label || "Check";
    const rest = Object.entries(r).filter(([k, v]) => v !== null && v !== undefined && v !== ""
      && !["ok", "passed", "pass", "mentor", "name", "label"].includes(k));
    return h("li", { class: `gate-item ${ok ? "gate-ok" : "gate-fail"}` },
      h("strong", { text: `${humanise(name)}: ${ok ? "passed" : "failed"}` }),
      rest.length ? h("span", { class: "block small", text: rest.map(([k, v]) => `${humanise(k)}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(" · ") }) : null);
  });
}

function publishedText(m) {
  const n = Array.isArray(m.published) ? m.published.length : (m.published ? 1 : 0);
  return n ? `published to ${n} cohort${n === 1 ? "" : "s"}` : "draft";
}

function gateView(gate) {
  if (!gate) return h("p", { class: "muted", text: "The quality gate did not report." });
  return h("div", { class: `gate ${gate.ok ? "gate-passed" : "gate-failed"}` },
    h("p", {}, h("strong", { text: gate.ok ? "Valid, and the quality gate passed." : "Valid, but the quality gate failed." }),
      gate.ok ? " It can be published to a cohort." : " Fix what the scripted mentors found, then validate again."),
    h("ul", { class: "gate-list" }, resultRows(gate.results)));
}

export async function renderScenarios(main) {
  document.title = "Scenario authoring — Empowerer";
  const user = await staffOnly(main, "Scenario authoring");
  if (user.blocked) return user.blocked;
  const heading = pageHeading("Scenario authoring");
  let cohorts = [];
  let mine = [];
  try {
    const [c, m] = await Promise.allSettled([desk.cohorts(), desk.authored()]);
    if (c.status === "fulfilled") cohorts = c.value.filter((x) => x.role !== "member");
    if (m.status === "fulfilled") mine = m.value;
    if (c.status === "rejected") throw c.reason;
  } catch (error) {
    return failure(main, "Scenario authoring", error);
  }

  let draftId = null;
  let gatePassed = false;
  const yaml = h("textarea", { name: "yaml", rows: 22, spellcheck: "false", class: "yaml", autocomplete: "off" });
  yaml.value = STARTER_YAML;
  const controls = FIELDS.map((f) => ({ f, el: control(f) }));
  const fromYaml = () => {
    for (const { f, el } of controls) {
      const value = readKey(yaml.value, f[0]);
      if (value !== undefined && document.activeElement !== el) el.value = value;
    }
  };
  const invalidate = () => {
    gatePassed = false;
    publish.disabled = true;
    publishHint.textContent = "Validate first: publishing needs the quality gate to pass.";
  };
  for (const { f, el } of controls) {
    el.addEventListener("input", () => { yaml.value = writeKey(yaml.value, f[0], el.value, f[2]); invalidate(); });
  }
  yaml.addEventListener("input", () => { fromYaml(); invalidate(); });
  fromYaml();

  const result = h("div", { class: "validate-result", role: "status", "aria-live": "polite" });
  const validate = h("button", { type: "submit", class: "primary", text: "Validate" });
  const cohort = selectOf(cohorts.map((c) => [c.id, c.name]), { name: "cohort" });
  const publish = h("button", { type: "button", text: "Publish to cohort", disabled: true });
  const publishHint = h("p", { class: "hint", id: "publish-hint", text: "Validate first: publishing needs the quality gate to pass." });
  publish.setAttribute("aria-describedby", "publish-hint");
  const publishStatus = h("p", { role: "status", class: "created" });
  const title = h("p", { class: "muted", text: "New scenario (not saved yet)." });

  const form = h("form", { class: "desk-form authoring", novalidate: true },
    h("fieldset", { class: "author-fields" }, h("legend", { text: "Main fields" }),
      h("div", { class: "form-grid" }, controls.map(({ f, el }) => {
        const node = labelled(f[1], el, f[4]);
        if (f[2] === "long") node.classList.add("wide");
        return node;
      }))),
    labelled("Scenario YAML", yaml, "The whole scenario file: layers, feelings, goals, options, commitment and the mentee's lines. The fields above edit the same text."),
    h("div", { class: "form-actions" }, validate,
      h("button", { type: "button", text: "Start again from the template", onclick: () => {
        yaml.value = STARTER_YAML; draftId = null; fromYaml(); invalidate(); mount(result); title.textContent = "New scenario (not saved yet).";
      } })),
    result);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    validate.disabled = true;
    mount(result, h("p", { class: "muted", text: "Validating and running the quality gate (three scripted mentors)…" }));
    try {
      const saved = draftId ? await desk.authorUpdate(draftId, yaml.value) : await desk.authorCreate(yaml.value);
      draftId = saved.id || draftId;
      title.textContent = `Draft ${draftId} saved.`;
      gatePassed = Boolean(saved.gate && saved.gate.ok);
      mount(result, gateView(saved.gate));
      publish.disabled = !gatePassed || !cohorts.length;
      publishHint.textContent = !cohorts.length ? "Create a cohort first: scenarios are published to a cohort."
        : gatePassed ? "Publishes to the chosen cohort: its members and facilitators will see it." : "The quality gate must pass before publishing.";
      announce(gatePassed ? "Valid; the quality gate passed." : "Valid; the quality gate failed.");
      refreshMine();
    } catch (err) {
      gatePassed = false;
      publish.disabled = true;
      mount(result, h("div", { class: "schema-errors", role: "alert" },
        h("p", {}, h("strong", { text: err.status === 422 ? "The scenario does not match the schema:" : "Could not validate:" })),
        h("ul", {}, String(err.message).split("; ").map((line) => h("li", { text: line })))));
    } finally {
      validate.disabled = false;
    }
  });

  publish.addEventListener("click", async () => {
    if (!gatePassed || !draftId || !cohort.value) return;
    publish.disabled = true;
    publishStatus.textContent = "";
    try {
      await desk.publish(draftId, cohort.value);
      forgetCatalog();
      publishStatus.textContent = `Published to ${cohort.options[cohort.selectedIndex].text}. It can now be assigned there.`;
      refreshMine();
    } catch (err) {
      publishStatus.textContent = `Not published: ${err.message}`;
      if (err.body && err.body.gate) mount(result, gateView(err.body.gate));
    } finally {
      publish.disabled = !gatePassed;
    }
  });

  const mineBox = h("div");
  const drawMine = () => mount(mineBox, mineView());
  const mineView = () => (mine.length
    ? h("ul", { class: "authored" }, mine.map((m) => {
      const edit = m.yaml ? h("button", { type: "button", class: "small-btn", text: "Edit" }) : null;
      if (edit) {
        edit.addEventListener("click", () => {
          yaml.value = m.yaml; draftId = m.id; fromYaml(); invalidate(); mount(result);
          title.textContent = `Editing ${m.title || m.id}.`;
          yaml.focus();
        });
      }
      return h("li", {}, h("span", { text: m.title || (m.spec && m.spec.title) || m.id }), " ",
        h("span", { class: "muted small", text: [publishedText(m),
          m.gate ? (m.gate.ok ? "gate passed" : "gate failed") : null].filter(Boolean).join(" · ") }), " ", edit);
    }))
    : h("p", { class: "muted", text: "None yet." }));
  drawMine();
  const refreshMine = async () => { try { mine = await desk.authored(); drawMine(); } catch { /* keep the old list */ } };

  mount(main, heading, deskNav(user, "scenarios"),
    h("p", { class: "lede", text: "Write a simulated mentee. The server checks it with the same schema as the built-in scenarios, then three scripted mentors talk to it: a good mentor must reach the core and a commitment, an advice-giver and a closed-question interrogator must not." }),
    h("section", { class: "section panel", "aria-labelledby": "edit-h" }, h("h2", { id: "edit-h", text: "Edit" }), title, form),
    h("section", { class: "section panel", "aria-labelledby": "pub-h" }, h("h2", { id: "pub-h", text: "Publish" }),
      cohorts.length ? labelled("Cohort", cohort) : h("p", { class: "muted", text: "You have no cohorts yet." }),
      publishHint, h("div", { class: "form-actions" }, publish), publishStatus),
    h("section", { class: "section panel", "aria-labelledby": "mine-h" }, h("h2", { id: "mine-h", text: "My scenarios" }), mineBox));
  return heading;
}
