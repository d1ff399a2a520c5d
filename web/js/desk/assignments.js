// #/assignments: a trainee's assignments across their cohorts, with status and due date;
// "Start" opens a session linked to the assignment (exam mode comes from the assignment).

import { announce, h, mount } from "../dom.js";
import { currentUser } from "../account.js";
import { desk } from "./http.js";
import { catalog, frameworkName, scenarioName } from "./catalog.js";
import { bandBadge, dateText, failure, pageHeading, scoreText } from "./common.js";

const STATUS = { todo: "To do", started: "Started", done: "Done" };

function overdue(a) {
  if (!a.due || a.status === "done") return false;
  return a.due < new Date().toISOString().slice(0, 10);
}

function action(a, onStart) {
  const sid = a.session_id ? encodeURIComponent(a.session_id) : null;
  if (a.status === "done" && sid) return h("a", { class: "button-link", href: `#/report/${sid}`, text: "Report" });
  if (a.status === "started" && sid) return h("a", { class: "button-link", href: `#/session/${sid}`, text: "Resume" });
  const button = h("button", { type: "button", class: "primary", text: "Start" });
  button.addEventListener("click", () => onStart(a, button));
  return button;
}

function row(cat, a, onStart) {
  const title = a.title || scenarioName(cat, a.scenario);
  return h("tr", { dataset: { assignment: a.id } },
    h("th", { scope: "row" }, h("span", { class: "block", text: title }),
      a.title ? h("span", { class: "muted small block", text: scenarioName(cat, a.scenario) }) : null,
      a.cohort_name ? h("span", { class: "muted small block", text: a.cohort_name }) : null),
    h("td", { "data-label": "Framework", text: frameworkName(cat, a.framework) }),
    h("td", { "data-label": "Due" }, h("span", { class: overdue(a) ? "overdue" : "", text: a.due ? dateText(a.due) : "No due date" }),
      overdue(a) ? h("span", { class: "visually-hidden", text: " (overdue)" }) : null),
    h("td", { "data-label": "Mode", text: a.exam_mode ? "Exam (no live feedback)" : "Practice" }),
    h("td", { "data-label": "Status" }, h("span", { class: `status status-${a.status || "todo"}`, text: STATUS[a.status] || a.status || "To do" })),
    h("td", { "data-label": "Score", class: "num" }, scoreText(a.score), " ", a.band ? bandBadge(a.band) : null),
    h("td", { class: "row-action" }, action(a, onStart)));
}

export async function renderAssignments(main) {
  document.title = "My assignments — Empowerer";
  const heading = pageHeading("My assignments");
  const user = await currentUser();
  if (!user) {
    mount(main, h("section", { class: "desk-narrow section panel" }, heading,
      h("p", {}, "Assignments come from the cohorts you join. ",
        h("a", { href: "#/login", text: "Log in" }), " or ", h("a", { href: "#/signup", text: "Sign up" }), " to see yours."),
      h("p", {}, h("a", { href: "#/", text: "Or practise freely as a guest" }))));
    return heading;
  }
  let list;
  let cat;
  try {
    [list, cat] = await Promise.all([desk.myAssignments(), catalog()]);
  } catch (error) {
    return failure(main, "My assignments", error);
  }
  const error = h("p", { class: "form-error", role: "alert" });
  const onStart = async (a, button) => {
    button.disabled = true;
    button.textContent = "Starting…";
    error.textContent = "";
    try {
      const session = await desk.startAssignment(a.id);
      announce("Session started.");
      window.location.hash = `#/session/${encodeURIComponent(session.id)}`;
    } catch (err) {
      error.textContent = `Could not start: ${err.message}`;
      button.disabled = false;
      button.textContent = "Start";
    }
  };
  const order = { todo: 0, started: 1, done: 2 };
  list = [...list].sort((x, y) => (order[x.status] ?? 0) - (order[y.status] ?? 0)
    || String(x.due || "9999").localeCompare(String(y.due || "9999")));
  const done = list.filter((a) => a.status === "done").length;
  mount(main, heading,
    h("p", { class: "lede", text: list.length
      ? `${done} of ${list.length} done. Exam-mode assignments hide the live feedback until the report.`
      : "" }),
    error,
    list.length
      ? h("section", { class: "section panel" }, h("div", { class: "table-wrap" },
        h("table", { class: "stack-table assignments" },
          h("caption", { class: "visually-hidden", text: "My assignments" }),
          h("thead", {}, h("tr", {}, ["Assignment", "Framework", "Due", "Mode", "Status", "Score", ""].map((t) =>
            h("th", { scope: "col" }, t || h("span", { class: "visually-hidden", text: "Action" }))))),
          h("tbody", {}, list.map((a) => row(cat, a, onStart))))))
      : h("section", { class: "section panel" },
        h("p", { text: "No assignments yet. When your facilitator sets one for your cohort, it appears here." }),
        h("p", {}, "Got a join link? Open it to join the cohort. ", h("a", { href: "#/", text: "Practise freely" }))));
  return heading;
}
