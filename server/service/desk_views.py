"""The public shapes of accounts, cohorts, assignments and the facilitator's desk
(docs/API-accounts.md): pure pydantic, built by the services and declared by the routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from server.service.views import CommentPublic, User

__all__ = ["CommentPublic", "User"]

Role = Literal["trainee", "facilitator", "admin"]


class CohortRef(BaseModel):
    id: str
    name: str


class Cohort(BaseModel):
    """A cohort as its facilitators (and admins) see it."""

    id: str
    name: str
    join_code: str
    join_url: str
    created_at: datetime
    facilitators: list[User]
    members: int | list[User] = Field(
        description="How many trainees; the list of them in GET /api/cohorts/{id}."
    )
    role: Literal["facilitator", "member", "admin"] = Field(
        description="How the caller relates to it (admin: an admin who is not in it)."
    )


class CohortMemberView(BaseModel):
    """A cohort as a trainee member sees it: its name and assignments."""

    id: str
    name: str
    role: Literal["member"] = "member"
    facilitators: list[User]
    assignments: list[Assignment]


class CohortListItem(BaseModel):
    id: str
    name: str
    role: Literal["facilitator", "member", "admin"]
    created_at: datetime
    join_code: str | None = Field(default=None, description="Facilitators and admins only.")
    join_url: str | None = None
    members: int | None = Field(default=None, description="Facilitators and admins only.")


class Joined(BaseModel):
    id: str
    name: str
    role: Literal["facilitator", "member"]


class Assignment(BaseModel):
    id: str
    cohort_id: str
    scenario: str
    framework: str
    due: str | None
    target_band: Literal["fair", "good"] | None
    exam_mode: bool
    title: str
    created_at: datetime


class MyAssignment(Assignment):
    """An assignment with where I am in it."""

    cohort_name: str
    scenario_title: str
    status: Literal["todo", "started", "done"]
    session_id: str | None = None
    score: int | None = None
    band: str | None = None


class CohortSession(BaseModel):
    """A session of a cohort, as the desk lists it."""

    id: str
    trainee: User
    assignment_id: str | None
    shared: bool
    scenario: dict[str, str]
    framework: dict[str, str]
    created_at: datetime
    updated_at: datetime
    ended: bool
    turns: int
    score: int | None
    band: str | None


class TraineeRow(BaseModel):
    user: User
    assignments_done: int
    assignments_total: int
    latest_score: int | None
    best_score: int | None
    bands: dict[str, str | None]


class Dashboard(BaseModel):
    cohort: CohortRef
    trainees: list[TraineeRow]
    distributions: dict[str, Any] = Field(
        description='{"overall": [scores], metric: {"needs_practice": n, "fair": n, "good": n}}'
    )


class CodeAgreement(BaseModel):
    kappa: float | None = Field(description="Cohen's kappa; null when it is undefined.")
    n: int
    agree: int = Field(description="Turns where both the coder and the facilitator gave it.")
    coder_only: int
    facilitator_only: int


class Agreement(BaseModel):
    turns: int = Field(description="Mentor turns a facilitator corrected (or confirmed).")
    overall_kappa: float | None = Field(description="Kappa on the primary code.")
    per_code: dict[str, CodeAgreement]


class GateResult(BaseModel):
    mentor: str
    passed: bool
    problem: str | None


class Gate(BaseModel):
    ok: bool
    results: list[GateResult]


class DraftView(BaseModel):
    id: str
    draft: bool = True
    scenario_id: str = Field(description="The id written in the scenario (its file name).")
    title: str
    yaml: str
    gate: Gate
    published: list[dict[str, str]] = Field(
        default_factory=list, description='[{"cohort": id, "scenario": published id}]'
    )
    created_at: datetime
    updated_at: datetime


class Published(BaseModel):
    id: str
    cohort: str
    scenario: str = Field(description="The published scenario's id (for sessions/assignments).")
    gate: Gate


CohortMemberView.model_rebuild()
