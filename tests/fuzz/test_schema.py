"""A property-based fuzzer over the whole OpenAPI schema: no 5xx, no response that breaks the
schema, every 4xx declared. It runs twice: as an anonymous visitor, and logged in as the admin
(with the CSRF header), so the account, cohort, desk and authoring routes are reached past 401.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
import schemathesis
from httpx import ASGITransport, AsyncClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from server.app import create_app
from server.config import Settings

_DB = Path(tempfile.mkdtemp(prefix="empowerer-fuzz-")) / "fuzz.db"
APP = create_app(Settings(db_url=f"sqlite:///{_DB}"))
# A body over the server's cap (64 kB) is refused with 413 before validation: a refusal too.
REJECTIONS = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}}
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
PASSWORD = "fuzz-admin-password"


async def _sign_up_admin() -> dict[str, str]:
    """Sign up the first account (the admin), make a cohort; the headers of its session."""
    async with (
        APP.router.lifespan_context(APP),
        AsyncClient(transport=ASGITransport(app=APP), base_url="http://testserver") as client,
    ):
        await client.get("/api/health")
        csrf = client.cookies["empowerer_csrf"]
        body = {"email": "admin@example.org", "password": PASSWORD, "name": "Admin"}
        signed = await client.post("/api/auth/signup", json=body, headers={"X-CSRF-Token": csrf})
        assert signed.status_code == 201, signed.text
        token = client.cookies["empowerer_session"]
        made = await client.post(
            "/api/cohorts", json={"name": "Fuzz"}, headers={"X-CSRF-Token": csrf}
        )
        assert made.status_code == 201, made.text
    return {
        "Cookie": f"empowerer_session={token}; empowerer_csrf={csrf}",
        "X-CSRF-Token": csrf,
    }


ADMIN = asyncio.run(_sign_up_admin())
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
# Left out: a JSON Schema pattern cannot say "no lone surrogate" reliably, so the fuzzer may call
# such a text schema-valid; we refuse it (422).
EXCLUDED = [positive_data_acceptance]


@schema.parametrize()
@SETTINGS
def test_the_api_keeps_its_schema_for_a_visitor(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


@schema.parametrize()
@SETTINGS
def test_the_api_keeps_its_schema_for_the_admin(case: schemathesis.Case) -> None:
    if case.path in ("/api/auth/logout", "/api/auth/signup", "/api/auth/login"):
        pytest.skip("would end or replace the admin's session; covered by the visitor run")
    case.call_and_validate(headers=ADMIN, excluded_checks=EXCLUDED)
