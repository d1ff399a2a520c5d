// The practice room: a single-page app with hash routes.
//   #/                     start: choose a mentee and a framework
//   #/session/ID           the chat (reloading resumes it)
//   #/report/ID[/turn/N]   the report (optionally scrolled to turn N)
//   #/history              my sessions and progress

import { h, mount } from "./js/dom.js";
import { renderStart } from "./js/start.js";
import { renderChat } from "./js/chat.js";
import { renderReport } from "./js/report.js";
import { renderHistory } from "./js/history.js";
import { renderWalk, renderWalkStart } from "./js/walk.js";
import { renderCompare, renderExemplar } from "./js/exemplar.js";
import { deskRoute } from "./js/desk/routes.js";

const main = document.getElementById("main");

function parse(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (!parts.length) return { page: "start", render: renderStart, params: {} };
  if (parts[0] === "session" && parts[1]) return { page: "session", render: renderChat, params: { id: parts[1] } };
  if (parts[0] === "report" && parts[1]) {
    const turn = parts[2] === "turn" && /^\d+$/.test(parts[3] || "") ? Number(parts[3]) : undefined;
    return { page: "report", render: renderReport, params: { id: parts[1], turn } };
  }
  if (parts[0] === "history") return { page: "history", render: renderHistory, params: {} };
  if (parts[0] === "walk") return parts[1] ? { page: "walk", render: renderWalk, params: { id: parts[1] } } : { page: "walk", render: renderWalkStart, params: {} };
  if (parts[0] === "exemplar") return { page: "exemplar", render: renderExemplar, params: { scenario: parts[1], framework: parts[2] } };
  if (parts[0] === "compare" && parts[1]) return { page: "compare", render: renderCompare, params: { id: parts[1] } };
  const desk = deskRoute(parts);
  if (desk) return desk;
  return { page: "missing", render: renderMissing, params: {} };
}

function renderMissing(root) {
  const heading = h("h1", { tabindex: "-1", text: "Page not found" });
  mount(root, heading, h("p", {}, h("a", { href: "#/", text: "Go to the start page" })));
  return heading;
}

function markNav(page) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    const active = link.dataset.nav === page || (page === "start" && link.dataset.nav === "start");
    if (active) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  document.body.dataset.page = page;
}

let first = true;
let generation = 0;
async function route() {
  const { page, render, params } = parse(window.location.hash);
  const mine = ++generation;
  markNav(page);
  let focusTarget = null;
  try {
    focusTarget = await render(main, params);
  } catch (error) {
    if (mine !== generation) return;
    const heading = h("h1", { tabindex: "-1", text: "Something went wrong" });
    mount(main, heading, h("p", { role: "alert", text: error.message || String(error) }));
    focusTarget = heading;
  }
  if (mine !== generation) return;
  if (focusTarget && !(first && page === "start")) focusTarget.focus({ preventScroll: page === "report" && params.turn !== undefined });
  if (page !== "report" || params.turn === undefined) window.scrollTo(0, 0);
  first = false;
  document.body.dataset.ready = page;
}

window.addEventListener("hashchange", route);
// Printing opens every collapsed section so the paper copy is complete.
window.addEventListener("beforeprint", () => {
  for (const details of main.querySelectorAll("details:not([open])")) {
    details.dataset.printOpened = "1";
    details.open = true;
  }
});
window.addEventListener("afterprint", () => {
  for (const details of main.querySelectorAll("details[data-print-opened]")) {
    details.open = false;
    delete details.dataset.printOpened;
  }
});
route();
