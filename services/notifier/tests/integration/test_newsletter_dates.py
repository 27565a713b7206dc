"""The annual clock's planned newsletter dates in the notifier, on the real broker and PostgreSQL (ADR 0014):
the calendar's ``NewsletterDatePlanned`` / ``NewsletterDateWithdrawn`` shuffled and redelivered end in one copy
(the newest date, a withdrawal that came first kept); staff list a year's dates and schedule an issue on one,
sent at 09:00 Helsinki time that day and naming its clock entry for the calendar; who may, and bad input named."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from shared.contracts.calendar import NewsletterDatePlanned, NewsletterDateWithdrawn
from shared.contracts.envelope import Envelope

from ..conftest import Api
from .events import Worker, publish
from .test_issues_http import field_of

pytestmark = pytest.mark.integration


def planned(entry: uuid.UUID, clock: uuid.UUID, day: date, revision: int) -> Envelope[Any]:
    return Envelope.wrap(NewsletterDatePlanned(entry_id=entry, clock_entry_id=clock, year=day.year, planned_on=day,
                                               title_fi="Yhdistysuutiset, kevät", revision=revision))  # fmt: skip


def withdrawn(entry: uuid.UUID, clock: uuid.UUID, year: int, revision: int) -> Envelope[Any]:
    return Envelope.wrap(NewsletterDateWithdrawn(entry_id=entry, clock_entry_id=clock, year=year, revision=revision))


async def dates(client: httpx.AsyncClient, headers: dict[str, str], year: int) -> list[dict[str, Any]]:
    answer = await client.get("/newsletter-dates", params={"year": year}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]  # type: ignore[no-any-return]


async def test_the_calendars_dates_shuffled_and_redelivered_end_in_one_copy_and_an_issue_is_scheduled_on_one(
    worker: Worker, api: Api, client: httpx.AsyncClient
) -> None:
    year = 2037  # its summer time begins on Sunday 29 March
    spring, autumn, winter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    clocks = {e: uuid.uuid4() for e in (spring, autumn, winter)}
    events = [
        planned(spring, clocks[spring], date(year, 2, 23), 1),
        planned(spring, clocks[spring], date(year, 3, 27), 2),  # moved onto the eve of summer time
        planned(autumn, clocks[autumn], date(year, 9, 20), 1),
        withdrawn(autumn, clocks[autumn], year, 3),
        planned(winter, clocks[winter], date(year, 12, 1), 2),
        withdrawn(winter, clocks[winter], year, 4),
    ]
    deliveries = [*events, *random.Random(11).sample(events, k=3)]  # some twice
    random.Random(11).shuffle(deliveries)
    deliveries.sort(key=lambda e: e is not events[5])  # the winter withdrawal overtakes its date
    for envelope in deliveries:
        await publish(worker.exchange, envelope)

    async def copy() -> list[tuple[Any, ...]]:
        sql = "SELECT id, planned_on, withdrawn FROM newsletter_date WHERE year = :y ORDER BY planned_on"
        async with api.engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(sql), {"y": year})]

    expected = [
        (spring, date(year, 3, 27), False),
        (autumn, date(year, 9, 20), True),
        (winter, date(year, 12, 1), True),
    ]
    for _ in range(300):
        if await copy() == expected:
            break
        await asyncio.sleep(0.05)
    assert await copy() == expected
    staff = api.tokens.staff("culture")
    [shown] = await dates(client, staff, year)
    assert shown["id"] == str(spring) and shown["clock_entry_id"] == str(clocks[spring])
    assert shown["planned_on"] == f"{year}-03-27" and shown["title_fi"] == "Yhdistysuutiset, kevät"
    assert datetime.fromisoformat(shown["send_at"]) == datetime(year, 3, 27, 7, tzinfo=UTC)  # 09:00, UTC+2

    issue = await api.issue()
    url = f"/issues/{issue['id']}/schedule"
    scheduled = await client.post(url, json={"newsletter_date_id": shown["id"]}, headers=staff)
    assert scheduled.status_code == 200, scheduled.text
    body = scheduled.json()
    assert body["state"] == "scheduled" and body["clock_entry_id"] == str(clocks[spring])
    assert datetime.fromisoformat(body["send_at"]) == datetime(year, 3, 27, 7, tzinfo=UTC)
    [announced] = await api.outbox("NewsletterScheduled", issue_id=issue["id"])
    assert announced["data"]["clock_entry_id"] == str(clocks[spring])

    refusals = [
        ({"newsletter_date_id": str(autumn)}, "newsletter_date_id"),  # withdrawn
        ({"newsletter_date_id": str(uuid.uuid4())}, "newsletter_date_id"),  # unknown
        ({"newsletter_date_id": "not-an-id"}, "newsletter_date_id"),
        ({"newsletter_date_id": shown["id"], "send_at": f"{year}-05-01T09:00"}, "send_at"),  # both
        ({}, "send_at"),  # neither
    ]
    for given, field in refusals:
        refused = await client.post(url, json=given, headers=staff)
        assert refused.status_code == 422 and field_of(refused) == [field], (given, refused.text)
    assert len(await api.outbox("NewsletterScheduled", issue_id=issue["id"])) == 1  # nothing half-written


async def test_only_staff_list_the_dates_and_a_bad_year_is_named(api: Api, client: httpx.AsyncClient) -> None:
    assert (await client.get("/newsletter-dates", params={"year": 2030})).status_code == 401
    rep = api.tokens.association(uuid.uuid4())
    assert (await client.get("/newsletter-dates", params={"year": 2030}, headers=rep)).status_code == 403
    staff = api.tokens.staff("sports")
    for bad in ("soon", "1999", None):
        params = {} if bad is None else {"year": bad}
        answer = await client.get("/newsletter-dates", params=params, headers=staff)
        assert answer.status_code == 422 and field_of(answer) == ["query.year"], answer.text
    assert await dates(client, api.tokens.admin(), 2030) == []
