"""A constraint the database enforces is answered as problem+json naming the field, never as a 500, and is
logged with its constraint name and SQLSTATE only."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest_asyncio
from fastapi import Body, FastAPI, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.tokens import TokenVerifier
from shared.db.engine import create_engine
from shared.http.conventions import install_conventions
from shared.http.problems import install_problem_handlers
from shared.testing.fixtures import TEST_JWT_SECRET, Databases

SCHEMA = [
    "CREATE TABLE club (id uuid PRIMARY KEY, business_id text, name text NOT NULL, kind text NOT NULL, "
    "members integer, CONSTRAINT ck_club_business_id_not_empty CHECK (business_id <> ''), "
    "CONSTRAINT ck_club_only_associations_registered CHECK (kind = 'association' OR business_id IS NULL))",
    "CREATE UNIQUE INDEX uq_club_business_id ON club (business_id)",
    "CREATE TABLE club_event (id uuid PRIMARY KEY, club_id uuid NOT NULL "
    "CONSTRAINT fk_club_event_club_id_club REFERENCES club (id))",
]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def engine(databases: Databases) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(await databases.create(f"refusals_{uuid.uuid4().hex[:6]}"))
    async with engine.begin() as conn:
        for statement in SCHEMA:
            await conn.execute(text(statement))
    yield engine
    await engine.dispose()


def scratch_app(engine: AsyncEngine) -> FastAPI:
    """Routes that hand what they are sent straight to the database, as a careless use case would."""
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(secret=TEST_JWT_SECRET, issuer="pori-dev", audience="pori-associations")
    install_problem_handlers(app)
    install_conventions(app)

    @app.post("/clubs", status_code=201)
    async def create(body: Annotated[dict[str, Any], Body()]) -> dict[str, str]:
        club = {"id": uuid.uuid4(), "kind": "association", "business_id": None, "members": None} | body
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO club VALUES (:id, :business_id, :name, :kind, :members)"), club
            )  # fmt: skip
        return {"id": str(club["id"])}

    @app.post("/events", status_code=201)
    async def event(body: Annotated[dict[str, Any], Body()]) -> dict[str, str]:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO club_event VALUES (:id, :club_id)"), {"id": uuid.uuid4()} | body)
        return {}

    @app.delete("/clubs/{club_id}", status_code=204)
    async def remove(club_id: uuid.UUID) -> Response:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM club WHERE id = :id"), {"id": club_id})
        return Response(status_code=204)

    return app


@pytest_asyncio.fixture(loop_scope="session")
async def client(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=scratch_app(engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://scratch") as c:
        yield c


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()  # type: ignore[no-any-return]


def field(body: dict[str, Any]) -> str | None:
    return body["errors"][0]["field"] if "errors" in body else None


async def test_a_check_constraint_is_a_422_naming_the_field_its_name_starts_with(client: httpx.AsyncClient) -> None:
    body = problem(await client.post("/clubs", json={"name": "Seura", "business_id": ""}), 422)
    assert field(body) == "business_id"


async def test_a_check_constraint_that_names_no_field_is_a_422_without_one(client: httpx.AsyncClient) -> None:
    body = problem(await client.post("/clubs", json={"name": "Ryhmä", "kind": "group", "business_id": "1-2"}), 422)
    assert field(body) is None and body["detail"]


async def test_a_duplicate_is_a_409_naming_the_field(client: httpx.AsyncClient, captured: io.StringIO) -> None:
    canary = f"canary-{uuid.uuid4().hex[:8]}"
    assert (await client.post("/clubs", json={"name": "A", "business_id": canary})).status_code == 201
    body = problem(await client.post("/clubs", json={"name": "B", "business_id": canary}), 409)
    assert field(body) == "business_id" and canary not in str(body)
    logged = captured.getvalue()
    assert "http_database_refused" in logged and "uq_club_business_id" in logged and "23505" in logged
    assert canary not in logged and "Traceback" not in logged


async def test_a_missing_reference_is_a_422_and_a_row_still_referenced_a_409(client: httpx.AsyncClient) -> None:
    body = problem(await client.post("/events", json={"club_id": str(uuid.uuid4())}), 422)
    assert field(body) == "club_id"
    club = (await client.post("/clubs", json={"name": "C"})).json()["id"]
    assert (await client.post("/events", json={"club_id": club})).status_code == 201
    problem(await client.delete(f"/clubs/{club}"), 409)


async def test_a_missing_value_and_a_value_out_of_range_are_422s(client: httpx.AsyncClient) -> None:
    assert field(problem(await client.post("/clubs", json={"name": None}), 422)) == "name"
    problem(await client.post("/clubs", json={"name": "D", "members": 2**40}), 422)
