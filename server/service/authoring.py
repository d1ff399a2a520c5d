"""Scenario authoring: drafts in the database, validated by the scenario file schema and its
cross-checks, run through the quality gate (the three scripted mentors), published to a cohort only
when the gate passes. No HTTP here.

A published scenario is an immutable snapshot with its own id (`p-` and 32 hex digits): sessions
and assignments name the snapshot, so editing the draft later never changes a session under way.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from functools import partial
from typing import Any

import yaml

from server.datafiles import DataFileError, parse_yaml, validate_model
from server.frameworks import FrameworkEngine
from server.scenarios.loader import _check_layer_names, check_references
from server.scenarios.spec import ScenarioSpec
from server.service import desk_views as dv
from server.service.accounts import require_account
from server.service.cohorts import CohortService
from server.service.errors import Conflict, Forbidden, Invalid, NotFound
from server.store import Identity, new_id, utcnow
from server.store import cohorts as sql
from server.store.accounts import ADMIN, FACILITATOR
from server.store.cohorts import Draft

ORIGIN = "scenario"
AUTHORS_ONLY = "Only facilitators and admins author scenarios."
DRAFT_NOT_FOUND = "No such draft of yours: GET /api/authoring/scenarios lists yours."
GATE_FAILED = "The quality gate did not pass: publish after fixing what the results say."


def new_published_id() -> str:
    """A random published-scenario id that is also a valid scenario id."""
    return "p-" + secrets.token_hex(16)


def parse_draft(source_yaml: str | None, spec: dict[str, Any] | None) -> tuple[ScenarioSpec, str]:
    """The validated scenario and its YAML text, or 422 naming the key and what is wrong."""
    text: str
    try:
        if source_yaml is not None:
            data = parse_yaml(source_yaml, ORIGIN)
            text = source_yaml
        elif spec is not None:
            data = spec
            text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
        else:
            raise Invalid('Send the scenario as {"yaml": "..."} or {"spec": {...}}.')
        _check_layer_names(data, ORIGIN)  # type: ignore[arg-type]
        parsed = validate_model(ScenarioSpec, data, ORIGIN)
        check_references(parsed, ORIGIN)
    except DataFileError as exc:
        raise Invalid(str(exc)) from None
    except (RecursionError, ValueError, TypeError) as exc:
        raise Invalid(f"{ORIGIN}: cannot be read ({type(exc).__name__})") from None
    return parsed, text


def gate_of(spec: ScenarioSpec, engine: FrameworkEngine) -> dv.Gate:
    """Run the quality gate (`run_gate`: the three scripted mentors), one result per mentor."""
    from server.mentee.gate import MENTORS, run_gate

    try:
        problems = run_gate(spec, engine)
    except Exception as exc:  # a schema-valid scenario the mentee cannot play
        why = f"the mentee could not play this scenario ({type(exc).__name__}: {exc})"
        results = [dv.GateResult(mentor=name, passed=False, problem=why) for name in MENTORS]
        return dv.Gate(ok=False, results=results)
    results = []
    for name in MENTORS:
        said = next((p for p in problems if f" the {name} " in f" {p}"), None)
        problem = said.split(f"the {name} ", 1)[-1] if said else None
        results.append(dv.GateResult(mentor=name, passed=said is None, problem=problem))
    return dv.Gate(ok=not problems, results=results)


class AuthoringService:
    """Drafts, the gate, publishing."""

    def __init__(self, cohorts: CohortService) -> None:
        self.cohorts = cohorts
        self.sessions = cohorts.sessions
        self.store = cohorts.store

    def _engine(self) -> FrameworkEngine:
        from server.mentee.gate import GATE_FRAMEWORK

        engine = self.sessions.catalog.frameworks.get(GATE_FRAMEWORK)
        if engine is None:
            raise Conflict(f"The quality gate needs the '{GATE_FRAMEWORK}' framework.")
        return engine

    async def _gate(self, spec: ScenarioSpec) -> dv.Gate:
        return await asyncio.to_thread(gate_of, spec, self._engine())

    @staticmethod
    def _author(identity: Identity | None) -> Identity:
        me = require_account(identity)
        if me.role not in (FACILITATOR, ADMIN):
            raise Forbidden(AUTHORS_ONLY)
        return me

    async def _view(self, draft: Draft) -> dv.DraftView:
        spec = ScenarioSpec.model_validate_json(draft.spec)
        pubs = await self.store.read(partial(sql.publications, draft_ids=[draft.id]))
        return dv.DraftView(
            id=draft.id,
            scenario_id=spec.id,
            title=spec.title,
            yaml=draft.yaml,
            gate=dv.Gate.model_validate_json(draft.gate),
            published=[{"cohort": c, "scenario": s} for _, c, s in pubs],
            created_at=draft.created_at,
            updated_at=draft.updated_at,
        )

    async def create(
        self, identity: Identity | None, source_yaml: str | None, spec: dict[str, Any] | None
    ) -> dv.DraftView:
        """Validate, run the gate, store the draft."""
        me = self._author(identity)
        parsed, text = parse_draft(source_yaml, spec)
        gate = await self._gate(parsed)
        now = utcnow()
        draft = Draft(
            id=new_id(),
            owner_id=me.id,
            yaml=text,
            spec=parsed.model_dump_json(),
            gate=gate.model_dump_json(),
            gate_ok=gate.ok,
            created_at=now,
            updated_at=now,
        )
        await self.store.write(partial(sql.save_draft, draft=draft))
        return await self._view(draft)

    async def _mine(self, me: Identity, draft_id: str) -> Draft:
        found = await self.store.read(partial(sql.draft, draft_id=draft_id, owner_id=me.id))
        if found is None:
            raise NotFound(DRAFT_NOT_FOUND)
        return found

    async def update(
        self,
        identity: Identity | None,
        draft_id: str,
        source_yaml: str | None,
        spec: dict[str, Any] | None,
    ) -> dv.DraftView:
        """Replace a draft of mine (validated and gated again)."""
        me = self._author(identity)
        old = await self._mine(me, draft_id)
        parsed, text = parse_draft(source_yaml, spec)
        gate = await self._gate(parsed)
        draft = Draft(
            id=old.id,
            owner_id=me.id,
            yaml=text,
            spec=parsed.model_dump_json(),
            gate=gate.model_dump_json(),
            gate_ok=gate.ok,
            created_at=old.created_at,
            updated_at=utcnow(),
        )
        if not await self.store.write(partial(sql.update_draft, draft=draft)):
            raise NotFound(DRAFT_NOT_FOUND)
        return await self._view(draft)

    async def list_mine(self, identity: Identity | None) -> list[dv.DraftView]:
        me = self._author(identity)
        return [
            await self._view(d) for d in await self.store.read(partial(sql.drafts, owner_id=me.id))
        ]

    async def get(self, identity: Identity | None, draft_id: str) -> dv.DraftView:
        me = self._author(identity)
        return await self._view(await self._mine(me, draft_id))

    async def publish(
        self, identity: Identity | None, draft_id: str, cohort_id: str
    ) -> dv.Published:
        """Run the gate again and publish to a cohort I facilitate, only if it passes."""
        me = self._author(identity)
        draft = await self._mine(me, draft_id)
        cohort = await self.cohorts.staff_cohort(me, cohort_id)
        spec = ScenarioSpec.model_validate_json(draft.spec)
        gate = await self._gate(spec)
        if not gate.ok:
            raise Conflict(GATE_FAILED, extra={"gate": json.loads(gate.model_dump_json())})
        job = partial(
            sql.publish,
            draft_id=draft.id,
            cohort_id=cohort.id,
            new_scenario_id=new_published_id(),
            spec=draft.spec,
            at=utcnow(),
        )
        scenario_id = await self.store.write(job)
        return dv.Published(id=draft.id, cohort=cohort.id, scenario=scenario_id, gate=gate)
