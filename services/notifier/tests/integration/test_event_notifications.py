"""Notifications on events end to end inside the notifier: a real bookings event on the real broker reaches
the worker's subscribers (faststream, the consumer of ``shared.messaging``), which make the deliveries in the
notifier's real PostgreSQL; the deliver job sends them through real SMTP into the catcher.

The directory is stood in for by an ``httpx.MockTransport`` answering ``GET /recipients`` as the directory does
(the representatives of an association who chose a topic, with their association's languages); the real
directory↔client contract is proven in ``tests/e2e/test_recipients_contract.py``. It can be made to refuse
connections, as a directory that is down does.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest
import pytest_asyncio
from faststream.rabbit import RabbitBroker
from sqlalchemy import text

from notifier.adapters.directory import DirectoryClient
from notifier.bootstrap import Notifier, bootstrap, subscriptions
from notifier.config import Settings
from notifier.service_layer.sending import deliver_due
from shared.contracts.bookings import BookedSlot, BookingConfirmed
from shared.contracts.envelope import Envelope, EventData
from shared.messaging.consumer import build_broker, declare_container_subscriptions, subscribe
from shared.testing.mail import MailCatcher

pytestmark = pytest.mark.integration
Exchange = aio_pika.abc.AbstractExchange


@dataclass
class Directory:
    """``GET /recipients`` of the directory: representatives by association and the topics they chose."""

    people: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False
    calls: int = 0

    def add(self, association: uuid.UUID, topics: list[str], languages: list[str] | None = None) -> str:
        email = f"rep-{uuid.uuid4().hex[:10]}@example.fi"
        self.people.append({
            "representative_id": str(uuid.uuid4()), "association_id": str(association), "email": email,
            "languages": languages or ["fi"], "topics": topics,
        })  # fmt: skip
        return email

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.down:
            raise httpx.ConnectError("directory down", request=request)
        assert request.url.path == "/recipients" and request.headers["authorization"].startswith("Bearer ")
        q = request.url.params
        found = [
            {k: v for k, v in p.items() if k != "topics"} for p in self.people
            if p["association_id"] in q.get_list("association_id") and q["topic"] in p["topics"]
        ]  # fmt: skip
        offset, limit = int(q["offset"]), int(q["limit"])
        page = found[offset : offset + limit]
        return httpx.Response(200, json={"items": page, "total": len(found), "limit": limit, "offset": offset})


@dataclass
class Worker:
    notifier: Notifier
    directory: Directory
    exchange: Exchange


@pytest_asyncio.fixture
async def worker(settings: Settings) -> AsyncIterator[Worker]:
    """The notifier's worker consumers on their own container (this run's names), the directory stood in for."""
    directory = Directory()
    quick = settings.model_copy(update={"handler_retry_delays_seconds": [0.3, 0.6, 1, 2, 4, 8]})
    notifier = bootstrap(quick, directory=DirectoryClient(quick, transport=httpx.MockTransport(directory.answer)))
    subs = subscriptions(notifier)
    await declare_container_subscriptions(notifier, subs)
    broker: RabbitBroker = build_broker(notifier.settings)
    for sub in subs:
        subscribe(broker, notifier, sub)
    await broker.start()
    connection = await aio_pika.connect(notifier.settings.amqp_url)
    channel = await connection.channel()
    yield Worker(notifier, directory, await channel.get_exchange(notifier.topology.events_exchange))
    await connection.close()
    await broker.stop()
    await notifier.close()


async def publish(exchange: Exchange, data: EventData | Envelope[Any]) -> Envelope[Any]:
    """One persistent message as the relay sends it; an envelope passed again is a redelivery (same event_id)."""
    envelope = data if isinstance(data, Envelope) else Envelope.wrap(data)
    message = aio_pika.Message(
        envelope.model_dump_json().encode(), message_id=str(envelope.event_id),
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )  # fmt: skip
    await exchange.publish(message, envelope.data.routing_key())
    return envelope


async def eventually(read: Callable[[], Awaitable[Any]], expected: Any, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if await read() == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await read()!r} != {expected!r}")


def deliveries(w: Worker, envelope: Envelope[Any]) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        async with w.notifier.engine.connect() as conn:
            found = await conn.execute(
                text("SELECT count(*) FROM delivery WHERE source = :s"), {"s": f"{envelope.type}:{envelope.event_id}"}
            )
            return int(found.scalar_one())

    return count


async def deliver(w: Worker) -> int:
    n = w.notifier
    return await deliver_due(n.uow(), n.clock(), settings=n.settings, mailer=n.mailer, uows=n.uow)


def series(association: uuid.UUID, weeks: int = 8) -> BookingConfirmed:
    start = datetime(2027, 1, 12, 15, tzinfo=UTC)
    return BookingConfirmed(
        booking_id=uuid.uuid4(), facility_id=uuid.uuid4(), department_code="culture", applicant_id=association,
        kind="series", price_cents=12_000, free_use_reason=None,
        occurrences=[
            BookedSlot(occurrence_id=uuid.uuid4(), starts_at=start + timedelta(weeks=w),
                       ends_at=start + timedelta(weeks=w, hours=1, minutes=30))
            for w in range(weeks)
        ],
    )  # fmt: skip


def about(catcher: MailCatcher, address: str, booking: uuid.UUID) -> list[Any]:
    return [m for m in catcher.to(address) if str(booking) in m.get_body(("plain",)).get_content()]  # type: ignore[union-attr]


async def test_a_booking_series_confirmed_is_one_mail_to_each_representative_who_chose_bookings(
    worker: Worker, catcher: MailCatcher
) -> None:
    club = uuid.uuid4()
    chair = worker.directory.add(club, ["bookings", "grants"], ["sv", "fi"])
    treasurer = worker.directory.add(club, ["bookings"])
    grants_only = worker.directory.add(club, ["grants"])
    event = series(club)

    envelope = await publish(worker.exchange, event)
    await eventually(deliveries(worker, envelope), 2)
    await deliver(worker)

    (to_chair,) = catcher.wait_for(1, to=chair)
    (to_treasurer,) = catcher.wait_for(1, to=treasurer)
    assert catcher.to(grants_only) == []
    assert to_chair["Subject"] == "Bokningen bekräftad" and to_chair["Content-Language"] == "sv"
    assert to_treasurer["Subject"] == "Varaus vahvistettu" and to_treasurer["Content-Language"] == "fi"
    body = to_treasurer.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert body.count("17:00–18:30") == 8  # the whole series in one mail, in Finnish time
    assert f"/bookings/{event.booking_id}" in body
    html = to_treasurer.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f'/bookings/{event.booking_id}"' in html
    assert to_chair["Message-ID"] != to_treasurer["Message-ID"]


async def test_the_same_event_redelivered_gives_no_second_mail(worker: Worker, catcher: MailCatcher) -> None:
    club = uuid.uuid4()
    rep = worker.directory.add(club, ["bookings"])
    first = await publish(worker.exchange, series(club, weeks=1))
    await eventually(deliveries(worker, first), 1)
    await deliver(worker)
    catcher.wait_for(1, to=rep)

    await publish(worker.exchange, first)  # the same event_id again, as a redelivery is
    later = await publish(worker.exchange, series(club, weeks=1))  # behind it in the same queue
    await eventually(deliveries(worker, later), 1)
    await deliver(worker)
    catcher.wait_for(2, to=rep)
    await asyncio.sleep(0.3)
    assert await deliveries(worker, first)() == 1
    assert len(about(catcher, rep, first.data.booking_id)) == 1
    assert len(about(catcher, rep, later.data.booking_id)) == 1


async def test_a_directory_down_then_up_delivers_later(worker: Worker, catcher: MailCatcher) -> None:
    club = uuid.uuid4()
    rep = worker.directory.add(club, ["bookings"])
    worker.directory.down = True
    envelope = await publish(worker.exchange, series(club, weeks=2))

    async def asked_again() -> bool:
        return worker.directory.calls >= 2

    await eventually(asked_again, True)  # tried, failed, and retried by the consumer
    assert await deliveries(worker, envelope)() == 0
    assert catcher.to(rep) == []

    worker.directory.down = False
    await eventually(deliveries(worker, envelope), 1)
    await deliver(worker)
    (mail,) = catcher.wait_for(1, to=rep)
    assert str(envelope.data.booking_id) in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
