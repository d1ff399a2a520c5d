// The JSON API client: CSRF double submit, readable errors, idempotent retries for turns.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
    this.detail = detail;
  }
}

function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

function detailText(detail, status) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((item) => (item && item.msg) ? item.msg : JSON.stringify(item)).join("; ");
  }
  if (detail && typeof detail === "object") return JSON.stringify(detail);
  return `The server answered ${status}.`;
}

async function parse(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("application/json") ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, detailText(body && body.detail, response.status));
  }
  return body;
}

let primed = null;
/** Any GET gets the CSRF cookie set; writes wait for one first. */
function ensureCsrf() {
  if (readCookie("empowerer_csrf")) return Promise.resolve();
  if (!primed) primed = fetch("/api/health", { credentials: "same-origin" }).catch(() => null);
  return primed;
}

export async function get(path) {
  const response = await fetch(path, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  return parse(response);
}

export async function post(path, body, extraHeaders = {}) {
  await ensureCsrf();
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRF-Token": readCookie("empowerer_csrf"),
      ...extraHeaders,
    },
    body: JSON.stringify(body ?? {}),
  });
  return parse(response);
}

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

const wait = (ms) => new Promise((resolve) => { window.setTimeout(resolve, ms); });

/** Send a turn; a network failure is retried with the same Idempotency-Key (stored once). */
export async function sendTurn(sessionId, text) {
  const key = newKey();
  const path = `/api/sessions/${encodeURIComponent(sessionId)}/turns`;
  let lastError = null;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await post(path, { text }, { "Idempotency-Key": key });
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) throw error;
      lastError = error;
      await wait(400 * (attempt + 1));
    }
  }
  throw lastError;
}

export const api = {
  frameworks: () => get("/api/frameworks"),
  framework: (id) => get(`/api/frameworks/${encodeURIComponent(id)}`),
  scenarios: () => get("/api/scenarios"),
  sessions: () => get("/api/sessions"),
  session: (id) => get(`/api/sessions/${encodeURIComponent(id)}`),
  report: (id) => get(`/api/sessions/${encodeURIComponent(id)}/report`),
  createSession: (scenario, framework) => post("/api/sessions", { scenario, framework }),
  moveStage: (id, to) => post(`/api/sessions/${encodeURIComponent(id)}/stage`, { to }),
  endSession: (id) => post(`/api/sessions/${encodeURIComponent(id)}/end`, {}),
  sendTurn,
};
