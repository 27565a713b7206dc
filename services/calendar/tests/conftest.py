"""The calendar under test: its own migrated database and names for this run, an HTTP client, a movable clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI

from calendar_service.bootstrap import MIGRATIONS, Calendar, bootstrap
from calendar_service.config import Settings
from shared.clock import utc_now
from shared.testing.clock import MovableClock
from shared.testing.fixtures import Databases, Tokens
from shared.testing.probe import DatabaseProbe
from shared.testing.servers import Servers
from shared.testing.service import http_client, settings_for_tests

Clock = MovableClock


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def settings(databases: Databases, servers: Servers, namespace: str) -> Settings:
    return await settings_for_tests(Settings, MIGRATIONS, databases=databases, servers=servers, namespace=namespace)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from calendar_service.entrypoints.http.app import create_app

    application = create_app(bootstrap(settings))
    yield application
    await application.state.container.close()


@pytest_asyncio.fixture
async def clock(app: FastAPI) -> AsyncIterator[Clock]:
    """Each test moves its own clock: the container's clock is swapped in and back (one clock everywhere)."""
    calendar: Calendar = app.state.container
    clock = Clock()
    calendar.clock = clock
    yield clock
    calendar.clock = utc_now


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app, "calendar") as c:
        yield c


def clock_entry_body(department: str, **overrides: Any) -> dict[str, Any]:
    return {
        "title_fi": f"Yhdistysilta {uuid.uuid4().hex[:6]}",
        "description_fi": "Kaupungin ja yhdistysten yhteinen ilta.",
        "category": "association_evening",
        "audience": "associations",
        "month": 3,
        "weekday": 1,
        "week": 2,
        "responsible_department": department,
    } | overrides


class Api(DatabaseProbe):
    def __init__(self, client: httpx.AsyncClient, tokens: Tokens, app: FastAPI) -> None:
        self.client, self.tokens, self.app = client, tokens, app
        self.calendar: Calendar = app.state.container
        self.engine = self.calendar.engine

    async def clock_entry(self, department: str | None = None, **overrides: Any) -> dict[str, Any]:
        department = department or f"dept-{uuid.uuid4().hex[:6]}"
        made = await self.client.post(
            "/clock/entries", json=clock_entry_body(department, **overrides), headers=self.tokens.staff(department)
        )
        assert made.status_code == 201, made.text
        return made.json()  # type: ignore[no-any-return]


@pytest_asyncio.fixture
async def api(client: httpx.AsyncClient, tokens: Tokens, app: FastAPI, clock: Clock) -> Api:
    return Api(client, tokens, app)
