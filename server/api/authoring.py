"""Scenario authoring for facilitators: drafts (YAML or a spec object), the quality gate,
publishing to a cohort."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from server.api.identity import IdentityDep
from server.api.refusals import declare
from server.api.sessions import check_text
from server.service import desk_views as dv
from server.service.authoring import AuthoringService

router = APIRouter(prefix="/authoring/scenarios", tags=["authoring"])
MAX_YAML = 60_000


async def get_authoring(request: Request) -> AuthoringService:
    service: AuthoringService = request.app.state.authoring
    return service


AuthoringDep = Annotated[AuthoringService, Depends(get_authoring)]


class DraftSource(BaseModel):
    """A scenario as YAML text (the scenario file format) or as a spec object; one of the two."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    yaml: str | None = Field(default=None, min_length=1, max_length=MAX_YAML)
    spec: dict[str, Any] | None = None

    @field_validator("yaml")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, "yaml")

    @model_validator(mode="after")
    def _one(self) -> DraftSource:
        if (self.yaml is None) == (self.spec is None):
            raise ValueError('send exactly one of "yaml" and "spec"')
        return self


class PublishTo(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    cohort: str = Field(min_length=1, max_length=64)

    @field_validator("cohort")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "cohort")


class GateRefusal(BaseModel):
    detail: str
    gate: dv.Gate | None = None


_PUBLISH = declare(401, 404, write=True)
_PUBLISH[409] = {"model": GateRefusal, "description": "The quality gate did not pass"}


@router.post("", status_code=201, responses=declare(401, 409, write=True))
async def create_draft(
    payload: DraftSource, identity: IdentityDep, authoring: AuthoringDep
) -> dv.DraftView:
    """Store a draft: validated by the scenario schema (422 names the key), gate results shown."""
    return await authoring.create(identity, payload.yaml, payload.spec)


@router.get("", responses=declare(401, 403))
async def list_drafts(identity: IdentityDep, authoring: AuthoringDep) -> list[dv.DraftView]:
    """My drafts, most recently edited first."""
    return await authoring.list_mine(identity)


@router.get("/{draft_id}", responses=declare(401, 403, 404))
async def read_draft(draft_id: str, identity: IdentityDep, authoring: AuthoringDep) -> dv.DraftView:
    """One draft of mine."""
    return await authoring.get(identity, draft_id)


@router.put("/{draft_id}", responses=declare(401, 404, 409, write=True))
async def update_draft(
    draft_id: str, payload: DraftSource, identity: IdentityDep, authoring: AuthoringDep
) -> dv.DraftView:
    """Replace a draft of mine (validated and gated again)."""
    return await authoring.update(identity, draft_id, payload.yaml, payload.spec)


@router.post("/{draft_id}/publish", responses=_PUBLISH)
async def publish(
    draft_id: str, payload: PublishTo, identity: IdentityDep, authoring: AuthoringDep
) -> dv.Published:
    """Run the quality gate and publish to a cohort I facilitate, only if it passes (409 with the
    results otherwise)."""
    return await authoring.publish(identity, draft_id, payload.cohort)
