"""Idempotency-Key: a retried request gets the first answer and has no second effect.

A stored reply belongs to the caller who made the request: another caller sending the same key gets its
own answer (a refusal, or a result of its own), never the stored one. That matters most where the reply
holds personal or private data: representatives, personal-data exports, a private person's record.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
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


# --- Every mutating POST takes a key, and replays only to the caller who used it first. ---

Setup = Callable[[Api], Awaitable[tuple[str, dict[str, Any] | None]]]


def rep(**overrides: str) -> dict[str, Any]:
    return {"name": "Matti Puheenjohtaja", "role": "chair", "email": "matti@example.fi", "phone": "+358 40 1234567"} | (
        overrides
    )


async def _register(api: Api) -> tuple[str, dict[str, Any] | None]:
    return "/associations", association()


async def _deactivate(api: Api) -> tuple[str, dict[str, Any] | None]:
    return f"/associations/{(await api.register())['id']}/deactivate", None


async def _reactivate(api: Api) -> tuple[str, dict[str, Any] | None]:
    club = await api.register()
    assert (await api.client.post(f"/associations/{club['id']}/deactivate", headers=api.tokens.admin())).is_success
    return f"/associations/{club['id']}/reactivate", None


async def _representative(api: Api) -> tuple[str, dict[str, Any] | None]:
    return f"/associations/{(await api.register())['id']}/representatives", rep()


async def _department(api: Api) -> tuple[str, dict[str, Any] | None]:
    code = f"dept-{uuid.uuid4().hex[:8]}"
    return "/departments", {"code": code, "name": f"Toimiala {code}"}


async def _liaison(api: Api) -> tuple[str, dict[str, Any] | None]:
    dept = await api.department()
    return "/liaisons", {
        "kind": "department_contact",
        "name": "Liisa",
        "email": "liisa@pori.fi",
        "department_id": dept["id"],
    }


async def _person(api: Api) -> tuple[str, dict[str, Any] | None]:
    return "/privacy/exports", {"email": f"p.{uuid.uuid4().hex[:6]}@example.fi"}


async def _erasure(api: Api) -> tuple[str, dict[str, Any] | None]:
    return "/privacy/erasures", {"email": f"p.{uuid.uuid4().hex[:6]}@example.fi"}


CASES: dict[str, Setup] = {
    "/associations": _register,
    "/associations/{applicant_id}/deactivate": _deactivate,
    "/associations/{applicant_id}/reactivate": _reactivate,
    "/associations/{applicant_id}/representatives": _representative,
    "/departments": _department,
    "/liaisons": _liaison,
    "/privacy/exports": _person,
    "/privacy/erasures": _erasure,
}


def mutating_posts(app: FastAPI) -> set[str]:
    """Every POST the app serves, with the prefixes of the routers that include it."""
    return {
        str(r.path)
        for r in iter_route_contexts(app.routes)
        if isinstance(r.original_route, APIRoute) and "POST" in (r.methods or set())
    }


async def test_every_mutating_post_declares_the_idempotency_key(app: FastAPI, client: httpx.AsyncClient) -> None:
    posts = mutating_posts(app)
    assert posts == CASES.keys(), "a new POST route needs a case in CASES (and `idem: Idempotent`)"
    spec = (await client.get("/openapi.json")).json()
    for path in posts:
        parameters = spec["paths"][path]["post"].get("parameters", [])
        assert {"name": "Idempotency-Key", "in": "header"} in [{"name": p["name"], "in": p["in"]} for p in parameters]


@pytest.mark.parametrize("route", sorted(CASES))
async def test_every_mutating_post_replays_to_its_caller_only(
    route: str, api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    url, body = await CASES[route](api)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    a, b = tokens.admin(subject=f"admin-a-{uuid.uuid4().hex[:6]}"), tokens.admin(subject="admin-b")
    first = await client.post(url, json=body, headers=a | key)
    assert first.is_success, first.text
    again = await client.post(url, json=body, headers=a | key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    other = await client.post(url, json=body, headers=b | key)
    assert "idempotent-replayed" not in other.headers


# --- Replies with personal or private data never reach another caller (the audit's finding). ---


async def test_a_representatives_reply_is_never_replayed_to_another_caller(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    club, other_club = await api.register(), await api.register()
    url, key = f"/associations/{club['id']}/representatives", {"Idempotency-Key": str(uuid.uuid4())}
    chair = tokens.association(uuid.UUID(club["id"]), subject="chair")
    secret = rep(email=f"salainen.{uuid.uuid4().hex[:6]}@example.fi", phone="+358 40 7654321")
    first = await client.post(url, json=secret, headers=chair | key)
    assert first.status_code == 201

    # Each caller gets what it would get without the key: a refusal, or a result of its own.
    refused = {"another association": (tokens.association(uuid.UUID(other_club["id"])), 403), "anonymous": ({}, 401)}
    for who, (headers, status) in refused.items():
        without_key = await client.post(url, json=secret, headers=headers)
        with_key = await client.post(url, json=secret, headers=headers | key)
        assert with_key.status_code == without_key.status_code == status, who
        assert first.json()["id"] not in with_key.text and "7654321" not in with_key.text, who
    for who, headers in {
        "another staff member": tokens.staff("culture", subject="officer-x"),
        "another representative of the club": tokens.association(uuid.UUID(club["id"]), subject="treasurer"),
    }.items():
        fresh = await client.post(url, json=secret, headers=headers | key)
        assert fresh.status_code == 201 and "idempotent-replayed" not in fresh.headers, who
        assert fresh.json()["id"] != first.json()["id"], who

    again = await client.post(url, json=secret, headers=chair | key)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"] == f"{url}/{first.json()['id']}"
    reused = await client.post(url, json=secret | {"phone": "+358 40 1111111"}, headers=chair | key)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await api.scalar("SELECT count(*) FROM representative WHERE applicant_id = :a", a=club["id"]) == 3


async def test_a_personal_data_export_is_replayed_to_its_administrator_only(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    email = f"henkilo.{uuid.uuid4().hex[:6]}@example.fi"
    club, key = await api.register(), {"Idempotency-Key": str(uuid.uuid4())}
    reps = f"/associations/{club['id']}/representatives"
    assert (await client.post(reps, json=rep(email=email), headers=tokens.staff("culture"))).status_code == 201
    admin = tokens.admin(subject="privacy-officer-a")
    first = await client.post("/privacy/exports", json={"email": email}, headers=admin | key)
    assert first.status_code == 200 and len(first.json()["representative_of"]) == 1

    for who, (headers, status) in {
        "staff": (tokens.staff("culture"), 403),
        "the association": (tokens.association(uuid.UUID(club["id"])), 403),
        "anonymous": ({}, 401),
    }.items():
        refused = await client.post("/privacy/exports", json={"email": email}, headers=headers | key)
        assert refused.status_code == status and "representative_of" not in refused.text, who
    # Another administrator gets today's answer, not the one stored for the first.
    assert (await client.post(reps, json=rep(email=email), headers=tokens.staff("culture"))).status_code == 201
    other = await client.post("/privacy/exports", json={"email": email}, headers=tokens.admin("officer-b") | key)
    assert len(other.json()["representative_of"]) == 2 and "idempotent-replayed" not in other.headers

    again = await client.post("/privacy/exports", json={"email": email}, headers=admin | key)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    reused = await client.post("/privacy/exports", json={"email": f"x{email}"}, headers=admin | key)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_a_private_persons_record_is_replayed_to_its_registrar_only(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    email = f"yksityinen.{uuid.uuid4().hex[:6]}@example.fi"
    person = association(kind="private_person", business_id=None, register_number=None, public_email=email)
    key, registrar = {"Idempotency-Key": str(uuid.uuid4())}, tokens.staff("culture", subject="registrar")
    first = await client.post("/associations", json=person, headers=registrar | key)
    assert first.status_code == 201

    for headers, status in ((tokens.association(uuid.UUID(first.json()["id"])), 403), ({}, 401)):
        refused = await client.post("/associations", json=person, headers=headers | key)
        assert refused.status_code == status and email not in refused.text
    fresh = await client.post("/associations", json=person, headers=tokens.staff("sports") | key)
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]

    again = await client.post("/associations", json=person, headers=registrar | key)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    reused = await client.post("/associations", json=person | {"name": "Toinen"}, headers=registrar | key)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await api.scalar("SELECT count(*) FROM applicant WHERE public_email = :e", e=email) == 2


async def test_a_deactivation_is_replayed_to_the_staff_member_who_made_it(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    person = await api.register(kind="private_person", name="Maija", business_id=None, register_number=None)
    url, key = f"/associations/{person['id']}/deactivate", {"Idempotency-Key": str(uuid.uuid4())}
    officer = tokens.staff("culture", subject="officer-deactivating")
    first = await client.post(url, headers=officer | key)
    assert first.status_code == 200 and first.json()["active"] is False

    # The private person itself is no staff; another officer finds it inactive already.
    for headers, status in ((tokens.association(uuid.UUID(person["id"])), 403), ({}, 401), (tokens.staff("x"), 409)):
        answer = await client.post(url, headers=headers | key)
        assert answer.status_code == status and "idempotent-replayed" not in answer.headers
        assert person["name"] not in answer.text
    again = await client.post(url, headers=officer | key)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(await api.outbox("AssociationDeactivated", applicant_id=person["id"])) == 1


async def test_concurrent_requests_with_one_key_add_one_representative(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    club = await api.register()
    url, headers = f"/associations/{club['id']}/representatives", tokens.staff("culture", subject="officer-6")
    headers |= {"Idempotency-Key": str(uuid.uuid4())}
    responses = await asyncio.gather(*(client.post(url, json=rep(), headers=headers) for _ in range(2)))
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sorted(r.headers.get("idempotent-replayed", "") for r in responses) == ["", "true"]
    assert await api.scalar("SELECT count(*) FROM representative WHERE applicant_id = :a", a=club["id"]) == 1


async def test_concurrent_deactivations_with_one_key_deactivate_once(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    club = await api.register()
    headers = tokens.staff("culture", subject="officer-7") | {"Idempotency-Key": str(uuid.uuid4())}
    url = f"/associations/{club['id']}/deactivate"
    responses = await asyncio.gather(*(client.post(url, headers=headers) for _ in range(2)))
    assert [r.status_code for r in responses] == [200, 200]  # without the key, the second would be a 409
    assert responses[0].json() == responses[1].json() and responses[0].json()["revision"] == 2
    assert len(await api.outbox("AssociationDeactivated", applicant_id=club["id"])) == 1
