"""The directory under test: its own migrated database and names for this run, and an HTTP client."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from fastapi import FastAPI

from directory.bootstrap import MIGRATIONS, bootstrap
from directory.config import Settings
from directory.domain.business_id import check_digit
from directory.service_layer.privacy_forwarding import PeerUnavailable
from shared.testing.fixtures import TEST_JWT_SECRET, Databases, Tokens
from shared.testing.probe import DatabaseProbe
from shared.testing.servers import Servers


def business_id() -> str:
    """A random valid business ID."""
    while True:
        digits = f"{random.randrange(10**7):07d}"
        if (check := check_digit(digits)) is not None:
            return f"{digits}-{check}"


def register_number() -> str:
    return str(random.randrange(10**5, 10**9))


def association(**overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "registered_association",
        "name": f"Porin Testiseura {uuid.uuid4().hex[:6]} ry",
        "register_number": register_number(),
        "business_id": business_id(),
        "fields_of_activity": ["sports", "youth"],
        "district": "Keskusta",
        "languages": ["fi", "sv"],
        "public_email": "info@testiseura.example",
    }
    return body | overrides


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def settings(databases: Databases, servers: Servers, namespace: str) -> Settings:
    url = await databases.create("directory", migrations=MIGRATIONS)
    return Settings(
        database_url=url,
        amqp_url=servers.amqp_url,
        namespace=f"{namespace}.directory",
        jwt_secret=TEST_JWT_SECRET,
        cors_origins=["https://yhdistykset.pori.fi"],
    )


class FakePeer:
    """A service holding personal data, in memory (the notifier, the calendar): ``down`` makes it not answer."""

    def __init__(self, name: str) -> None:
        self.name, self.down, self.delay, self.erase_calls = name, False, 0.0, 0
        self.held: dict[str, dict[str, Any]] = {}
        self.erasures: list[tuple[str, str]] = []  # (address, idempotency key)

    def _check(self) -> None:
        if self.down:
            raise PeerUnavailable(self.name, "ConnectError")

    async def export(self, email: str) -> dict[str, Any]:
        self._check()
        return {"email": email, "records": self.held.get(email.lower(), {}).get("records", [])}

    async def erase(self, email: str, *, key: str) -> dict[str, int]:
        self.erase_calls += 1
        self._check()
        await asyncio.sleep(self.delay)
        self.erasures.append((email, key))
        return {"records": len(self.held.pop(email.lower(), {}).get("records", []))}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def peers() -> list[FakePeer]:
    return [FakePeer("notifier"), FakePeer("calendar")]


@pytest_asyncio.fixture
async def up_peers(peers: list[FakePeer]) -> AsyncIterator[dict[str, FakePeer]]:
    """The fake peers, answering; put back up after the test."""
    yield {p.name: p for p in peers}
    for peer in peers:
        peer.down, peer.delay = False, 0.0


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app(settings: Settings, peers: list[FakePeer]) -> AsyncIterator[FastAPI]:
    from directory.entrypoints.http.app import create_app

    application = create_app(bootstrap(settings, peers=peers))
    yield application
    await application.state.container.close()


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://directory") as c:
        yield c


class Api(DatabaseProbe):
    """Short-hands for the calls most tests make first."""

    def __init__(self, client: httpx.AsyncClient, tokens: Tokens, app: FastAPI) -> None:
        self.client, self.tokens, self.app = client, tokens, app
        self.engine = app.state.container.engine

    async def register(self, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/associations", json=association(**overrides), headers=self.tokens.staff("culture")
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def representative(self, association_id: str, **fields: Any) -> dict[str, Any]:
        response = await self.client.post(
            f"/associations/{association_id}/representatives", json=fields, headers=self.tokens.staff("culture")
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def department(self, code: str | None = None) -> dict[str, Any]:
        code = code or f"dept-{uuid.uuid4().hex[:8]}"
        response = await self.client.post(
            "/departments", json={"code": code, "name": f"Toimiala {code}"}, headers=self.tokens.admin()
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]


@pytest_asyncio.fixture
async def api(client: httpx.AsyncClient, tokens: Tokens, app: FastAPI) -> Api:
    return Api(client, tokens, app)
