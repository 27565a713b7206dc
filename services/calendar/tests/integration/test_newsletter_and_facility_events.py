"""The notifier's newsletter issues and bookings' facilities through the real broker: one entry per issue,
matched to the clock's planned issue, the newest state, in any order and however often they are delivered; a
cancelled issue leaves the schedule and its planned date is shown again."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from shared.contracts.bookings import FacilityRegistered
from shared.contracts.envelope import Envelope
from shared.contracts.notifier import NewsletterCancelled, NewsletterScheduled, NewsletterSent
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_registrations import published_event
from .test_schedule_events import Exchange, eventually, publish, schedule_of, worker, wrap

__all__ = ["worker"]
YEAR = 2031


def issue_events(issue_id: uuid.UUID, t0: datetime, send_at: datetime, sent_at: datetime) -> list[Envelope[Any]]:
    subject = f"Yhdistysuutiset {issue_id.hex[:4]}"
    return [
        wrap(NewsletterScheduled(issue_id=issue_id, subject=subject, send_at=send_at - timedelta(days=3),
                                 department_code="culture"), t0),
        wrap(NewsletterScheduled(issue_id=issue_id, subject=subject, send_at=send_at, department_code="culture"),
             t0 + timedelta(seconds=1)),
        wrap(NewsletterSent(issue_id=issue_id, subject=subject, sent_at=sent_at, recipients=120, failed=1,
                            department_code="culture"), t0 + timedelta(seconds=2)),
    ]  # fmt: skip


async def test_newsletter_issues_shuffled_and_redelivered_end_matched_to_the_clock(
    worker: Exchange, api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    spring = await api.clock_entry(category="newsletter", audience="everyone", month=2, day=23, weekday=None, week=None)
    autumn = await api.clock_entry(category="newsletter", audience="everyone", month=9, day=23, weekday=None, week=None)
    generated = await client.post("/schedule/generate", json={"year": YEAR}, headers=tokens.staff("culture"))
    assert generated.status_code == 200, generated.text
    t0 = datetime.now(UTC)
    spring_issue, autumn_issue = uuid.uuid4(), uuid.uuid4()
    deliveries = issue_events(
        spring_issue, t0, datetime(YEAR, 2, 23, 8, tzinfo=UTC), datetime(YEAR, 2, 23, 9, tzinfo=UTC)
    ) + issue_events(autumn_issue, t0, datetime(YEAR, 9, 26, 8, tzinfo=UTC), datetime(YEAR, 9, 26, 9, tzinfo=UTC))
    deliveries += random.Random(7).sample(deliveries, k=4)  # some twice
    random.Random(7).shuffle(deliveries)
    for envelope in deliveries:
        await publish(worker, envelope)

    def mine(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted((i for i in items if i["source_id"] in (str(spring_issue), str(autumn_issue))),
                      key=lambda i: i["starts_on"])  # fmt: skip

    def settled(items: list[dict[str, Any]]) -> bool:
        return [i["state"] for i in mine(items)] == ["done", "done"]

    items = await eventually(client, settled)
    first, second = mine(items)
    assert (first["kind"], first["starts_on"], first["clock_entry_id"]) == ("newsletter", f"{YEAR}-02-23", spring["id"])
    assert (second["starts_on"], second["clock_entry_id"]) == (f"{YEAR}-09-26", autumn["id"])
    assert second["title_fi"] == autumn["title_fi"] and second["description_fi"].startswith("Yhdistysuutiset")
    rows = await api.scalar(
        "SELECT count(*) FROM schedule_entry WHERE source_id IN (:a, :b)", a=spring_issue, b=autumn_issue
    )
    assert rows == 2
    # The planned issues they fulfil are shown by the issues, not twice.
    year = await schedule_of(client, year=YEAR, category="newsletter")
    shown = [i for i in year if i["clock_entry_id"] in (spring["id"], autumn["id"])]
    assert sorted(i["kind"] for i in shown) == ["newsletter", "newsletter"]


async def test_a_cancelled_issue_leaves_the_schedule_also_when_the_cancellation_comes_first(
    worker: Exchange, api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    year = YEAR + 1
    spring = await api.clock_entry(category="newsletter", audience="everyone", month=3, day=9, weekday=None, week=None)
    autumn = await api.clock_entry(category="newsletter", audience="everyone", month=10, day=5, weekday=None, week=None)
    generated = await client.post("/schedule/generate", json={"year": year}, headers=tokens.staff("culture"))
    assert generated.status_code == 200, generated.text
    t0 = datetime.now(UTC)
    cancelled_issue, kept_issue = uuid.uuid4(), uuid.uuid4()

    def scheduled(issue_id: uuid.UUID, send_at: datetime, at: datetime) -> Envelope[Any]:
        return wrap(NewsletterScheduled(issue_id=issue_id, subject="Uutiset", send_at=send_at,
                                        department_code="culture"), at)  # fmt: skip

    cancel = wrap(NewsletterCancelled(issue_id=cancelled_issue, cancelled_at=t0, department_code="culture"),
                  t0 + timedelta(seconds=2))  # fmt: skip
    spring_send = scheduled(cancelled_issue, datetime(year, 3, 9, 7, tzinfo=UTC), t0)
    # The cancellation overtakes the scheduling, and both come twice.
    for envelope in (cancel, spring_send, cancel, spring_send,
                     scheduled(kept_issue, datetime(year, 10, 5, 7, tzinfo=UTC), t0 + timedelta(seconds=1))):  # fmt: skip
        await publish(worker, envelope)

    async def row(issue_id: uuid.UUID) -> Any:
        return await api.scalar(
            "SELECT state || ' ' || coalesce(starts_on::text, '-') FROM schedule_entry WHERE source_id = :i",
            i=issue_id,
        )

    for _ in range(300):
        if (await row(cancelled_issue), await row(kept_issue)) == (
            f"cancelled {year}-03-09",
            f"scheduled {year}-10-05",
        ):
            break
        await asyncio.sleep(0.05)
    assert await row(cancelled_issue) == f"cancelled {year}-03-09"  # its dates known, its state kept
    assert await row(kept_issue) == f"scheduled {year}-10-05"
    assert await api.scalar("SELECT count(*) FROM schedule_entry WHERE source_id = :i", i=cancelled_issue) == 1
    shown = [
        (i["kind"], i["starts_on"]) for i in await schedule_of(client, year=year, category="newsletter")
        if i["clock_entry_id"] in (spring["id"], autumn["id"])
    ]  # fmt: skip
    # The cancelled issue is gone and the clock's planned spring date is back; autumn's issue stands for its plan.
    assert sorted(shown) == [("clock", f"{year}-03-09"), ("newsletter", f"{year}-10-05")]
    staff = await schedule_of(client, tokens.staff("culture"), year=year, category="newsletter")
    assert str(cancelled_issue) not in {i["source_id"] for i in staff}


async def test_a_facility_from_bookings_places_an_event_by_name_and_address(
    worker: Exchange, api: Api, client: httpx.AsyncClient, clock: Clock
) -> None:
    facility_id = uuid.uuid4()
    t0 = datetime.now(UTC)

    def registered(name: str, at: datetime) -> Envelope[Any]:
        return wrap(FacilityRegistered(facility_id=facility_id, name=name, department_code="culture",
                                       address="Gallen-Kallelankatu 12, Pori", capacity=80, contact_id=None), at)  # fmt: skip

    # Unknown to the calendar yet: an event cannot be placed there (naming the field).
    staff = api.tokens.staff("culture-f")
    refused = await client.post(
        "/events",
        json={"kind": "info", "title_fi": "Info", "department_code": "culture-f",
              "starts_at": (clock.now + timedelta(days=5)).isoformat(),
              "ends_at": (clock.now + timedelta(days=5, hours=1)).isoformat(), "facility_id": str(facility_id)},
        headers=staff,
    )  # fmt: skip
    assert refused.status_code == 422 and "facility_id" in refused.text
    newer, older = registered("Kulttuuritalo Annankatu", t0 + timedelta(seconds=1)), registered("Vanha nimi", t0)
    for envelope in (newer, older, newer):  # late and redelivered
        await publish(worker, envelope)

    async def listed() -> list[dict[str, Any]]:
        for _ in range(200):
            page = (await client.get("/facilities", params={"limit": 100})).json()["items"]
            if [f for f in page if f["id"] == str(facility_id)]:
                return page  # type: ignore[no-any-return]
            await asyncio.sleep(0.05)
        raise AssertionError("facility never arrived")

    [facility] = [f for f in await listed() if f["id"] == str(facility_id)]
    assert facility == {"id": str(facility_id), "name": "Kulttuuritalo Annankatu",
                        "address": "Gallen-Kallelankatu 12, Pori"}  # fmt: skip
    event = await published_event(api, clock, "culture-f", facility_id=str(facility_id), address=None)
    [entry] = [i for i in await schedule_of(client, **{"from": clock.now.date().isoformat()})
               if i["source_id"] == event["id"]]  # fmt: skip
    assert entry["facility_id"] == str(facility_id)
    assert entry["address"] == "Kulttuuritalo Annankatu, Gallen-Kallelankatu 12, Pori"
