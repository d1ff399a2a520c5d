// Small pieces the desk pages share: the sub-navigation, the staff-only guard, form fields,
// error panels and the ways a user, a score or a date are written.

import { formatDate, h, humanise, mount, uid } from "../dom.js";
import { bandClass, bandLabel } from "../labels.js";
import { currentUser, isStaff } from "../account.js";

export function pageHeading(text) {
  return h("h1", { tabindex: "-1", text });
}

/** The desk's own links: cohorts, scenario authoring, users (admins). */
export function deskNav(user, here) {
  const links = [["#/desk", "Cohorts", "cohorts"], ["#/desk/scenarios", "Scenario authoring", "scenarios"]];
  if (user && user.role === "admin") links.push(["#/desk/users", "Users", "users"]);
  return h("nav", { class: "desk-nav", "aria-label": "Desk" },
    h("ul", {}, links.map(([href, text, key]) => h("li", {},
      h("a", { href, text, "aria-current": key === here ? "page" : null })))));
}

/** Staff pages: the user, or null after drawing a page that says who may come here. */
export async function staffOnly(main, title) {
  const user = await currentUser();
  if (isStaff(user)) return user;
  const heading = pageHeading(title);
  mount(main, h("section", { class: "desk-narrow section panel" }, heading,
    user
      ? h("p", { text: "This page is for facilitators. Ask an administrator to make your account a facilitator." })
      : h("p", {}, "This page is for facilitators. ", h("a", { href: "#/login", text: "Log in" }), " first.")));
  return { blocked: heading };
}

export function failure(main, title, error, back) {
  const heading = pageHeading(title);
  mount(main, heading, h("p", { class: "error", role: "alert", text: error.message || String(error) }),
    back ? h("p", {}, h("a", { href: back[0], text: back[1] })) : null);
  return heading;
}

export function userName(user) {
  if (!user) return "—";
  if (typeof user === "string") return user;
  return user.name || user.email || user.id || "—";
}

export function scoreText(score) {
  return typeof score === "number" ? String(Math.round(score)) : "—";
}

export function bandBadge(band) {
  return band ? h("span", { class: bandClass(band), text: bandLabel(band) }) : h("span", { class: "muted", text: "—" });
}

export function dateText(value) {
  if (!value) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-").map(Number);
    return new Date(y, m - 1, d).toLocaleDateString(undefined, { dateStyle: "medium" });
  }
  return formatDate(value);
}

/** A labelled control in a .field wrapper. */
export function labelled(label, control, hint) {
  const id = control.id || uid("f");
  control.id = id;
  const hintNode = hint ? h("span", { class: "hint", id: `${id}-hint`, text: hint }) : null;
  if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
  return h("div", { class: "field" }, h("label", { for: id, text: label }), control, hintNode);
}

export function checkbox(label, attrs = {}) {
  const id = uid("cb");
  const input = h("input", { type: "checkbox", id, ...attrs });
  return { input, node: h("div", { class: "check" }, input, h("label", { for: id, text: label })) };
}

export function selectOf(options, attrs = {}) {
  return h("select", attrs, options.map(([value, text]) => h("option", { value, text })));
}

export function humanRole(role) {
  return humanise(role || "trainee");
}

/** The full join link for a cohort. */
export function joinLink(cohort) {
  const url = cohort.join_url || "";
  if (/^https?:\/\//.test(url)) return url;
  if (url.startsWith("/")) return `${window.location.origin}${url}`;
  return `${window.location.origin}/#/join/${encodeURIComponent(cohort.join_code || "")}`;
}

/** A join link with a Copy button (the link stays selectable if the clipboard is refused). */
export function joinBox(cohort) {
  const link = joinLink(cohort);
  const status = h("span", { class: "muted small", role: "status" });
  const copy = h("button", { type: "button", class: "small-btn", text: "Copy link" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Select the link and copy it.";
    }
  });
  return h("dl", { class: "join-box" },
    h("dt", { text: "Join code" }), h("dd", {}, h("code", { class: "join-code", text: cohort.join_code || "—" })),
    h("dt", { text: "Join link" }), h("dd", {}, h("a", { class: "join-link", href: link, text: link }), " ", copy, " ", status));
}
