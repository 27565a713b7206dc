"""The bookings service under test: its own migrated database and names, an HTTP client, a movable clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI

from bookings.bootstrap import MIGRATIONS, Bookings, bootstrap
from bookings.config import Settings
from shared import directory_copy as copies
from shared.clock import utc_now
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.testing.clock import MovableClock
from shared.testing.fixtures import Databases, Tokens
from shared.testing.servers import Servers
from shared.testing.service import http_client, settings_for_tests

DEPARTMENTS = uuid.UUID("0b5d6c8e-2f43-4a71-8f0e-5d6a7b8c9d10")
NOW = datetime(2027, 8, 2, 9, 0, tzinfo=UTC)  # a Monday morning in August, before the autumn season


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def settings(databases: Databases, servers: Servers, namespace: str) -> Settings:
    return await settings_for_tests(Settings, MIGRATIONS, databases=databases, servers=servers, namespace=namespace)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from bookings.entrypoints.http.app import create_app

    application = create_app(bootstrap(settings))
    yield application
    await application.state.container.close()


@pytest_asyncio.fixture
async def clock(app: FastAPI) -> AsyncIterator[MovableClock]:
    """Each test moves its own clock, starting on NOW (the container's clock is swapped in and back)."""
    container: Bookings = app.state.container
    clock = MovableClock(NOW)
    container.clock = clock
    yield clock
    container.clock = utc_now


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app, "bookings") as c:
        yield c


def field_of(response: httpx.Response) -> str | None:
    """The field a problem+json answer names."""
    errors = response.json().get("errors") or [{}]
    return errors[0].get("field")  # type: ignore[no-any-return]


class Api:
    """Short-hands for the set-up most tests need: the directory's records as its events would put them."""

    def __init__(self, client: httpx.AsyncClient, tokens: Tokens, app: FastAPI) -> None:
        self.client, self.tokens, self.app = client, tokens, app
        self.bookings: Bookings = app.state.container

    async def association(self, kind: ApplicantKind = ApplicantKind.REGISTERED_ASSOCIATION) -> uuid.UUID:
        applicant_id = uuid.uuid4()
        await copies.copy_applicant(
            self.bookings.uow(),
            applicant_id=applicant_id,
            kind=kind,
            name=f"Seura {applicant_id.hex[:6]} ry",
            active=True,
            revision=1,
        )
        return applicant_id

    async def department(self, code: str | None = None) -> str:
        code = code or f"dept-{uuid.uuid4().hex[:6]}"
        await copies.copy_department(
            self.bookings.uow(),
            department_id=uuid.uuid5(DEPARTMENTS, code),
            code=code,
            name=f"Toimiala {code}",
            revision=1,
        )
        return code

    async def facility_contact(self, code: str) -> uuid.UUID:
        liaison_id = uuid.uuid4()
        await copies.copy_liaison(
            self.bookings.uow(),
            liaison_id=liaison_id,
            kind=LiaisonKind.FACILITY_CONTACT,
            department_id=uuid.uuid5(DEPARTMENTS, code),
            revision=1,
        )
        return liaison_id

    async def facility(self, department: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A hall open 08–22 every day, 30-minute steps, 1–4 h bookings, 20 €/h, approval needed."""
        department = department or await self.department()
        body = {
            "name": f"Sali {uuid.uuid4().hex[:4]}",
            "department_code": department,
            "address": "Hallituskatu 9, 28100 Pori",
            "capacity": 40,
            "equipment": ["piano", "projector"],
            "purposes": ["meetings", "rehearsals"],
            "rules": {"window_opens_days": 365, "window_closes_hours": 24},
            "pricing": {"hourly_cents": 2000},
            "weekly_hours": {
                d: {"opens": "08:00", "closes": "22:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        } | overrides
        made = await self.client.post("/facilities", json=body, headers=self.tokens.staff(department))
        assert made.status_code == 201, made.text
        return made.json()  # type: ignore[no-any-return]

    async def book(self, facility: dict[str, Any], applicant_id: uuid.UUID, **overrides: Any) -> httpx.Response:
        body = {
            "facility_id": facility["id"],
            "applicant_id": str(applicant_id),
            "starts_at": "2027-09-07T18:00",
            "ends_at": "2027-09-07T20:00",
            "accepts_terms": True,
        } | overrides
        return await self.client.post("/bookings", json=body, headers=self.tokens.association(applicant_id))


@pytest_asyncio.fixture
async def api(client: httpx.AsyncClient, tokens: Tokens, app: FastAPI, clock: MovableClock) -> Api:
    return Api(client, tokens, app)
