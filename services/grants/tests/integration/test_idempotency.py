"""Idempotency-Key on applications and usage reports: a retry gets the first answer, and only its own caller does.

The audit found stored replies reachable by another caller who chose the same key (keys were scoped by the
token's subject alone). A key now belongs to the caller's whole identity, so another association or another
department's staff with the same subject and key get their own answer: a fresh effect or a refusal.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from fastapi.routing import APIRoute

from grants.entrypoints.http.routes import applications, register, usage_reports
from shared.localtime import local_date
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .applying import body
from .test_usage_reports import grant

KEY = "Idempotency-Key"
MUTATING_POSTS = {
    "/applications",
    "/applications/{application_id}/submit",
    "/applications/{application_id}/withdraw",
    "/applications/{application_id}/return",
    "/applications/{application_id}/comments",
    "/rounds/{round_id}/publish",
    "/usage-reports/{report_id}/submit",
    "/usage-reports/{report_id}/accept",
    "/usage-reports/{report_id}/request-changes",
}


def _posts() -> set[str]:
    routers = (applications.router, register.router, usage_reports.router)
    return {
        r.path for router in routers for r in router.routes if isinstance(r, APIRoute) and "POST" in (r.methods or ())
    }


async def test_every_mutating_post_declares_the_key(client: httpx.AsyncClient) -> None:
    assert _posts() == MUTATING_POSTS  # a new POST joins this list, and so must take ``idem: Idempotent``
    paths: dict[str, Any] = (await client.get("/openapi.json")).json()["paths"]
    for path in sorted(MUTATING_POSTS):
        parameters = paths[path]["post"].get("parameters", [])
        declared = [p for p in parameters if p["name"] == KEY and p["in"] == "header"]
        assert len(declared) == 1, (path, parameters)
        assert declared[0].get("required", False) is False, path  # optional: a client may do without


def _with_key(headers: dict[str, str], key: str) -> dict[str, str]:
    return headers | {KEY: key}


async def test_a_draft_is_replayed_only_to_its_own_caller(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    round_ = await api.round(await api.programme(), clock)
    ours, theirs = await api.applicant(), await api.applicant()
    subject, key = f"rep-{uuid.uuid4().hex[:6]}", f"draft-{uuid.uuid4()}"
    a = _with_key(api.tokens.association(ours, subject=subject), key)
    b = _with_key(api.tokens.association(theirs, subject=subject), key)  # the same person's name, another association
    sent = body(round_["id"], ours)

    first = await client.post("/applications", json=sent, headers=a)
    assert first.status_code == 201, first.text
    stolen = await client.post("/applications", json=sent, headers=b)
    assert stolen.status_code == 403 and "idempotent-replayed" not in stolen.headers
    assert first.json()["id"] not in stolen.text and "Kesäleiri" not in stolen.text
    own = await client.post("/applications", json=body(round_["id"], theirs), headers=b)
    assert own.status_code == 201 and "idempotent-replayed" not in own.headers
    assert own.json()["id"] != first.json()["id"] and own.json()["applicant_id"] == str(theirs)

    replay = await client.post("/applications", json=sent, headers=a)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json() and replay.headers["location"] == first.headers["location"]
    changed = await client.post("/applications", json=sent | {"purpose": "Toinen leiri"}, headers=a)
    assert changed.status_code == 422 and changed.json()["errors"][0]["field"] == KEY
    count = "SELECT count(*) FROM application WHERE round_id = :r"
    assert await api.scalar(count, r=round_["id"]) == 2


async def test_a_usage_report_is_replayed_only_to_its_own_caller(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    url, key = f"/usage-reports/{g.report_id}", f"report-{uuid.uuid4()}"
    subject = f"rep-{uuid.uuid4().hex[:6]}"
    grantee = _with_key(tokens.association(g.applicant_id, subject=subject), key)
    stranger = _with_key(tokens.association(uuid.uuid4(), subject=subject), key)
    report = {"spent_cents": 240_000, "narrative": "Leiri pidettiin kesäkuussa."}

    first = await client.post(f"{url}/submit", json=report, headers=grantee)
    assert first.status_code == 200, first.text
    stolen = await client.post(f"{url}/submit", json=report, headers=stranger)
    assert stolen.status_code == 404 and "Leiri" not in stolen.text
    replay = await client.post(f"{url}/submit", json=report, headers=grantee)
    assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json() == first.json()
    changed = await client.post(f"{url}/submit", json=report | {"spent_cents": 1}, headers=grantee)
    assert changed.status_code == 422 and changed.json()["errors"][0]["field"] == KEY
    assert len(await api.outbox("UsageReportSubmitted", report_id=str(g.report_id))) == 1

    # Staff of the department and of another one, under one name and one key.
    officer = f"officer-{uuid.uuid4().hex[:6]}"
    department = _with_key(tokens.staff(g.programme["department_code"], subject=officer), key)
    elsewhere = _with_key(tokens.staff("somewhere-else", subject=officer), key)
    accepted = await client.post(f"{url}/accept", headers=department)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    refused = await client.post(f"{url}/accept", headers=elsewhere)
    assert refused.status_code == 403 and "idempotent-replayed" not in refused.headers
    assert "Leiri" not in refused.text
    again = await client.post(f"{url}/accept", headers=department)
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == accepted.json()
    assert len(await api.outbox("UsageReportAccepted", report_id=str(g.report_id))) == 1


async def test_a_refused_request_does_not_use_up_the_key(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    headers = _with_key(g.staff, f"accept-{uuid.uuid4()}")
    early = await client.post(f"/usage-reports/{g.report_id}/accept", headers=headers)
    assert early.status_code == 409  # nothing submitted yet: the refusal is not stored
    report = {"spent_cents": 1000, "narrative": "Ostimme pallot."}
    assert (await client.post(f"/usage-reports/{g.report_id}/submit", json=report, headers=g.grantee)).is_success
    later = await client.post(f"/usage-reports/{g.report_id}/accept", headers=headers)
    assert later.status_code == 200 and "idempotent-replayed" not in later.headers
