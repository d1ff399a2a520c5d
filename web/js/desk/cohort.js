// #/desk/cohort/ID: the cohort dashboard. Per trainee: assignments done, latest and best score,
// metric bands; the cohort's distributions as charts; its sessions (to review); assignments and
// "New assignment"; coder agreement (Cohen's kappa per code); CSV and JSON exports.

import { announce, add, formatDate, h, humanise, mount } from "../dom.js";
import { bandLabel, codeLabel } from "../labels.js";
import { chartWidth } from "../charts.js";
import { desk } from "./http.js";
import { catalog, frameworkName, rememberSession, scenarioName } from "./catalog.js";
import { bandBars, scoreHistogram } from "./charts.js";
import {
  bandBadge, checkbox, dateText, deskNav, failure, joinBox, labelled, pageHeading, scoreText, selectOf,
  staffOnly, userName,
} from "./common.js";

function section(id, title, ...children) {
  return h("section", { class: "section panel", "aria-labelledby": id }, h("h2", { id, text: title }), ...children);
}

function table(caption, headers, rows, cls = "") {
  return h("div", { class: "table-wrap" }, h("table", { class: `stack-table ${cls}`.trim() },
    h("caption", { class: "visually-hidden", text: caption }),
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, rows)));
}

function bandsList(bands) {
  const entries = Object.entries(bands || {}).filter(([, band]) => band);
  if (!entries.length) return h("span", { class: "muted", text: "—" });
  return h("ul", { class: "band-list" }, entries.map(([metric, band]) =>
    h("li", { title: `${humanise(metric)}: ${bandLabel(band)}` },
      h("span", { class: "band-metric", text: `${humanise(metric)}: ` }), bandBadge(band))));
}

function traineeRows(trainees, onPick) {
  if (!trainees.length) return [h("tr", {}, h("td", { colspan: 5, class: "muted", text: "No trainees have joined yet. Share the join link." }))];
  return trainees.map((t) => {
    const pick = h("button", { type: "button", class: "link-btn", text: userName(t.user) });
    pick.addEventListener("click", () => onPick(t.user));
    return h("tr", {},
      h("th", { scope: "row" }, pick, t.user && t.user.email ? h("span", { class: "muted small block", text: t.user.email }) : null),
      h("td", { "data-label": "Assignments done", class: "num", text: `${t.assignments_done ?? 0} of ${t.assignments_total ?? 0}` }),
      h("td", { "data-label": "Latest score", class: "num", text: scoreText(t.latest_score) }),
      h("td", { "data-label": "Best score", class: "num", text: scoreText(t.best_score) }),
      h("td", { "data-label": "Metric bands" }, bandsList(t.bands)));
  });
}

function ownerOf(session) {
  return session.trainee || session.user || session.owner || null;
}

function sessionRows(cat, sessions, assignments) {
  if (!sessions.length) return [h("tr", {}, h("td", { colspan: 6, class: "muted", text: "No sessions to show yet." }))];
  const titles = new Map(assignments.map((a) => [a.id, a.title || scenarioName(cat, a.scenario)]));
  return sessions.map((s) => {
    const assignmentId = s.assignment && typeof s.assignment === "object" ? s.assignment.id : (s.assignment_id || s.assignment);
    const what = assignmentId ? (titles.get(assignmentId) || "Assignment") : "Shared practice";
    return h("tr", { dataset: { session: s.id } },
      h("th", { scope: "row", text: userName(ownerOf(s)) }),
      h("td", { "data-label": "Assignment" }, h("span", { class: "block", text: what }),
        h("span", { class: "muted small block", text: scenarioName(cat, s.scenario) })),
      h("td", { "data-label": "When", text: formatDate(s.updated_at || s.created_at) }),
      h("td", { "data-label": "Status", text: s.ended ? "Ended" : "In progress" }),
      h("td", { "data-label": "Score", class: "num" }, scoreText(s.score), " ", s.band ? bandBadge(s.band) : null),
      h("td", { class: "row-action" }, h("a", { class: "button-link", href: `#/desk/session/${encodeURIComponent(s.id)}`, text: "Review" },
        h("span", { class: "visually-hidden", text: ` the session of ${userName(ownerOf(s))}` }))));
  });
}

function assignmentRows(cat, assignments) {
  if (!assignments.length) return [h("tr", {}, h("td", { colspan: 5, class: "muted", text: "No assignments yet." }))];
  return assignments.map((a) => h("tr", {},
    h("th", { scope: "row" }, h("span", { class: "block", text: a.title || scenarioName(cat, a.scenario) }),
      a.title ? h("span", { class: "muted small block", text: scenarioName(cat, a.scenario) }) : null),
    h("td", { "data-label": "Framework", text: frameworkName(cat, a.framework) }),
    h("td", { "data-label": "Due", text: a.due ? dateText(a.due) : "—" }),
    h("td", { "data-label": "Target band", text: a.target_band ? bandLabel(a.target_band) : "—" }),
    h("td", { "data-label": "Mode", text: a.exam_mode ? "Exam" : "Practice" })));
}

function assignmentForm(cat, cohortId, onCreated) {
  const scenario = selectOf(cat.scenarios.map((c) => [c.id, scenarioName(cat, c)]), { name: "scenario", required: true });
  const framework = selectOf(cat.frameworks.map((f) => [f.id, f.name]), { name: "framework", required: true });
  const due = h("input", { type: "date", name: "due" });
  const target = selectOf([["", "None"], ["fair", "Fair"], ["good", "Good"]], { name: "target_band" });
  const title = h("input", { type: "text", name: "title", maxlength: 200, autocomplete: "off" });
  const exam = checkbox("Exam mode", { name: "exam_mode" });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "submit", class: "primary", text: "Create assignment" });
  const form = h("form", { class: "desk-form assignment-form", novalidate: true },
    h("div", { class: "form-grid" },
      labelled("Scenario", scenario), labelled("Framework", framework),
      labelled("Due date", due), labelled("Target band", target, "The band the trainee should reach."),
      labelled("Title (optional)", title)),
    exam.node,
    h("p", { class: "hint", text: "Exam mode turns live feedback off; the trainee sees the report at the end." }),
    error, h("div", { class: "form-actions" }, button));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!scenario.value || !framework.value) { error.textContent = "Choose a scenario and a framework."; return; }
    const body = { scenario: scenario.value, framework: framework.value, exam_mode: exam.input.checked };
    if (due.value) body.due = due.value;
    if (target.value) body.target_band = target.value;
    if (title.value.trim()) body.title = title.value.trim();
    button.disabled = true;
    try {
      const created = await desk.createAssignment(cohortId, body);
      title.value = "";
      onCreated(created);
    } catch (err) {
      error.textContent = `Could not create the assignment: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function kappaText(k) {
  return typeof k === "number" && Number.isFinite(k) ? k.toFixed(2) : "—";
}

function kappaWord(k) {
  if (typeof k !== "number" || !Number.isFinite(k)) return "not enough data";
  if (k >= 0.8) return "strong";
  if (k >= 0.6) return "substantial";
  if (k >= 0.4) return "moderate";
  if (k >= 0.2) return "fair";
  return "weak";
}

function agreementBlock(agreement) {
  if (!agreement) return h("p", { class: "muted", text: "Agreement is not available." });
  const rows = Object.entries(agreement.per_code || {});
  return h("div", {},
    h("p", {}, `Turns corrected by a facilitator: ${agreement.turns ?? 0}. Overall kappa: `,
      h("strong", { text: kappaText(agreement.overall_kappa) }), ` (${kappaWord(agreement.overall_kappa)}).`),
    rows.length
      ? table("Agreement between the coder and facilitators, per code", ["Code", "Kappa", "Turns", "Agree", "Coder only", "Facilitator only"],
        rows.map(([code, r]) => h("tr", {},
          h("th", { scope: "row", text: codeLabel(code) }),
          h("td", { "data-label": "Kappa", class: "num" }, kappaText(r.kappa), h("span", { class: "muted small", text: ` ${kappaWord(r.kappa)}` })),
          h("td", { "data-label": "Turns", class: "num", text: String(r.n ?? "—") }),
          h("td", { "data-label": "Agree", class: "num", text: String(r.agree ?? "—") }),
          h("td", { "data-label": "Coder only", class: "num", text: String(r.coder_only ?? "—") }),
          h("td", { "data-label": "Facilitator only", class: "num", text: String(r.facilitator_only ?? "—") }))), "agreement")
      : h("p", { class: "muted", text: "No corrections yet: correct codes in a transcript review to audit the coder." }));
}

function facilitatorForm(cohortId, onAdded) {
  const email = h("input", { type: "email", name: "email", autocomplete: "off" });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "submit", text: "Add facilitator" });
  const form = h("form", { class: "desk-form inline-form", novalidate: true },
    labelled("Co-facilitator's email", email), h("div", { class: "form-actions" }, button), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!email.value.trim()) { error.textContent = "Enter their email."; return; }
    button.disabled = true;
    try {
      await desk.addFacilitator(cohortId, email.value.trim());
      email.value = "";
      onAdded();
    } catch (err) {
      error.textContent = `Could not add them: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function renderCohort(main, { id }) {
  document.title = "Cohort — Empowerer";
  const user = await staffOnly(main, "Cohort");
  if (user.blocked) return user.blocked;
  mount(main, h("p", { class: "loading", role: "status", text: "Loading the cohort…" }));
  let cohort;
  let cat;
  try {
    [cohort, cat] = await Promise.all([desk.cohort(id), catalog()]);
  } catch (error) {
    return failure(main, "Cohort not found", error, ["#/desk", "Back to my cohorts"]);
  }
  const loads = await Promise.allSettled([desk.dashboard(id), desk.assignments(id), desk.cohortSessions(id), desk.agreement(id)]);
  const [dash, assignmentsR, sessionsR, agreementR] = loads.map((r) => (r.status === "fulfilled" ? r.value : null));
  const problems = loads.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  let assignments = Array.isArray(assignmentsR) ? assignmentsR : (cohort.assignments || []);
  let sessions = Array.isArray(sessionsR) ? sessionsR : [];
  document.title = `${cohort.name} — Empowerer`;
  const heading = pageHeading(cohort.name);

  const sessionBody = h("tbody");
  const sessionFilter = h("p", { class: "muted", role: "status" });
  const showSessions = async (trainee) => {
    let shown = sessions;
    if (trainee && trainee.id) {
      try {
        shown = await desk.cohortSessions(id, trainee.id);
      } catch {
        shown = sessions.filter((s) => { const o = ownerOf(s); return o && (o.id === trainee.id || o === trainee.id); });
      }
    }
    for (const s of shown) rememberSession(s.id, ownerOf(s), { id, name: cohort.name });
    mount(sessionBody, sessionRows(cat, shown, assignments));
    mount(sessionFilter, trainee ? `Sessions of ${userName(trainee)}. ` : "",
      trainee ? h("button", { type: "button", class: "link-btn", text: "Show everyone's", onclick: () => showSessions(null) }) : null);
  };

  const traineeList = dash ? dash.trainees || [] : [];
  const chartsBox = h("div", { class: "charts two desk-charts" });
  const assignmentBody = h("tbody", {}, assignmentRows(cat, assignments));
  const assignmentStatus = h("p", { class: "created", role: "status" });
  const facilitators = h("p", { class: "muted" });
  const drawFacilitators = (c) => {
    const names = (c.facilitators || []).map(userName);
    facilitators.textContent = names.length ? `Facilitators: ${names.join(", ")}.` : "";
  };
  drawFacilitators(cohort);
  const memberCount = Array.isArray(cohort.members) ? cohort.members.length : cohort.members;

  mount(main, heading, deskNav(user, "cohorts"),
    h("p", { class: "muted", text: [typeof memberCount === "number" ? `${memberCount} member${memberCount === 1 ? "" : "s"}` : null,
      cohort.created_at ? `created ${formatDate(cohort.created_at)}` : null].filter(Boolean).join(" · ") }),
    problems.length ? h("p", { class: "notice", role: "alert", text: `Some parts could not be loaded: ${problems.join("; ")}` }) : null,
    section("join-h", "Join link", joinBox(cohort), facilitators),
    section("trainees-h", "Trainees",
      table("Trainees: assignments done, scores and metric bands", ["Trainee", "Assignments done", "Latest score", "Best score", "Metric bands"],
        traineeRows(traineeList, (u) => { showSessions(u); document.getElementById("sessions-h").scrollIntoView({ block: "start" }); }), "trainees")),
    section("dist-h", "Distributions", chartsBox),
    section("sessions-h", "Sessions", sessionFilter,
      h("div", { class: "table-wrap" }, h("table", { class: "stack-table cohort-sessions" },
        h("caption", { class: "visually-hidden", text: "Assigned and shared sessions" }),
        h("thead", {}, h("tr", {}, ["Trainee", "Assignment", "When", "Status", "Score", ""].map((t) =>
          h("th", { scope: "col" }, t || h("span", { class: "visually-hidden", text: "Review" }))))),
        sessionBody))),
    section("assignments-h", "Assignments",
      table("Assignments of this cohort", ["Assignment", "Framework", "Due", "Target band", "Mode"], [], "assignments-table"),
      h("h3", { class: "assignment-form-h", text: "New assignment" }),
      assignmentForm(cat, id, (created) => {
        assignments = [...assignments, created];
        mount(assignmentBody, assignmentRows(cat, assignments));
        assignmentStatus.textContent = `Assignment created: ${created.title || scenarioName(cat, created.scenario)}.`;
        announce(assignmentStatus.textContent);
      }),
      assignmentStatus),
    section("agreement-h", "Coder agreement",
      h("p", { class: "muted", text: "Cohen's kappa between the automatic coder and facilitators' corrections, per code (1 = perfect agreement, 0 = chance)." }),
      agreementBlock(agreementR)),
    section("export-h", "Exports",
      h("ul", { class: "export-links" },
        h("li", {}, h("a", { href: desk.exportCsv(id), download: `${cohort.name}-results.csv`, text: "Download results (CSV)" }),
          h("span", { class: "muted small", text: " one row per trainee and assignment: scores and metric bands" })),
        h("li", {}, h("a", { href: desk.exportJson(id), download: `${cohort.name}-transcripts.json`, text: "Download transcripts (JSON)" }),
          h("span", { class: "muted small", text: " transcripts with codes, corrections and comments" })))),
    section("facilitators-h", "Co-facilitators",
      facilitatorForm(id, async () => { try { const c = await desk.cohort(id); drawFacilitators(c); announce("Facilitator added."); } catch { /* shown on reload */ } })));
  main.querySelector(".assignments-table tbody").replaceWith(assignmentBody);
  showSessions(null);
  const width = chartWidth({ clientWidth: main.querySelector("#dist-h").parentElement.clientWidth / (main.clientWidth >= 860 ? 2 : 1) - 40 });
  const dist = (dash && dash.distributions) || {};
  add(chartsBox, scoreHistogram(Array.isArray(dist.overall) ? dist.overall : [], width), bandBars(dist, width));
  if (main.clientWidth < 860) chartsBox.classList.remove("two");
  return heading;
}
