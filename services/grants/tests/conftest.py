"""The grants service under test: its own migrated database and names, an HTTP client, a movable clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI

from grants.bootstrap import MIGRATIONS, Grants, bootstrap, jobs
from grants.config import Settings
from shared import directory_copy
from shared.clock import utc_now
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.scheduling import run_jobs_once
from shared.testing.clock import MovableClock
from shared.testing.fixtures import TEST_JWT_SECRET, Databases, Tokens
from shared.testing.probe import DatabaseProbe
from shared.testing.servers import Servers

Clock = MovableClock  # the name the tests use
DEPARTMENTS = uuid.UUID("6f1c1a52-5d0e-4c59-9a43-0b8f0f6f4d10")  # a department's id in tests: uuid5 of its code


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
        await directory_copy.copy_applicant(
            self.grants.uow(),
            applicant_id=applicant_id,
            kind=kind,
            name=name or f"Seura {applicant_id.hex[:6]} ry",
            active=active,
            revision=1,
        )
        return applicant_id

    async def department(self, code: str | None = None) -> str:
        """A department as the directory's DepartmentRegistered would have put it into grants' copy; the same
        code always names the same department."""
        code = code or f"dept-{uuid.uuid4().hex[:6]}"
        await directory_copy.copy_department(
            self.grants.uow(), department_id=uuid.uuid5(DEPARTMENTS, code), code=code, name=f"Toimiala {code}",
            revision=1,
        )  # fmt: skip
        return code

    async def liaison(self, kind: LiaisonKind = LiaisonKind.PROGRAMME_CONTACT, *, code: str | None = None) -> uuid.UUID:
        """A liaison contact as the directory's LiaisonAssigned would have put it into grants' copy."""
        liaison_id = uuid.uuid4()
        await directory_copy.copy_liaison(
            self.grants.uow(),
            liaison_id=liaison_id,
            kind=kind,
            department_id=uuid.uuid5(DEPARTMENTS, code) if code else None,
            subject_ref=None,
            revision=1,
        )
        return liaison_id

    async def programme(self, department: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A programme of ``department`` (known to grants' copy of the directory first) with adopted principles."""
        department = department or f"dept-{uuid.uuid4().hex[:6]}"
        await self.department(overrides.get("department_code", department))
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
        return await run_all_jobs(self.grants, clock)


async def run_all_jobs(grants: Grants, clock: Clock) -> dict[str, int]:
    """Every job of the grants worker once, at the clock's time (as one worker replica would)."""
    return await run_jobs_once(grants, jobs(grants), clock.now)


@pytest_asyncio.fixture
async def api(client: httpx.AsyncClient, tokens: Tokens, app: FastAPI, clock: Clock) -> Api:
    return Api(client, tokens, app)
