// Accounts in the browser: sign up, log in, log out, joining a cohort by link, and "me" in the
// header (name, role, Log out; or Log in / Sign up). Guests can still practise without an account.
//   #/login   #/signup   #/join/CODE

import { ApiError } from "./api.js";
import { announce, h, humanise, mount, uid } from "./dom.js";
import { desk } from "./desk/http.js";

const NEXT_KEY = "empowerer:next";
let current = null; // the promise of the signed-in user (null when a guest or anonymous)

/** The signed-in user {id, email, name, role}, or null for a guest; cached until refreshUser(). */
export function currentUser() {
  if (!current) {
    current = desk.me()
      .then((user) => (user && user.role && user.role !== "guest" ? user : null))
      .catch(() => null);
  }
  return current;
}

export async function refreshUser() {
  current = null;
  const user = await currentUser();
  drawHeader(user);
  return user;
}

export function isStaff(user) {
  return Boolean(user && (user.role === "facilitator" || user.role === "admin"));
}

function roleText(role) {
  return humanise(role || "guest");
}

function drawHeader(user) {
  const slot = document.getElementById("account");
  if (slot) {
    if (user) {
      const logout = h("button", { type: "button", class: "account-btn", text: "Log out" });
      logout.addEventListener("click", () => logOut(logout));
      mount(slot,
        h("span", { class: "account-who" },
          h("span", { class: "account-name", text: user.name || user.email || "" }),
          h("span", { class: "role-badge", text: roleText(user.role) })),
        logout);
    } else {
      mount(slot,
        h("a", { href: "#/login", class: "account-link", dataset: { nav: "login" }, text: "Log in" }),
        h("a", { href: "#/signup", class: "account-link account-signup", dataset: { nav: "signup" }, text: "Sign up" }));
    }
  }
  const role = user ? user.role : "guest";
  for (const item of document.querySelectorAll("[data-roles]")) {
    item.hidden = !item.dataset.roles.split(/\s+/).includes(role);
  }
  document.body.dataset.role = role;
  syncHeaderHeight();
}

/** The header may wrap on a narrow screen; the chat's height follows its real height. */
function syncHeaderHeight() {
  const header = document.querySelector(".site-header");
  if (!header) return;
  document.documentElement.style.setProperty("--header-h", `${Math.ceil(header.getBoundingClientRect().height)}px`);
}

async function logOut(button) {
  button.disabled = true;
  try {
    await desk.logout();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      button.disabled = false;
      announce(`Could not log out: ${error.message}`);
      return;
    }
  }
  await refreshUser();
  announce("You are logged out.");
  window.location.hash = "#/";
}

/** Draw the header once at start and keep it in step with the window's width. */
export function initAccount() {
  refreshUser();
  if ("ResizeObserver" in window) {
    const header = document.querySelector(".site-header");
    if (header) new ResizeObserver(syncHeaderHeight).observe(header);
  }
}

function field(label, attrs) {
  const id = uid("acct");
  const input = h("input", { id, ...attrs });
  return { input, node: h("div", { class: "field" }, h("label", { for: id, text: label }), input) };
}

function afterSignIn(user) {
  const next = sessionStorage.getItem(NEXT_KEY);
  sessionStorage.removeItem(NEXT_KEY);
  if (next && next.startsWith("#/")) return next;
  return isStaff(user) ? "#/desk" : "#/assignments";
}

function authPage(main, { title, lede, fields, button, submit, other }) {
  document.title = `${title} — Empowerer`;
  const heading = h("h1", { tabindex: "-1", text: title });
  const error = h("p", { class: "form-error", role: "alert" });
  const go = h("button", { type: "submit", class: "primary", text: button });
  const form = h("form", { class: "desk-form auth-form", novalidate: true },
    ...fields.map((f) => f.node), error, h("div", { class: "form-actions" }, go));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    go.disabled = true;
    try {
      const user = await submit();
      const fresh = await refreshUser();
      announce(`Signed in as ${(fresh || user || {}).name || ""}.`);
      window.location.hash = afterSignIn(fresh || user);
    } catch (err) {
      error.textContent = err.message || String(err);
      go.disabled = false;
    }
  });
  mount(main, h("section", { class: "desk-narrow section panel" }, heading,
    h("p", { class: "lede", text: lede }), form, h("p", { class: "muted" }, ...other)));
  return heading;
}

export async function renderLogin(main) {
  const email = field("Email", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = field("Password", { type: "password", name: "password", autocomplete: "current-password", required: true });
  return authPage(main, {
    title: "Log in",
    lede: "Log in to see your assignments, or to run your cohorts. You can also practise as a guest.",
    fields: [email, password],
    button: "Log in",
    submit: () => {
      if (!email.input.value.trim() || !password.input.value) throw new Error("Enter your email and your password.");
      return desk.login(email.input.value.trim(), password.input.value);
    },
    other: ["No account yet? ", h("a", { href: "#/signup", text: "Sign up" }), " · ", h("a", { href: "#/", text: "Practise as a guest" })],
  });
}

export async function renderSignup(main) {
  const name = field("Name", { type: "text", name: "name", autocomplete: "name", maxlength: 100, required: true });
  const email = field("Email", { type: "email", name: "email", autocomplete: "email", required: true });
  const hintId = uid("hint");
  const password = field("Password", { type: "password", name: "password", autocomplete: "new-password",
    minlength: 10, maxlength: 200, required: true, "aria-describedby": hintId });
  password.node.append(h("span", { id: hintId, class: "hint", text: "At least 10 characters." }));
  return authPage(main, {
    title: "Sign up",
    lede: "An account keeps your sessions (the ones you did as a guest too) and lets you join a cohort.",
    fields: [name, email, password],
    button: "Sign up",
    submit: () => {
      if (!name.input.value.trim()) throw new Error("Enter your name.");
      if (!email.input.value.trim()) throw new Error("Enter your email.");
      if (password.input.value.length < 10) throw new Error("Choose a password of at least 10 characters.");
      return desk.signup(email.input.value.trim(), password.input.value, name.input.value.trim());
    },
    other: ["Already have an account? ", h("a", { href: "#/login", text: "Log in" })],
  });
}

export async function renderJoin(main, { code }) {
  document.title = "Join a cohort — Empowerer";
  const heading = h("h1", { tabindex: "-1", text: "Join a cohort" });
  const user = await currentUser();
  const panel = h("section", { class: "desk-narrow section panel" }, heading);
  mount(main, panel);
  panel.append(h("p", {}, "Join code: ", h("code", { class: "join-code", text: code })));
  if (!user) {
    sessionStorage.setItem(NEXT_KEY, `#/join/${encodeURIComponent(code)}`);
    panel.append(h("p", {}, "To join a cohort you need an account. ",
      h("a", { href: "#/signup", text: "Sign up" }), " or ", h("a", { href: "#/login", text: "Log in" }),
      ", and you will come back here."));
    return heading;
  }
  const status = h("p", { role: "status", class: "muted" });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "button", class: "primary", text: "Join cohort" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.textContent = "";
    try {
      const cohort = await desk.join(code);
      button.hidden = true;
      mount(status, `You have joined ${cohort.name || "the cohort"}. `,
        h("a", { href: "#/assignments", text: "See your assignments" }));
      status.classList.remove("muted");
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 404
        ? "No cohort has this join code. Check the link with your facilitator."
        : `Could not join: ${err.message}`;
      button.disabled = false;
    }
  });
  panel.append(h("p", { text: `You are signed in as ${user.name || user.email}.` }), error, status,
    h("div", { class: "form-actions" }, button));
  return heading;
}
