"""Idempotency-Key: a retried create returns the first answer and creates nothing more."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import text

from directory.bootstrap import jobs
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import Tokens

from ..conftest import Api, association


async def test_a_retried_create_with_the_same_key_creates_once(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    body, key = association(), str(uuid.uuid4())
    headers = tokens.staff("culture", subject="officer-1") | {"Idempotency-Key": key}
    first = await client.post("/associations", json=body, headers=headers)
    again = await client.post("/associations", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    assert first.headers["location"] == f"/associations/{first.json()['id']}"
    assert await api.scalar("SELECT count(*) FROM applicant WHERE name = :n", n=body["name"]) == 1
    assert len(await api.outbox("AssociationRegistered", applicant_id=first.json()["id"])) == 1


async def test_concurrent_retries_with_one_key_create_once(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    body = association()
    headers = tokens.staff("culture", subject="officer-2") | {"Idempotency-Key": str(uuid.uuid4())}
    responses = await asyncio.gather(*(client.post("/associations", json=body, headers=headers) for _ in range(5)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert await api.scalar("SELECT count(*) FROM applicant WHERE name = :n", n=body["name"]) == 1


async def test_a_key_reused_for_another_request_is_refused(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    headers = tokens.staff("culture", subject="officer-3") | {"Idempotency-Key": "same-key"}
    assert (await client.post("/associations", json=association(), headers=headers)).status_code == 201
    other = association()
    reused = await client.post("/associations", json=other, headers=headers)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await api.scalar("SELECT count(*) FROM applicant WHERE name = :n", n=other["name"]) == 0


async def test_keys_belong_to_their_caller(client: httpx.AsyncClient, tokens: Tokens) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    a = await client.post("/associations", json=association(), headers=tokens.staff("culture", subject="a") | key)
    b = await client.post("/associations", json=association(), headers=tokens.staff("culture", subject="b") | key)
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


async def test_a_failed_create_does_not_use_up_the_key(client: httpx.AsyncClient, tokens: Tokens) -> None:
    headers = tokens.staff("culture", subject="officer-4") | {"Idempotency-Key": str(uuid.uuid4())}
    bad = association(business_id="0112038-8")
    assert (await client.post("/associations", json=bad, headers=headers)).status_code == 422
    fixed = await client.post("/associations", json=bad | {"business_id": None}, headers=headers)
    assert fixed.status_code == 201


async def test_stored_replies_are_forgotten_after_a_week(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    old, recent = str(uuid.uuid4()), str(uuid.uuid4())
    for key in (old, recent):
        headers = tokens.staff("culture", subject="officer-5") | {"Idempotency-Key": key}
        assert (await client.post("/associations", json=association(), headers=headers)).status_code == 201
    async with api.engine.begin() as conn:
        await conn.execute(
            text("UPDATE idempotency_record SET created_at = now() - interval '8 days' WHERE key = :k"), {"k": old}
        )
    directory = api.app.state.container
    await run_jobs_once(directory, jobs(directory), datetime.now(UTC))
    assert await api.scalar("SELECT count(*) FROM idempotency_record WHERE key = :k", k=old) == 0
    assert await api.scalar("SELECT count(*) FROM idempotency_record WHERE key = :k", k=recent) == 1
