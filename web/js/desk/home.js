// #/desk: the cohorts I facilitate (and belong to), and "New cohort".

import { announce, h, mount } from "../dom.js";
import { desk } from "./http.js";
import { deskNav, failure, joinBox, labelled, pageHeading, staffOnly } from "./common.js";

function cohortItem(cohort) {
  const mine = cohort.role !== "member";
  return h("li", { class: "cohort-card" },
    h("h3", {}, mine
      ? h("a", { href: `#/desk/cohort/${encodeURIComponent(cohort.id)}`, text: cohort.name })
      : h("span", { text: cohort.name })),
    h("p", { class: "muted small", text: [
      mine ? "You facilitate" : "You are a member",
      typeof cohort.members === "number" ? `${cohort.members} member${cohort.members === 1 ? "" : "s"}` : null,
    ].filter(Boolean).join(" · ") }),
    mine && cohort.join_code ? joinBox(cohort) : null);
}

function newCohortForm(onCreated) {
  const name = h("input", { type: "text", name: "name", maxlength: 200, required: true, autocomplete: "off" });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "submit", class: "primary", text: "Create cohort" });
  const form = h("form", { class: "desk-form inline-form", novalidate: true },
    labelled("Cohort name", name), h("div", { class: "form-actions" }, button), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!name.value.trim()) { error.textContent = "Give the cohort a name."; name.focus(); return; }
    button.disabled = true;
    try {
      const cohort = await desk.createCohort(name.value.trim());
      name.value = "";
      onCreated(cohort);
    } catch (err) {
      error.textContent = `Could not create the cohort: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export async function renderDeskHome(main) {
  document.title = "Facilitator's desk — Empowerer";
  const user = await staffOnly(main, "Facilitator's desk");
  if (user.blocked) return user.blocked;
  const heading = pageHeading("Facilitator's desk");
  let cohorts;
  try {
    cohorts = await desk.cohorts();
  } catch (error) {
    return failure(main, "Facilitator's desk", error);
  }
  const created = h("div", { class: "created", role: "status" });
  const list = h("ul", { class: "cohort-list" });
  const draw = () => {
    mount(list, cohorts.length ? cohorts.map(cohortItem) : h("li", { class: "muted", text: "No cohorts yet: create the first one." }));
  };
  draw();
  const form = newCohortForm((cohort) => {
    cohorts = [{ ...cohort, role: "facilitator" }, ...cohorts.filter((c) => c.id !== cohort.id)];
    draw();
    mount(created,
      h("h3", {}, "Cohort created: ", h("a", { href: `#/desk/cohort/${encodeURIComponent(cohort.id)}`, text: cohort.name })),
      h("p", { class: "muted", text: "Share the join link with your trainees; they join with an account." }),
      joinBox(cohort));
    announce(`Cohort ${cohort.name} created. Join code ${cohort.join_code}.`);
  });
  mount(main, heading, deskNav(user, "cohorts"),
    h("section", { class: "section panel", "aria-labelledby": "new-cohort-h" },
      h("h2", { id: "new-cohort-h", text: "New cohort" }), form, created),
    h("section", { class: "section panel", "aria-labelledby": "cohorts-h" },
      h("h2", { id: "cohorts-h", text: "My cohorts" }), list));
  return heading;
}
