"""Grants' events date the schedule through the real broker: one entry per source, the newest dates, in any
order and however often they are delivered."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest_asyncio

from calendar_service.bootstrap import subscriptions
from shared.contracts.envelope import Envelope, EventData
from shared.contracts.grants import (
    GrantProgrammeCreated,
    GrantRoundClosed,
    GrantRoundOpened,
    GrantRoundScheduled,
    PartnershipDiscussionDue,
    UsageReportDue,
    UsageReportSubmitted,
)
from shared.testing.broker import publish_event, running_consumers
from shared.testing.fixtures import Tokens

from ..conftest import Api

Exchange = aio_pika.abc.AbstractExchange


@pytest_asyncio.fixture
async def worker(api: Api) -> AsyncIterator[Exchange]:
    """The calendar worker's consumers on the app's own container (this run's names); yields the exchange."""
    async with running_consumers(api.calendar, subscriptions(api.calendar)) as exchange:
        yield exchange


publish = publish_event


def wrap(data: EventData, at: datetime) -> Envelope[Any]:
    return Envelope.wrap(data).model_copy(update={"occurred_at": at})


async def schedule_of(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **params: Any
) -> list[dict[str, Any]]:
    answer = await client.get("/schedule", params={"limit": 100, **params}, headers=headers or {})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]  # type: ignore[no-any-return]


async def eventually(
    client: httpx.AsyncClient, check: Any, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    for _ in range(200):
        items = await schedule_of(client, headers)
        if check(items):
            return items
        await asyncio.sleep(0.05)
    raise AssertionError(items)


def round_events(round_id: uuid.UUID, programme_id: uuid.UUID, t0: datetime) -> list[Envelope[Any]]:
    opens = datetime(2027, 3, 1, 7, tzinfo=UTC)
    first_close, moved_close = datetime(2027, 3, 31, 13, tzinfo=UTC), datetime(2027, 4, 15, 13, tzinfo=UTC)

    def scheduled(closes: datetime, usage: date) -> GrantRoundScheduled:
        return GrantRoundScheduled(
            round_id=round_id, programme_id=programme_id, year=2027, opens_at=opens, closes_at=closes,
            appropriation_cents=100_000, decision_deadline=date(2027, 6, 15), usage_report_deadline=usage,
        )  # fmt: skip

    return [
        wrap(scheduled(first_close, date(2028, 3, 31)), t0),
        wrap(scheduled(moved_close, date(2028, 4, 30)), t0 + timedelta(seconds=1)),
        wrap(
            GrantRoundOpened(
                round_id=round_id,
                programme_id=programme_id,
                year=2027,
                opens_at=opens,
                closes_at=moved_close,
                appropriation_cents=100_000,
                eligible_kinds=[],
                fields_of_activity=[],
            ),
            t0 + timedelta(seconds=2),
        ),
        wrap(
            GrantRoundClosed(
                round_id=round_id, programme_id=programme_id, closed_at=moved_close, applications_submitted=3
            ),
            t0 + timedelta(seconds=3),
        ),
    ]


def of_round(items: list[dict[str, Any]], round_id: uuid.UUID) -> list[dict[str, Any]]:
    return sorted((i for i in items if i["source_id"] == str(round_id)), key=lambda i: i["kind"])


def settled(round_id: uuid.UUID) -> Any:
    def check(items: list[dict[str, Any]]) -> bool:
        found = of_round(items, round_id)
        return len(found) == 3 and found[0]["state"] == "closed" and found[2]["starts_on"] == "2028-04-30"

    return check


async def test_round_events_shuffled_and_redelivered_end_in_one_entry_each(
    worker: Exchange, api: Api, client: httpx.AsyncClient
) -> None:
    programme_id = uuid.uuid4()
    t0 = datetime.now(UTC)
    await publish(
        worker,
        wrap(GrantProgrammeCreated(programme_id=programme_id, name="Kulttuuriavustus", kind="operating",
                                   intake="yearly_round", department_code="culture", eligible_kinds=[]), t0),
    )  # fmt: skip
    for seed in range(3):
        round_id = uuid.uuid4()
        events = round_events(round_id, programme_id, t0)
        deliveries = events + random.Random(seed).sample(events, k=3)  # some delivered twice
        random.Random(seed).shuffle(deliveries)
        for envelope in deliveries:
            await publish(worker, envelope)
        items = await eventually(client, settled(round_id))
        [period, decisions, usage] = of_round(items, round_id)
        assert (period["kind"], period["starts_on"], period["ends_on"]) == ("grant_round", "2027-03-01", "2027-04-15")
        assert period["title_fi"] == "Avustushaku: Kulttuuriavustus"
        assert (decisions["kind"], decisions["starts_on"]) == ("round_decision_deadline", "2027-06-15")
        assert (usage["kind"], usage["state"]) == ("round_usage_deadline", "scheduled")
    rows = await api.scalar("SELECT count(*) FROM schedule_entry WHERE programme_id = :p", p=programme_id)
    assert rows == 9


async def test_a_grantees_deadlines_reach_only_it_and_staff(
    worker: Exchange, api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    grantee, report, discussion = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    t0 = datetime.now(UTC)
    common = {"report_id": report, "application_id": uuid.uuid4(), "applicant_id": grantee}
    # submitted overtakes due: the entry keeps the state 'done' once its date arrives
    await publish(worker, wrap(UsageReportSubmitted(**common, spent_cents=1000), t0 + timedelta(seconds=1)))
    await publish(worker, wrap(UsageReportDue(**common, due_date=date(2028, 3, 31)), t0))
    await publish(
        worker,
        wrap(PartnershipDiscussionDue(agreement_id=uuid.uuid4(), discussion_id=discussion, applicant_id=grantee,
                                      due_on=date(2027, 11, 15)), t0),
    )  # fmt: skip
    rep = tokens.association(grantee)
    mine = await eventually(
        client, lambda items: len([i for i in items if i["association_id"] == str(grantee)]) == 2, rep
    )
    report_entry = next(i for i in mine if i["kind"] == "usage_report")
    assert (report_entry["starts_on"], report_entry["state"]) == ("2028-03-31", "done")
    assert not [i for i in await schedule_of(client) if i["association_id"]]
    assert not [i for i in await schedule_of(client, tokens.association(uuid.uuid4())) if i["association_id"]]
    staff_view = await schedule_of(client, tokens.staff("culture"), year=2028)
    assert str(report) in [i["source_id"] for i in staff_view]
