"""The scenarios: persona cards and tags (never the hidden layers)."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import ServiceDep
from server.api.errors import READ_ERRORS
from server.service.errors import NotFound
from server.service.views import ScenarioCard, scenario_card

router = APIRouter(prefix="/scenarios", tags=["scenarios"])


@router.get("")
async def list_scenarios(service: ServiceDep) -> list[ScenarioCard]:
    """Every scenario a trainee can practise, as cards."""
    return [scenario_card(spec) for spec in service.scenarios.values()]


@router.get("/{scenario_id}", responses=READ_ERRORS)
async def read_scenario(scenario_id: str, service: ServiceDep) -> ScenarioCard:
    """One scenario's card."""
    spec = service.scenarios.get(scenario_id)
    if spec is None:
        raise NotFound("No such scenario: GET /api/scenarios lists them.")
    return scenario_card(spec)
