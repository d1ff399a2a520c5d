// The API calls of accounts, cohorts and the facilitator's desk (docs/API-accounts.md).
// Reads go through api.js's get(); writes of any method carry X-CSRF-Token (double submit).

import { ApiError, get, post } from "../api.js";

function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

function csrfToken() {
  for (const part of document.cookie.split(";")) {
    const key = part.trim().split("=")[0];
    if (/csrf/i.test(key)) return readCookie(key);
  }
  return "";
}

async function primeCsrf() {
  if (csrfToken()) return;
  try { await fetch("/api/health", { credentials: "same-origin" }); } catch { /* the write will say */ }
}

function messageOf(body, status) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => (d && d.msg ? `${(d.loc || []).slice(1).join(".")}: ${d.msg}`.replace(/^: /, "") : JSON.stringify(d))).join("; ");
  if (detail && typeof detail === "object") return detail.message || JSON.stringify(detail);
  return `The server answered ${status}.`;
}

/** A write with any method; the error keeps the parsed body (e.g. the gate's results on 409). */
export async function write(method, path, body) {
  await primeCsrf();
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get("content-type") || "";
  const data = type.includes("application/json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, messageOf(data, response.status));
    error.body = data;
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;

export const desk = {
  me: () => get("/api/auth/me"),
  signup: (email, password, name) => write("POST", "/api/auth/signup", { email, password, name }),
  login: (email, password) => write("POST", "/api/auth/login", { email, password }),
  logout: () => write("POST", "/api/auth/logout", {}),
  users: () => get("/api/users"),
  setRole: (id, role) => write("PATCH", `/api/users/${enc(id)}`, { role }),

  cohorts: () => get("/api/cohorts"),
  cohort: (id) => get(`/api/cohorts/${enc(id)}`),
  createCohort: (name) => write("POST", "/api/cohorts", { name }),
  join: (code) => write("POST", "/api/cohorts/join", { code }),
  addFacilitator: (id, email) => write("POST", `/api/cohorts/${enc(id)}/facilitators`, { email }),
  dashboard: (id) => get(`/api/cohorts/${enc(id)}/dashboard`),
  cohortSessions: (id, trainee) => get(`/api/cohorts/${enc(id)}/sessions${trainee ? `?trainee=${enc(trainee)}` : ""}`),
  agreement: (id) => get(`/api/cohorts/${enc(id)}/agreement`),
  assignments: (id) => get(`/api/cohorts/${enc(id)}/assignments`),
  createAssignment: (id, body) => write("POST", `/api/cohorts/${enc(id)}/assignments`, body),
  exportCsv: (id) => `/api/cohorts/${enc(id)}/export.csv`,
  exportJson: (id) => `/api/cohorts/${enc(id)}/export.json`,

  myAssignments: () => get("/api/assignments"),
  startAssignment: (assignment) => post("/api/sessions", { assignment }),

  session: (id) => get(`/api/sessions/${enc(id)}`),
  report: (id) => get(`/api/sessions/${enc(id)}/report`),
  correct: (id, index, codes, primary) => write("PUT", `/api/sessions/${enc(id)}/turns/${index}/correction`, { codes, primary }),
  uncorrect: (id, index) => write("DELETE", `/api/sessions/${enc(id)}/turns/${index}/correction`),
  comment: (id, index, text) => write("POST", `/api/sessions/${enc(id)}/turns/${index}/comments`, { text }),

  scenarios: () => get("/api/scenarios"),
  frameworks: () => get("/api/frameworks"),
  authored: () => get("/api/authoring/scenarios"),
  authorCreate: (yaml) => write("POST", "/api/authoring/scenarios", { yaml }),
  authorUpdate: (id, yaml) => write("PUT", `/api/authoring/scenarios/${enc(id)}`, { yaml }),
  publish: (id, cohort) => write("POST", `/api/authoring/scenarios/${enc(id)}/publish`, { cohort }),
};
