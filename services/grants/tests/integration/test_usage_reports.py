"""Usage reports: owed for every grant, reminded and followed up on time exactly once, reported and reviewed."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from grants.bootstrap import jobs
from grants.service_layer import usage_reports
from shared.localtime import end_of_local_day, local_date
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock


@dataclass
class Grant:
    programme: dict[str, Any]
    round: dict[str, Any]
    applicant_id: uuid.UUID
    application_id: uuid.UUID
    report_id: uuid.UUID | None  # None for a rejected application: nothing to report
    grantee: dict[str, str]  # the applicant's representative's bearer header
    staff: dict[str, str]  # the programme's department


async def grant(
    api: Api,
    clock: Clock,
    *,
    due: date,
    programme: dict[str, Any] | None = None,
    round_: dict[str, Any] | None = None,
    approved_cents: int = 250_000,
    published: bool = True,
) -> Grant:
    """A decided application (rows written as the applications slice does) and, once published, its obligation."""
    programme = programme or await api.programme()
    round_ = round_ or await api.round(programme, clock)
    applicant_id, application_id = await api.applicant(), uuid.uuid4()
    async with api.grants.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO application (id, round_id, applicant_id, state, purpose, requested_cents, created_by) "
                "VALUES (:id, :round, :applicant, 'decided', 'Kesäleiri nuorille', :cents, 'rep')"
            ),
            {"id": application_id, "round": round_["id"], "applicant": applicant_id, "cents": approved_cents or 1000},
        )
        await conn.execute(
            text(
                "INSERT INTO decision (application_id, round_id, approved_cents, rationale, decided_by) "
                "VALUES (:id, :round, :cents, 'Avustusperiaatteiden mukainen', 'staff')"
            ),
            {"id": application_id, "round": round_["id"], "cents": approved_cents},
        )
    if approved_cents > 0 and published:
        grants = [(application_id, applicant_id)]
        assert await usage_reports.create_obligations(api.grants.uow(), grants=grants, due_date=due) == 1
    report_id = await api.scalar("SELECT id FROM usage_report WHERE application_id = :a", a=application_id)
    return Grant(
        programme=programme,
        round=round_,
        applicant_id=applicant_id,
        application_id=application_id,
        report_id=report_id,
        grantee=api.tokens.association(applicant_id),
        staff=api.staff(programme["department_code"]),
    )


def start_of_local_day(day: date) -> datetime:
    return end_of_local_day(day - timedelta(days=1)) + timedelta(microseconds=1)


async def run_workers(api: Api, clock: Clock, replicas: int = 3) -> None:
    """Several worker replicas wake at the same moment."""
    await asyncio.gather(*(run_jobs_once(api.grants, jobs(api.grants), clock.now) for _ in range(replicas)))


async def submit(client: httpx.AsyncClient, g: Grant, **body: Any) -> httpx.Response:
    body = {"spent_cents": 240_000, "narrative": "Leiri pidettiin kesäkuussa, 32 osallistujaa."} | body
    return await client.post(f"/usage-reports/{g.report_id}/submit", json=body, headers=g.grantee)


async def test_every_grant_owes_one_report_by_its_deadline(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    due = local_date(clock.now) + timedelta(days=90)
    g = await grant(api, clock, due=due)
    again = await usage_reports.create_obligations(  # publishing again creates nothing new
        api.grants.uow(), grants=[(g.application_id, g.applicant_id)], due_date=due
    )
    assert again == 0
    listed = (await client.get("/usage-reports", headers=g.grantee)).json()
    assert listed["total"] == 1
    [report] = listed["items"]
    assert report["id"] == str(g.report_id) and report["due_date"] == due.isoformat()
    assert report["state"] == "pending" and report["late"] is False and report["overdue"] is False
    assert report["approved_cents"] == 250_000 and report["round_id"] == g.round["id"]
    assert report["programme_id"] == g.programme["id"]
    rejected = await grant(api, clock, due=due, programme=g.programme, round_=g.round, approved_cents=0)
    assert rejected.report_id is None


async def test_the_reminder_goes_out_once_before_the_deadline(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    due = local_date(clock.now) + timedelta(days=40)
    g = await grant(api, clock, due=due)
    early = await grant(api, clock, due=due, programme=g.programme, round_=g.round)
    assert (await submit(client, early)).status_code == 200  # reported before any reminder: none is sent

    clock.now = end_of_local_day(due - timedelta(days=15))
    await run_workers(api, clock)
    assert await api.outbox("UsageReportDue", report_id=str(g.report_id)) == []

    clock.now = start_of_local_day(due - timedelta(days=14))
    await run_workers(api, clock, replicas=4)
    [event] = await api.outbox("UsageReportDue", report_id=str(g.report_id))
    assert event["data"] == {
        "report_id": str(g.report_id),
        "application_id": str(g.application_id),
        "applicant_id": str(g.applicant_id),
        "programme_id": g.programme["id"],  # the notifier names the programme's contact
        "department_code": g.programme["department_code"],
        "due_date": due.isoformat(),
    }
    report = (await client.get(f"/usage-reports/{g.report_id}", headers=g.grantee)).json()
    assert report["due_reminder_sent_at"] is not None

    clock.advance(days=10)
    await run_workers(api, clock)
    assert len(await api.outbox("UsageReportDue", report_id=str(g.report_id))) == 1
    assert await api.outbox("UsageReportDue", report_id=str(early.report_id)) == []


async def test_the_follow_up_goes_out_once_from_the_first_local_day_after_the_deadline(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    due = local_date(clock.now) + timedelta(days=30)
    g = await grant(api, clock, due=due)
    clock.now = end_of_local_day(due)  # the last moment of the due date in Pori
    await run_workers(api, clock)
    assert await api.outbox("UsageReportOverdue", report_id=str(g.report_id)) == []
    assert (await client.get(f"/usage-reports/{g.report_id}", headers=g.grantee)).json()["overdue"] is False

    clock.now = start_of_local_day(due + timedelta(days=1))
    await run_workers(api, clock, replicas=4)
    [event] = await api.outbox("UsageReportOverdue", report_id=str(g.report_id))
    assert event["data"]["due_date"] == due.isoformat() and event["data"]["applicant_id"] == str(g.applicant_id)
    assert event["data"]["programme_id"] == g.programme["id"]
    assert await usage_reports.has_overdue_report(api.grants.uow(), g.applicant_id, local_date(clock.now))

    clock.advance(days=30)
    await run_workers(api, clock)
    assert len(await api.outbox("UsageReportOverdue", report_id=str(g.report_id))) == 1
    overdue = await client.get("/usage-reports", params={"overdue": "true", "round_id": g.round["id"]}, headers=g.staff)
    assert [r["id"] for r in overdue.json()["items"]] == [str(g.report_id)]


async def test_a_report_submitted_in_time_gets_no_overdue_notice(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    due = local_date(clock.now) + timedelta(days=20)
    g = await grant(api, clock, due=due)
    clock.now = end_of_local_day(due) - timedelta(seconds=1)
    submitted = await submit(client, g)
    assert submitted.status_code == 200 and submitted.json()["late"] is False

    clock.now = start_of_local_day(due + timedelta(days=1))
    await run_workers(api, clock)
    clock.advance(days=60)
    await run_workers(api, clock)
    assert await api.outbox("UsageReportOverdue", report_id=str(g.report_id)) == []
    report = (await client.get(f"/usage-reports/{g.report_id}", headers=g.grantee)).json()
    assert report["overdue"] is False and report["overdue_notice_sent_at"] is None
    assert not await usage_reports.has_overdue_report(api.grants.uow(), g.applicant_id, local_date(clock.now))


async def test_a_late_report_is_still_taken_and_recorded_as_late(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    due = local_date(clock.now) + timedelta(days=10)
    g = await grant(api, clock, due=due)
    clock.now = start_of_local_day(due + timedelta(days=1))  # the first moment after the deadline
    response = await submit(client, g, spent_cents=0, narrative="Leiri peruttiin; palautamme avustuksen.")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "submitted" and body["late"] is True and body["overdue"] is False
    assert body["spent_cents"] == 0 and body["submitted_at"] is not None
    [event] = await api.outbox("UsageReportSubmitted", report_id=str(g.report_id))
    assert event["data"]["spent_cents"] == 0 and event["data"]["applicant_id"] == str(g.applicant_id)
    await run_workers(api, clock)
    assert await api.outbox("UsageReportOverdue", report_id=str(g.report_id)) == []  # it came in before the run


async def test_the_department_asks_for_changes_and_then_accepts(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    url = f"/usage-reports/{g.report_id}"
    assert (await client.post(f"{url}/accept", headers=g.staff)).status_code == 409  # nothing submitted yet
    assert (await submit(client, g)).status_code == 200

    other = tokens.staff("somewhere-else")
    assert (await client.get(url, headers=other)).status_code == 403  # only the department reads and reviews
    assert (await client.post(f"{url}/accept", headers=other)).status_code == 403
    refused = await client.post(f"{url}/request-changes", json={"message": "Lisää kuitit."}, headers=other)
    assert refused.status_code == 403
    assert (await client.post(f"{url}/accept", headers=g.grantee)).status_code == 403

    asked = await client.post(f"{url}/request-changes", json={"message": "Liittäkää tiliote."}, headers=g.staff)
    assert asked.status_code == 200 and asked.json()["state"] == "changes_requested"
    assert len(await api.outbox("UsageReportChangesRequested", report_id=str(g.report_id))) == 1
    seen = (await client.get(url, headers=g.grantee)).json()
    assert seen["staff_message"] == "Liittäkää tiliote." and seen["state"] == "changes_requested"
    assert (await client.post(f"{url}/accept", headers=g.staff)).status_code == 409

    again = await submit(client, g, spent_cents=245_000, narrative="Tiliote liitteenä.")
    assert again.status_code == 200 and again.json()["state"] == "submitted"
    assert again.json()["submitted_at"] == seen["submitted_at"]  # the first submission stays on record
    accepted = await client.post(f"{url}/accept", headers=g.staff)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert accepted.json()["accepted_at"] is not None and accepted.json()["spent_cents"] == 245_000
    assert len(await api.outbox("UsageReportAccepted", report_id=str(g.report_id))) == 1
    assert len(await api.outbox("UsageReportSubmitted", report_id=str(g.report_id))) == 2

    assert (await submit(client, g)).status_code == 409
    assert (await client.post(f"{url}/accept", headers=g.staff)).status_code == 409
    late_ask = await client.post(f"{url}/request-changes", json={"message": "Vielä yksi asia."}, headers=g.staff)
    assert late_ask.status_code == 409 and late_ask.headers["content-type"] == "application/problem+json"
    admin = await client.post(f"{url}/accept", headers=tokens.admin())
    assert admin.status_code == 409  # an admin may review, but the report is already accepted


async def test_a_grantee_sees_only_its_own_reports(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    due = local_date(clock.now) + timedelta(days=30)
    mine = await grant(api, clock, due=due)
    theirs = await grant(api, clock, due=due, programme=mine.programme, round_=mine.round)
    url = f"/usage-reports/{theirs.report_id}"
    assert (await client.get(url, headers=mine.grantee)).status_code == 404
    assert (await submit(client, replace(theirs, grantee=mine.grantee))).status_code == 404
    listed = await client.get("/usage-reports", headers=mine.grantee, params={"applicant_id": str(theirs.applicant_id)})
    assert listed.json()["total"] == 0
    assert [r["id"] for r in (await client.get("/usage-reports", headers=mine.grantee)).json()["items"]] == [
        str(mine.report_id)
    ]
    both = await client.get("/usage-reports", headers=mine.staff, params={"round_id": mine.round["id"]})
    assert {r["id"] for r in both.json()["items"]} == {str(mine.report_id), str(theirs.report_id)}

    assert (await client.get(url)).status_code == 401
    assert (await client.get("/usage-reports")).status_code == 401
    assert (await client.post(f"{url}/submit", json={"spent_cents": 1, "narrative": "x"})).status_code == 401
    staff_submit = await client.post(f"{url}/submit", json={"spent_cents": 1, "narrative": "x"}, headers=mine.staff)
    assert staff_submit.status_code == 403  # staff see it, but only the grantee reports
    assert (await client.get(f"/usage-reports/{uuid.uuid4()}", headers=mine.staff)).status_code == 404
    assert await api.scalar("SELECT state FROM usage_report WHERE id = :r", r=theirs.report_id) == "pending"


async def test_bad_input_names_the_field_and_writes_nothing(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    cases = [
        ({"spent_cents": -1, "narrative": "Käytetty."}, "spent_cents"),
        ({"spent_cents": "paljon", "narrative": "Käytetty."}, "spent_cents"),
        ({"spent_cents": 100, "narrative": "   "}, "narrative"),
        ({"spent_cents": 100, "narrative": "x" * 10_001}, "narrative"),
        ({"spent_cents": 100}, "narrative"),
        ({"spent_cents": 100, "narrative": "Käytetty.", "state": "accepted"}, "state"),
    ]
    for body, field in cases:
        response = await client.post(f"/usage-reports/{g.report_id}/submit", json=body, headers=g.grantee)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.json())
    assert await api.scalar("SELECT state FROM usage_report WHERE id = :r", r=g.report_id) == "pending"
    assert await api.outbox("UsageReportSubmitted", report_id=str(g.report_id)) == []

    assert (await submit(client, g)).status_code == 200
    empty = await client.post(f"/usage-reports/{g.report_id}/request-changes", json={"message": " "}, headers=g.staff)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "message"
    assert await api.scalar("SELECT state FROM usage_report WHERE id = :r", r=g.report_id) == "submitted"


async def test_a_retried_submission_gets_the_first_answer(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    body = {"spent_cents": 1000, "narrative": "Ostimme pallot."}
    headers = g.grantee | {"Idempotency-Key": f"report-{g.report_id}"}
    url = f"/usage-reports/{g.report_id}/submit"
    first, second = await asyncio.gather(*(client.post(url, json=body, headers=headers) for _ in range(2)))
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert len(await api.outbox("UsageReportSubmitted", report_id=str(g.report_id))) == 1
    without_key = await client.post(url, json=body, headers=g.grantee)
    assert without_key.status_code == 409
