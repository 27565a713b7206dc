"""A privacy request at the directory reaches the other services holding the person's data (ADR 0015): the
export holds their parts or answers 503 naming the one that did not answer; the erasure is forwarded durably,
pending while a service is down, completed by the worker's job later; only admins may ask."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx

from directory.bootstrap import jobs
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import Tokens

from ..conftest import Api, FakePeer

PROBLEM = "application/problem+json"


def new_email() -> str:
    return f"aino.{uuid.uuid4().hex[:8]}@example.fi"


async def test_the_export_holds_every_services_part_or_none_at_all(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, up_peers: dict[str, FakePeer]
) -> None:
    email, admin = new_email(), tokens.admin()
    club = await api.register()
    rep = await api.representative(club["id"], name="Aino Rahastonhoitaja", role="treasurer", email=email)
    up_peers["notifier"].held[email] = {"records": [{"kind": "subscription"}]}

    exported = await client.post("/privacy/exports", json={"email": email.upper()}, headers=admin)
    assert exported.status_code == 200, exported.text
    body = exported.json()
    assert [r["id"] for r in body["representative_of"]] == [rep["id"]]
    assert body["services"]["notifier"]["records"] == [{"kind": "subscription"}]
    assert body["services"]["calendar"]["records"] == []

    up_peers["calendar"].down = True
    missing = await client.post("/privacy/exports", json={"email": email}, headers=admin | {"Idempotency-Key": "x1"})
    assert missing.status_code == 503 and missing.headers["content-type"] == PROBLEM
    assert missing.json()["service"] == "calendar" and "calendar" in missing.json()["detail"]
    assert "representative_of" not in missing.text and email not in missing.text
    assert "retry-after" in missing.headers
    # Nothing partial was kept for a retry either.
    assert await api.scalar("SELECT count(*) FROM idempotency_record WHERE key = 'x1'") == 0


async def test_an_erasure_forwarded_to_a_service_that_is_down_is_pending_until_the_job_completes_it(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, up_peers: dict[str, FakePeer]
) -> None:
    email, admin = new_email(), tokens.admin()
    club = await api.register()
    await api.representative(club["id"], name="Aino Sihteeri", role="secretary", email=email)
    notifier, calendar = up_peers["notifier"], up_peers["calendar"]
    notifier.held[email] = {"records": [{"kind": "subscription"}, {"kind": "delivery"}]}
    calendar.held[email] = {"records": [{"kind": "registration"}]}
    notifier.down = True

    key = {"Idempotency-Key": str(uuid.uuid4())}
    answer = await client.post("/privacy/erasures", json={"email": email}, headers=admin | key)
    assert answer.status_code == 200, answer.text
    erasure = answer.json()
    assert erasure["representatives"] == 1 and erasure["pending"] == ["notifier"]
    assert erasure["parts"]["notifier"] == {"state": "pending", "counts": None}
    assert erasure["parts"]["calendar"] == {"state": "done", "counts": {"records": 1}}
    forward = "SELECT attempts, last_error, email FROM privacy_forward WHERE erasure_id = :i"
    [(attempts, error, kept)] = await api.rows(forward, i=uuid.UUID(erasure["id"]))
    assert (attempts, error, kept) == (1, "ConnectError", email)
    # A retried request is answered from its first reply, and erases nothing twice.
    retried = await client.post("/privacy/erasures", json={"email": email}, headers=admin | key)
    assert retried.json() == erasure and [e for e, _ in calendar.erasures if e == email] == [email]

    container = api.app.state.container
    now = container.clock()
    assert (await run_jobs_once(container, jobs(container), now=now))["forward_erasures"] == 0  # not yet due
    notifier.down = False
    later = now + timedelta(seconds=container.settings.privacy_forward_retry_seconds[0] + 1)
    assert (await run_jobs_once(container, jobs(container), now=later))["forward_erasures"] >= 1
    assert email not in notifier.held and [e for e, _ in notifier.erasures if e == email] == [email]

    state = (await client.get(f"/privacy/erasures/{erasure['id']}", headers=admin)).json()
    assert state["pending"] == [] and state["parts"]["notifier"] == {"state": "done", "counts": {"records": 2}}
    assert (
        await api.scalar("SELECT count(*) FROM privacy_forward WHERE erasure_id = :i", i=uuid.UUID(erasure["id"])) == 0
    )
    record = "SELECT count(*) FROM erasure_record t WHERE t::text ILIKE :e"
    assert await api.scalar(record, e=f"%{email}%") == 0
    # Erasing again is harmless: nothing left here, the services asked again and finding nothing.
    again = (await client.post("/privacy/erasures", json={"email": email}, headers=admin)).json()
    assert again["representatives"] == 0 and again["pending"] == []
    assert again["parts"]["notifier"]["counts"] == {"records": 0}


async def test_only_an_administrator_makes_privacy_requests(
    client: httpx.AsyncClient, tokens: Tokens, up_peers: dict[str, FakePeer]
) -> None:
    email, unknown = new_email(), uuid.uuid4()
    for headers, status in (
        ({}, 401),
        (tokens.staff("culture"), 403),
        (tokens.association(uuid.uuid4()), 403),
        (tokens.service("service:notifier"), 403),
        (tokens.service("service:directory"), 403),
    ):
        for route in ("/privacy/exports", "/privacy/erasures"):
            refused = await client.post(route, json={"email": email}, headers=headers)
            assert refused.status_code == status, (route, headers, refused.text)
        assert (await client.get(f"/privacy/erasures/{unknown}", headers=headers)).status_code == status
    assert email not in dict(up_peers["notifier"].erasures)  # no refused request was forwarded
    admin = tokens.admin()
    assert (await client.get(f"/privacy/erasures/{unknown}", headers=admin)).status_code == 404
    bad = await client.post("/privacy/erasures", json={"email": "not an address"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"


async def test_two_workers_forward_each_pending_erasure_once(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, up_peers: dict[str, FakePeer]
) -> None:
    notifier = up_peers["notifier"]
    notifier.down = True
    emails = [new_email() for _ in range(4)]
    for email in emails:
        answer = await client.post("/privacy/erasures", json={"email": email}, headers=tokens.admin())
        assert answer.json()["pending"] == ["notifier"]
    notifier.down, notifier.delay = False, 0.05
    container = api.app.state.container
    later = container.clock() + timedelta(hours=2)
    await asyncio.gather(*(run_jobs_once(container, jobs(container), now=later) for _ in range(3)))
    forwarded = [email for email, _ in notifier.erasures if email in emails]
    assert sorted(forwarded) == sorted(emails)  # each exactly once
    waiting = "SELECT count(*) FROM privacy_forward WHERE email = ANY(:e)"
    assert await api.scalar(waiting, e=emails) == 0


async def test_a_service_that_is_down_is_asked_once_per_run_not_once_per_pending_erasure(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, up_peers: dict[str, FakePeer]
) -> None:
    notifier, calendar = up_peers["notifier"], up_peers["calendar"]
    notifier.down = calendar.down = True
    for _ in range(3):
        await client.post("/privacy/erasures", json={"email": new_email()}, headers=tokens.admin())
    container = api.app.state.container
    calendar.down, before = False, notifier.erase_calls
    later = container.clock() + timedelta(days=1)
    done = await run_jobs_once(container, jobs(container), now=later)
    assert notifier.erase_calls == before + 1  # the first failure stops the notifier's forwards for this run
    assert done["forward_erasures"] >= 3  # while the calendar's all went through
