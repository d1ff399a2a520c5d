// Names for scenario and framework ids (assignments carry ids; people read names).

import { desk } from "./http.js";

let cached = null;

export function catalog() {
  if (!cached) {
    cached = Promise.allSettled([desk.scenarios(), desk.frameworks()]).then(([sc, fw]) => ({
      scenarios: sc.status === "fulfilled" ? sc.value : [],
      frameworks: fw.status === "fulfilled" ? fw.value : [],
    }));
    cached.then(({ scenarios }) => { if (!scenarios.length) cached = null; });
  }
  return cached;
}

export function forgetCatalog() {
  cached = null;
}

function idOf(value) {
  return value && typeof value === "object" ? value.id : value;
}

export function scenarioName(cat, value) {
  if (value && typeof value === "object" && value.title) {
    const who = value.persona && value.persona.name;
    return who ? `${who}: ${value.title}` : value.title;
  }
  const card = cat.scenarios.find((c) => c.id === idOf(value));
  if (!card) return String(idOf(value) || "—");
  const who = card.persona && card.persona.name;
  return who ? `${who}: ${card.title}` : card.title;
}

export function frameworkName(cat, value) {
  if (value && typeof value === "object" && value.name) return value.name;
  const fw = cat.frameworks.find((f) => f.id === idOf(value));
  return fw ? fw.name : String(idOf(value) || "—");
}

// Sessions seen on a cohort page: whose they are and which cohort (a session does not say).
const seen = new Map();

export function rememberSession(sessionId, trainee, cohort) {
  seen.set(sessionId, { trainee, cohort });
}

export function sessionContext(sessionId) {
  return seen.get(sessionId) || { trainee: null, cohort: null };
}
