"""The one idempotency mechanism on a scratch app: atomic, serialised, and scoped to the caller."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest_asyncio
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select

from shared.db.uow import UnitOfWork
from shared.errors import Forbidden
from shared.http.app import create_base_app
from shared.http.deps import unit_of_work
from shared.http.idempotency import Idempotent
from shared.http.security import SignedIn
from shared.testing.fixtures import Tokens

from .conftest import Scratch, effect


class NoteIn(BaseModel):
    note: str


class NoteRead(BaseModel):
    id: uuid.UUID
    note: str
    owner: str


async def write_note(uow: UnitOfWork, *, owner: str, note: str) -> NoteRead:
    """The use case: it owns its transaction, and joins the idempotent request's when there is one."""
    if note == "forbidden":
        raise Forbidden("Not for you.")
    made = NoteRead(id=uuid.uuid4(), note=note, owner=owner)
    async with uow:
        await uow.session.execute(effect.insert().values(event_id=made.id, applied=1, note=f"{owner}:{note}"))
        await uow.commit()
    return made


def make_app(scratch: Scratch) -> FastAPI:
    app = create_base_app(scratch.container, title="scratch", description="scratch")
    notes = APIRouter()

    @notes.post("/notes", status_code=201, response_model=NoteRead)
    async def create(
        body: NoteIn, actor: SignedIn, idem: Idempotent, uow: Annotated[UnitOfWork, Depends(unit_of_work)]
    ) -> object:
        return await idem.created(uow, lambda: write_note(uow, owner=actor.subject, note=body.note), lambda r: r)

    app.include_router(notes)
    return app


@pytest_asyncio.fixture
async def client(scratch: Scratch) -> AsyncIterator[httpx.AsyncClient]:
    app = make_app(scratch)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://scratch") as c:
        yield c


async def _notes(scratch: Scratch) -> int:
    async with scratch.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(effect))).scalar_one())


async def test_a_retry_replays_the_first_answer_and_writes_nothing_more(
    scratch: Scratch, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    me = tokens.association(uuid.uuid4(), subject="rep-a") | {"Idempotency-Key": "k-1"}
    first = await client.post("/notes", json={"note": "hello"}, headers=me)
    again = await client.post("/notes", json={"note": "hello"}, headers=me)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == f"/notes/{first.json()['id']}"
    assert await _notes(scratch) == 1


async def test_another_caller_with_the_same_key_never_gets_the_stored_reply(
    scratch: Scratch, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    association = uuid.uuid4()
    a = tokens.association(association, subject="rep-a")
    first = await client.post("/notes", json={"note": "private"}, headers=a | {"Idempotency-Key": "shared-key"})
    # Another person, the same person acting for other associations, and the anonymous public.
    for other in (
        tokens.association(association, subject="rep-b"),
        tokens.association(uuid.uuid4(), subject="rep-a"),
        tokens.staff("culture", subject="rep-a"),
    ):
        answer = await client.post(
            "/notes", json={"note": "private"}, headers=other | {"Idempotency-Key": "shared-key"}
        )
        assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
        assert answer.json()["id"] != first.json()["id"]
    anonymous = await client.post("/notes", json={"note": "private"}, headers={"Idempotency-Key": "shared-key"})
    assert anonymous.status_code == 401 and first.json()["id"] not in anonymous.text


async def test_a_key_reused_for_another_body_is_refused_naming_the_header(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    me = tokens.association(uuid.uuid4()) | {"Idempotency-Key": "k-2"}
    assert (await client.post("/notes", json={"note": "one"}, headers=me)).status_code == 201
    reused = await client.post("/notes", json={"note": "two"}, headers=me)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_a_refused_request_stores_nothing_and_concurrent_retries_create_one(
    scratch: Scratch, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    me = tokens.association(uuid.uuid4())
    refused = await client.post("/notes", json={"note": "forbidden"}, headers=me | {"Idempotency-Key": "k-3"})
    assert refused.status_code == 403
    before = await _notes(scratch)
    answers = await asyncio.gather(
        *(client.post("/notes", json={"note": "race"}, headers=me | {"Idempotency-Key": "k-4"}) for _ in range(5))
    )
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert await _notes(scratch) == before + 1
