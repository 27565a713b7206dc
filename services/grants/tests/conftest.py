"""The grants service under test: its own migrated database and names, an HTTP client, a movable clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI

from grants.adapters.repository import ApplicantCopy
from grants.bootstrap import MIGRATIONS, Grants, bootstrap, jobs
from grants.config import Settings
from shared.clock import utc_now
from shared.contracts.directory import ApplicantKind
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import TEST_JWT_SECRET, Databases, Tokens
from shared.testing.probe import DatabaseProbe
from shared.testing.clock import MovableClock
from shared.testing.servers import Servers


Clock = MovableClock  # the name the tests use


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def settings(databases: Databases, servers: Servers, namespace: str) -> Settings:
    url = await databases.create("grants", migrations=MIGRATIONS)
    return Settings(
        database_url=url, amqp_url=servers.amqp_url, namespace=f"{namespace}.grants", jwt_secret=TEST_JWT_SECRET
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from grants.entrypoints.http.app import create_app

    application = create_app(bootstrap(settings))
    yield application
    await application.state.container.close()


@pytest_asyncio.fixture
async def clock(app: FastAPI) -> AsyncIterator[Clock]:
    """Each test moves its own clock: the container's clock is swapped in and back (one clock everywhere)."""
    grants: Grants = app.state.container
    clock = Clock()
    grants.clock = clock
    yield clock
    grants.clock = utc_now


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://grants") as c:
        yield c


class Api(DatabaseProbe):
    """Short-hands for the set-up most tests need: a department's programme, principles and a round."""

    def __init__(self, client: httpx.AsyncClient, tokens: Tokens, app: FastAPI) -> None:
        self.client, self.tokens, self.app = client, tokens, app
        self.grants: Grants = app.state.container
        self.engine = self.grants.engine

    def staff(self, department: str) -> dict[str, str]:
        return self.tokens.staff(department)

    async def applicant(
        self,
        kind: ApplicantKind = ApplicantKind.REGISTERED_ASSOCIATION,
        *,
        active: bool = True,
        name: str | None = None,
    ) -> uuid.UUID:
        """An applicant as the directory's events would have put it into grants' copy."""
        applicant_id = uuid.uuid4()
        copy = ApplicantCopy(
            id=applicant_id,
            kind=kind,
            name=None if kind is ApplicantKind.PRIVATE_PERSON else (name or f"Seura {applicant_id.hex[:6]} ry"),
            active=active,
            revision=1,
        )
        async with self.grants.uow() as uow:
            await uow.applicants.apply_state(copy)
            await uow.commit()
        return applicant_id

    async def programme(self, department: str | None = None, **overrides: Any) -> dict[str, Any]:
        department = department or f"dept-{uuid.uuid4().hex[:6]}"
        body = {
            "name": f"Toiminta-avustus {uuid.uuid4().hex[:4]}",
            "kind": "operating",
            "intake": "yearly_round",
            "department_code": department,
            "eligible_kinds": ["registered_association"],
            "fields_of_activity": ["culture"],
        } | overrides
        made = await self.client.post("/programmes", json=body, headers=self.staff(body["department_code"]))
        assert made.status_code == 201, made.text
        principles = await self.client.post(
            f"/programmes/{made.json()['id']}/principles",
            json={
                "title": "Avustusperiaatteet 2027",
                "body": "Avustettavan toiminnan tulee ...",
                "adopted_on": "2026-11-01",
            },
            headers=self.staff(body["department_code"]),
        )
        assert principles.status_code == 201, principles.text
        return made.json()  # type: ignore[no-any-return]

    async def round(
        self, programme: dict[str, Any], clock: Clock, *, open_now: bool = True, **overrides: Any
    ) -> dict[str, Any]:
        """A scheduled round of the clock's year; opened by the scheduler when ``open_now``."""
        now = clock.now
        body = {
            "year": now.year,
            "opens_at": (now + timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(days=20)).isoformat(),
            "appropriation_cents": 1_000_000,
        } | overrides
        staff = self.staff(programme["department_code"])
        made = await self.client.post(f"/programmes/{programme['id']}/rounds", json=body, headers=staff)
        assert made.status_code == 201, made.text
        scheduled = await self.client.post(f"/rounds/{made.json()['id']}/schedule", headers=staff)
        assert scheduled.status_code == 200, scheduled.text
        if open_now:
            clock.advance(minutes=2)
            await self.run_jobs(clock)
        return (await self.client.get(f"/rounds/{made.json()['id']}")).json()  # type: ignore[no-any-return]

    async def run_jobs(self, clock: Clock) -> dict[str, int]:
        return await run_jobs_once(self.grants, jobs(self.grants), clock.now)


@pytest_asyncio.fixture
async def api(client: httpx.AsyncClient, tokens: Tokens, app: FastAPI, clock: Clock) -> Api:
    return Api(client, tokens, app)
