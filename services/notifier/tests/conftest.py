"""The notifier under test: its own migrated database, a real SMTP catcher, a movable clock, an HTTP client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from notifier.bootstrap import MIGRATIONS, Notifier, bootstrap
from notifier.config import Settings
from shared.clock import utc_now
from shared.testing.clock import MovableClock
from shared.testing.fixtures import Databases, Tokens
from shared.testing.mail import MailCatcher
from shared.testing.probe import DatabaseProbe
from shared.testing.servers import Servers
from shared.testing.service import http_client, settings_for_tests

Clock = MovableClock


@pytest.fixture(scope="session")
def catcher() -> Iterator[MailCatcher]:
    """A real SMTP server (aiosmtpd) in this process: the mails the notifier sends arrive here."""
    with MailCatcher() as running:
        yield running


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def settings(databases: Databases, servers: Servers, namespace: str, catcher: MailCatcher) -> Settings:
    return await settings_for_tests(
        Settings,
        MIGRATIONS,
        databases=databases,
        servers=servers,
        namespace=namespace,
        smtp_host=catcher.host,
        smtp_port=catcher.port,
        public_base_url="http://notifier",
        public_rate_limit="100000/minute",
        retry_delays_seconds=[1, 2],
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from notifier.entrypoints.http.app import create_app

    application = create_app(bootstrap(settings))
    yield application
    await application.state.container.close()


@pytest_asyncio.fixture
async def clock(app: FastAPI) -> AsyncIterator[Clock]:
    notifier: Notifier = app.state.container
    clock = Clock()
    notifier.clock = clock
    yield clock
    notifier.clock = utc_now


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app, "notifier") as c:
        yield c


def new_address() -> str:
    return f"person-{uuid.uuid4().hex[:10]}@example.org"


class Api(DatabaseProbe):
    def __init__(self, client: httpx.AsyncClient, tokens: Tokens, app: FastAPI) -> None:
        self.client, self.tokens, self.app = client, tokens, app
        self.notifier: Notifier = app.state.container
        self.engine = self.notifier.engine

    async def issue(self, department: str = "culture", **overrides: Any) -> dict[str, Any]:
        body = {"subject_fi": f"Yhdistysuutiset {uuid.uuid4().hex[:6]}", "body_fi": "# Hei\n\nUutisia."} | overrides
        made = await self.client.post("/issues", json=body, headers=self.tokens.staff(department))
        assert made.status_code == 201, made.text
        return made.json()  # type: ignore[no-any-return]


@pytest_asyncio.fixture
async def api(client: httpx.AsyncClient, tokens: Tokens, app: FastAPI, clock: Clock) -> Api:
    return Api(client, tokens, app)
