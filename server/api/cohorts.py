"""Cohorts, join codes, co-facilitators, assignments and the facilitator's desk.

Membership is checked against the database on every request; a cohort the caller is not in is 404.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from server.api.identity import IdentityDep
from server.api.refusals import declare
from server.api.sessions import check_text
from server.service import desk_views as dv
from server.service.cohorts import CohortService, check_due
from server.service.errors import ServiceError

router = APIRouter(prefix="/cohorts", tags=["cohorts"])


class MethodNotAllowed(ServiceError):
    status = 405


mine_router = APIRouter(prefix="/assignments", tags=["cohorts"])


async def get_cohorts(request: Request) -> CohortService:
    service: CohortService = request.app.state.cohorts
    return service


CohortsDep = Annotated[CohortService, Depends(get_cohorts)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class CohortCreate(_Strict):
    name: str = Field(min_length=1, max_length=100)

    @field_validator("name")
    @classmethod
    def _clean(cls, value: str) -> str:
        value = check_text(value, "name").strip()
        if not value:
            raise ValueError("name is empty: name the cohort")
        return value


class JoinCode(_Strict):
    code: str = Field(min_length=1, max_length=32)

    @field_validator("code")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "code")


class FacilitatorAdd(_Strict):
    email: str = Field(min_length=1, max_length=254)

    @field_validator("email")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "email")


class AssignmentCreate(_Strict):
    scenario: str = Field(min_length=1, max_length=100, description="A scenario id")
    framework: str = Field(min_length=1, max_length=100, description="A framework id")
    due: str | None = Field(default=None, description="YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")
    target_band: Literal["fair", "good"] | None = None
    exam_mode: bool = Field(default=False, description="Live feedback off until the session ends.")
    title: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("scenario", "framework", "title")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, "the value")


@router.post("", status_code=201, responses=declare(401, write=True))
async def create_cohort(
    payload: CohortCreate, identity: IdentityDep, cohorts: CohortsDep
) -> dv.Cohort:
    """A new cohort (facilitators and admins); the creator is its facilitator."""
    return await cohorts.create(identity, payload.name)


@router.get("", responses=declare(401))
async def list_cohorts(identity: IdentityDep, cohorts: CohortsDep) -> list[dv.CohortListItem]:
    """The cohorts I facilitate or belong to (an admin: all)."""
    return await cohorts.list_mine(identity)


@router.post("/join", responses=declare(401, 404, write=True))
async def join_cohort(payload: JoinCode, identity: IdentityDep, cohorts: CohortsDep) -> dv.Joined:
    """Join a cohort with its code (logged in; the web UI's join link is /#/join/CODE)."""
    return await cohorts.join(identity, payload.code)


@router.get("/{cohort_id}", responses=declare(401, 404, 405))
async def read_cohort(
    cohort_id: str, identity: IdentityDep, cohorts: CohortsDep
) -> dv.Cohort | dv.CohortMemberView:
    """A cohort: in full for its facilitators and admins; name and assignments for a member."""
    if cohort_id == "join":  # POST /api/cohorts/join is the only route there
        raise MethodNotAllowed("Method not allowed here: use POST.", headers={"Allow": "POST"})
    return await cohorts.get(identity, cohort_id)


@router.post("/{cohort_id}/facilitators", responses=declare(401, 404, 409, write=True))
async def add_facilitator(
    cohort_id: str, payload: FacilitatorAdd, identity: IdentityDep, cohorts: CohortsDep
) -> dv.Cohort:
    """Add a co-facilitator (an account with the facilitator or admin role) by email."""
    return await cohorts.add_facilitator(identity, cohort_id, payload.email)


@router.post("/{cohort_id}/assignments", status_code=201, responses=declare(401, 404, write=True))
async def create_assignment(
    cohort_id: str, payload: AssignmentCreate, identity: IdentityDep, cohorts: CohortsDep
) -> dv.Assignment:
    """Assign a scenario (built-in, or published to this cohort) and a framework."""
    return await cohorts.create_assignment(
        identity,
        cohort_id,
        payload.scenario,
        payload.framework,
        check_due(payload.due),
        payload.target_band,
        payload.exam_mode,
        payload.title,
    )


@router.get("/{cohort_id}/assignments", responses=declare(401, 404))
async def list_assignments(
    cohort_id: str, identity: IdentityDep, cohorts: CohortsDep
) -> list[dv.Assignment]:
    """A cohort's assignments (members, facilitators, admins)."""
    return await cohorts.assignments(identity, cohort_id)


@router.get("/{cohort_id}/dashboard", responses=declare(401, 403, 404))
async def dashboard(cohort_id: str, identity: IdentityDep, cohorts: CohortsDep) -> dv.Dashboard:
    """Per trainee and per cohort results (facilitators of the cohort, admins)."""
    return await cohorts.dashboard(identity, cohort_id)


@router.get("/{cohort_id}/sessions", responses=declare(401, 403, 404))
async def cohort_sessions(
    cohort_id: str,
    identity: IdentityDep,
    cohorts: CohortsDep,
    trainee: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dv.CohortSession]:
    """The cohort's assigned and shared sessions (one trainee's with `?trainee=ID`)."""
    return await cohorts.cohort_sessions(identity, cohort_id, trainee)


@router.get("/{cohort_id}/agreement", responses=declare(401, 403, 404))
async def agreement(cohort_id: str, identity: IdentityDep, cohorts: CohortsDep) -> dv.Agreement:
    """Cohen's kappa between the coder and the facilitators' corrections, per code."""
    return await cohorts.agreement(identity, cohort_id)


@router.get(
    "/{cohort_id}/export.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **declare(401, 403, 404),
    },
)
async def export_csv(cohort_id: str, identity: IdentityDep, cohorts: CohortsDep) -> Response:
    """One row per trainee x assignment: status, score, band, metric bands."""
    text = await cohorts.export_csv(identity, cohort_id)
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="cohort-{cohort_id}.csv"'},
    )


@router.get("/{cohort_id}/export.json", responses=declare(401, 403, 404))
async def export_json(cohort_id: str, identity: IdentityDep, cohorts: CohortsDep) -> dict[str, Any]:
    """The transcripts with the coder's codes, corrections and comments."""
    return await cohorts.export_json(identity, cohort_id)


@mine_router.get("", responses=declare(401))
async def my_assignments(identity: IdentityDep, cohorts: CohortsDep) -> list[dv.MyAssignment]:
    """My assignments across my cohorts, with status (todo / started / done)."""
    return await cohorts.my_assignments(identity)
