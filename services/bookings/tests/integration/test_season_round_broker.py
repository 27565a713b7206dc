"""A whole seasonal round through the API on real PostgreSQL and RabbitMQ, up to a consumer on the broker.

The associations arrive from the directory over the broker (the worker's own consumers), the round opens and
closes on time (the worker's jobs), they apply, staff compute the proposal and adjust it by hand, and publish
it. The outbox relay then carries the events to a consumer bound to the run's events exchange (the kit's
idempotent consumer, its inbox deduplicating by event id): each applicant's ``SeasonAllocationPublished``
arrives exactly once with all its slots, and each series' ``BookingConfirmed``. Publishing again emits nothing,
and a relay that sends the same messages again (a crash before it marked them sent) has no second effect.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from bookings.bootstrap import jobs, subscriptions
from shared.contracts.bookings import BookingConfirmed, SeasonAllocationPublished
from shared.contracts.directory import ApplicantKind, AssociationRegistered
from shared.contracts.envelope import EventData
from shared.messaging.consumer import EventMeta, Subscription
from shared.messaging.relay import OutboxRelay
from shared.runtime import relay_config
from shared.scheduling import run_jobs_once
from shared.testing.broker import publish_event, running_consumers
from shared.testing.clock import MovableClock

from ..conftest import Api
from .test_messaging import applicant, eventually, scalar, state
from .test_season_allocation import MONDAY_EVENING, place
from .test_season_proposal import apply
from .test_season_rounds import probe, round_body, wish

pytestmark = pytest.mark.integration


class Received:
    """What the consumer's handler was given, by event type: (event id, data)."""

    def __init__(self) -> None:
        self.events: dict[str, list[tuple[uuid.UUID, Any]]] = defaultdict(list)

    async def handle(self, _uow: Any, event: EventData, meta: EventMeta) -> None:
        self.events[meta.type].append((meta.event_id, event))

    def allocations(self, round_id: str) -> list[SeasonAllocationPublished]:
        return [e for _, e in self.events["SeasonAllocationPublished"] if str(e.round_id) == round_id]

    def confirmations(self, booking_ids: set[str]) -> list[BookingConfirmed]:
        return [e for _, e in self.events["BookingConfirmed"] if str(e.booking_id) in booking_ids]


@asynccontextmanager
async def _relay(api: Api) -> AsyncIterator[None]:
    """The outbox relay running while the block runs."""
    relay, stop = OutboxRelay(relay_config(api.bookings)), asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        yield
    finally:
        stop.set()
        await task


async def _registered(exchange: Any, api: Api, name: str) -> uuid.UUID:
    club = uuid.uuid4()
    kind = ApplicantKind.REGISTERED_ASSOCIATION
    await publish_event(exchange, AssociationRegistered(**state(club, 1, name=name, kind=kind)))
    await eventually(applicant(api, club), ("registered_association", name, True, 1))
    return club


async def test_a_published_round_reaches_a_consumer_on_the_broker_once_per_applicant(
    api: Api, clock: MovableClock
) -> None:
    received = Received()
    consumer: list[Subscription[Any]] = [
        Subscription(SeasonAllocationPublished, received.handle),
        Subscription(BookingConfirmed, received.handle),
    ]
    async with running_consumers(api.bookings, [*subscriptions(api.bookings), *consumer]) as exchange:
        juniors = await _registered(exchange, api, "Porin Junnut ry")
        adults = await _registered(exchange, api, "Porin Aikuiset ry")
        facility = await api.facility()
        department = facility["department_code"]
        staff = api.tokens.staff(department)
        made = await api.client.post("/season-rounds", json=round_body(department, [facility["id"]]), headers=staff)
        assert made.status_code == 201, made.text
        round_id, work = made.json()["id"], jobs(api.bookings)
        url = f"/season-rounds/{round_id}"

        clock.now = clock.now + timedelta(hours=20)  # 2027-08-03 08:00 Helsinki: it opens by itself
        await run_jobs_once(api.bookings, work, clock.now)
        assert (await api.client.get(url)).json()["state"] == "open"
        await apply(api, round_id, juniors, [wish(facility["id"])])  # Mon and Wed 90 min within 17–21
        await apply(api, round_id, adults, [wish(facility["id"], **MONDAY_EVENING, age_group="adults")])
        clock.now = clock.now + timedelta(days=18)  # past 2027-08-20 16:00: it closes by itself
        await run_jobs_once(api.bookings, work, clock.now)
        assert (await api.client.get(url)).json()["state"] == "closed"

        proposed = await api.client.post(f"{url}/proposal", headers=staff)
        assert proposed.status_code == 200, proposed.text
        [unmet] = proposed.json()["unmet"]  # the adults' Monday went to the children
        assert unmet["applicant_id"] == str(adults)
        body = {"wish_id": unmet["wish_id"], **place(facility, "mon", "20:00", "22:00")}
        assigned = await api.client.post(f"{url}/allocation/assign", json=body, headers=staff)
        assert assigned.status_code == 200, assigned.text
        published = await api.client.post(f"{url}/publish", headers=staff)
        assert published.status_code == 200, published.text
        slots = published.json()["slots"]
        bookings = {s["booking_id"] for s in slots}
        assert len(slots) == 3 and len(bookings) == 3

        async with _relay(api):
            await eventually(lambda: _counted(received, round_id, bookings), (2, 3), timeout=20)
        told = {str(e.applicant_id): e for e in received.allocations(round_id)}
        assert set(told) == {str(juniors), str(adults)}
        for club, event in told.items():
            mine = {(s["id"], s["booking_id"], s["weekday"], s["starts"], s["ends"]) for s in slots
                    if s["applicant_id"] == club}  # fmt: skip
            got = {(str(s.slot_id), str(s.booking_id), s.weekday, s.starts, s.ends) for s in event.slots}
            assert got == mine and event.department_code == department
        assert len(told[str(juniors)].slots) == 2
        assert {str(e.booking_id) for e in received.confirmations(bookings)} == bookings

        again = await api.client.post(f"{url}/publish", headers=staff)  # publishing again emits nothing
        assert again.status_code == 200 and again.json() == published.json()
        events = probe(api)
        assert len(await events.outbox("SeasonAllocationPublished", round_id=round_id)) == 2
        resent = await _resend(api, round_id, bookings)  # the relay crashed before marking them sent
        assert resent == 5
        async with _relay(api):
            await eventually(lambda: _unsent(api, round_id, bookings), 0, timeout=20)
            await asyncio.sleep(1.0)  # time for the consumer to take them
        assert await _counted(received, round_id, bookings) == (2, 3)
        for event_id, _ in received.events["SeasonAllocationPublished"]:
            assert await scalar(api, "SELECT count(*) FROM inbox_message WHERE event_id = :e", e=event_id) == 1


async def _counted(received: Received, round_id: str, bookings: set[str]) -> tuple[int, int]:
    return len(received.allocations(round_id)), len(received.confirmations(bookings))


def _of_round(round_id: str, bookings: set[str]) -> tuple[str, dict[str, Any]]:
    where = (
        "(envelope->>'type' = 'SeasonAllocationPublished' AND envelope->'data'->>'round_id' = :r"
        " OR envelope->>'type' = 'BookingConfirmed' AND envelope->'data'->>'booking_id' = ANY(:b))"
    )
    return where, {"r": round_id, "b": list(bookings)}


async def _resend(api: Api, round_id: str, bookings: set[str]) -> int:
    """Mark the round's events unsent again, as a relay that crashed after publishing leaves them."""
    where, params = _of_round(round_id, bookings)
    sql = f"UPDATE outbox_message SET published_at = NULL WHERE published_at IS NOT NULL AND {where}"
    async with api.bookings.engine.begin() as conn:
        return int((await conn.execute(text(sql), params)).rowcount)


async def _unsent(api: Api, round_id: str, bookings: set[str]) -> int:
    where, params = _of_round(round_id, bookings)
    return int(await scalar(api, f"SELECT count(*) FROM outbox_message WHERE published_at IS NULL AND {where}",
                            **params))  # fmt: skip
