"""The exemplar conversation: the program as an empowerer mentor, for any scenario and framework.

`GET /api/exemplar?scenario=ID&framework=ID&seed=N` -> `{"turns": [Turn], "report": {...},
"annotations": [...]}` (Turn as in docs/API.md; the report as `empowerer score` gives it). The
exemplar is deterministic, so each (scenario, framework, seed) is built once per process and kept
in an in-process LRU cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Query

from server.api.deps import CatalogDep
from server.api.errors import READ_ERRORS
from server.frameworks import FrameworkEngine
from server.scenarios.spec import ScenarioSpec
from server.service.errors import NotFound

router = APIRouter(prefix="/exemplar", tags=["exemplar"])

MAX_SEED = 2**31 - 1
CACHE_SIZE = 256


@dataclass(frozen=True)
class _Same:
    """A catalog object compared by identity (the catalog is built once per app)."""

    value: Any = field(compare=False)
    ident: int = 0

    @classmethod
    def of(cls, value: Any) -> _Same:
        return cls(value, id(value))


@lru_cache(maxsize=CACHE_SIZE)
def _exemplar(scenario: _Same, engine: _Same, seed: int) -> dict[str, object]:
    from server.exemplar import exemplar_json, run_exemplar

    spec: ScenarioSpec = scenario.value
    fw: FrameworkEngine = engine.value
    return exemplar_json(run_exemplar(spec, fw, seed=seed), fw)


@router.get("", responses=READ_ERRORS)
def read_exemplar(
    catalog: CatalogDep,
    scenario: Annotated[str, Query(min_length=1, max_length=100, description="A scenario id")],
    framework: Annotated[str, Query(min_length=1, max_length=100, description="A framework id")],
    seed: Annotated[int, Query(ge=0, le=MAX_SEED, description="The mentee's seed")] = 0,
) -> dict[str, object]:
    """An exemplar conversation: coded turns, the report, and the moves of each stage."""
    spec = catalog.scenarios.get(scenario)
    if spec is None:
        raise NotFound(f"No such scenario: {scenario!r}. GET /api/scenarios lists them.")
    engine = catalog.frameworks.get(framework)
    if engine is None:
        raise NotFound(f"No such framework: {framework!r}. GET /api/frameworks lists them.")
    return _exemplar(_Same.of(spec), _Same.of(engine), seed)
