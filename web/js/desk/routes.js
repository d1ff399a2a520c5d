// The routes of accounts and the facilitator's desk, for app.js's router:
//   #/login  #/signup  #/join/CODE  #/assignments
//   #/desk  #/desk/cohort/ID  #/desk/session/ID  #/desk/scenarios  #/desk/users
// Importing this module draws the account part of the header (name, role, Log out / Log in).

import { initAccount, renderJoin, renderLogin, renderSignup } from "../account.js";
import { renderAssignments } from "./assignments.js";
import { renderDeskHome } from "./home.js";
import { renderCohort } from "./cohort.js";
import { renderReview } from "./review.js";
import { renderScenarios } from "./scenarios.js";
import { renderUsers } from "./users.js";

initAccount();

/** {page, render, params} for a desk or account route, or null when the path is not one. */
export function deskRoute(parts) {
  const [first, second, third] = parts;
  if (first === "login") return { page: "login", render: renderLogin, params: {} };
  if (first === "signup") return { page: "signup", render: renderSignup, params: {} };
  if (first === "join" && second) return { page: "join", render: renderJoin, params: { code: second } };
  if (first === "assignments") return { page: "assignments", render: renderAssignments, params: {} };
  if (first !== "desk") return null;
  if (!second) return { page: "desk", render: renderDeskHome, params: {} };
  if (second === "cohort" && third) return { page: "cohort", render: renderCohort, params: { id: third } };
  if (second === "session" && third) return { page: "review", render: renderReview, params: { id: third } };
  if (second === "scenarios") return { page: "scenarios", render: renderScenarios, params: {} };
  if (second === "users") return { page: "users", render: renderUsers, params: {} };
  return null;
}
