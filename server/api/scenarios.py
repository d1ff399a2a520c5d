"""The scenarios: persona cards and tags (never the hidden layers).

Built-in scenarios are visible to everyone; a scenario a facilitator published to a cohort is
visible to that cohort's members and facilitators (checked against the database per request).
"""

from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import ServiceDep
from server.api.errors import READ_ERRORS
from server.api.identity import IdentityDep
from server.service.errors import NotFound
from server.service.views import ScenarioCard, scenario_card

router = APIRouter(prefix="/scenarios", tags=["scenarios"])
NO_SCENARIO = "No such scenario: GET /api/scenarios lists them."


@router.get("")
async def list_scenarios(service: ServiceDep, identity: IdentityDep) -> list[ScenarioCard]:
    """Every scenario I can practise, as cards (built-in ones, and those published to my
    cohorts)."""
    return [scenario_card(spec) for spec in await service.visible_scenarios(identity)]


@router.get("/{scenario_id}", responses=READ_ERRORS)
async def read_scenario(
    scenario_id: str, service: ServiceDep, identity: IdentityDep
) -> ScenarioCard:
    """One scenario's card."""
    spec = service.scenarios.get(scenario_id)
    if spec is None:
        visible = {s.id: s for s in await service.visible_scenarios(identity)}
        spec = visible.get(scenario_id)
    if spec is None:
        raise NotFound(NO_SCENARIO)
    return scenario_card(spec)
