// #/desk/users (admins): everyone's account, and "Make facilitator".

import { announce, h, mount } from "../dom.js";
import { desk } from "./http.js";
import { deskNav, failure, humanRole, pageHeading, staffOnly } from "./common.js";

function row(user, me, redraw) {
  const status = h("span", { class: "muted small", role: "status" });
  let action = null;
  if (user.id !== me.id && user.role === "trainee") {
    action = h("button", { type: "button", class: "small-btn", text: "Make facilitator" },
      h("span", { class: "visually-hidden", text: `: ${user.name || user.email}` }));
    action.addEventListener("click", async () => {
      action.disabled = true;
      try {
        const updated = await desk.setRole(user.id, "facilitator");
        Object.assign(user, updated && updated.role ? updated : { role: "facilitator" });
        redraw();
        announce(`${user.name || user.email} is now a facilitator.`);
      } catch (err) {
        status.textContent = `Could not change the role: ${err.message}`;
        action.disabled = false;
      }
    });
  } else if (user.id !== me.id && user.role === "facilitator") {
    action = h("button", { type: "button", class: "small-btn", text: "Make trainee" },
      h("span", { class: "visually-hidden", text: `: ${user.name || user.email}` }));
    action.addEventListener("click", async () => {
      action.disabled = true;
      try {
        const updated = await desk.setRole(user.id, "trainee");
        Object.assign(user, updated && updated.role ? updated : { role: "trainee" });
        redraw();
      } catch (err) {
        status.textContent = `Could not change the role: ${err.message}`;
        action.disabled = false;
      }
    });
  }
  return h("tr", {},
    h("th", { scope: "row", text: user.name || "—" }),
    h("td", { "data-label": "Email", text: user.email || "—" }),
    h("td", { "data-label": "Role" }, h("span", { class: `role-badge role-${user.role}`, text: humanRole(user.role) }),
      user.id === me.id ? h("span", { class: "muted small", text: " (you)" }) : null),
    h("td", { class: "row-action" }, action, status));
}

export async function renderUsers(main) {
  document.title = "Users — Empowerer";
  const me = await staffOnly(main, "Users");
  if (me.blocked) return me.blocked;
  const heading = pageHeading("Users");
  if (me.role !== "admin") {
    mount(main, heading, deskNav(me, "users"), h("p", { text: "Only administrators can manage users." }));
    return heading;
  }
  let users;
  try {
    users = await desk.users();
  } catch (error) {
    return failure(main, "Users", error);
  }
  const body = h("tbody");
  const redraw = () => mount(body, users.map((u) => row(u, me, redraw)));
  redraw();
  mount(main, heading, deskNav(me, "users"),
    h("section", { class: "section panel" },
      h("p", { class: "muted", text: "New accounts are trainees. A facilitator creates cohorts, sets assignments and reviews transcripts." }),
      h("div", { class: "table-wrap" }, h("table", { class: "stack-table users" },
        h("caption", { class: "visually-hidden", text: "Users" }),
        h("thead", {}, h("tr", {}, ["Name", "Email", "Role", ""].map((t) => h("th", { scope: "col" }, t || h("span", { class: "visually-hidden", text: "Action" }))))),
        body))));
  return heading;
}
