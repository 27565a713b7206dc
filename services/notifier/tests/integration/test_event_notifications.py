"""Notifications on events end to end inside the notifier: a real bookings event on the real broker reaches
the worker's subscribers (faststream, the consumer of ``shared.messaging``), which make the deliveries in the
notifier's real PostgreSQL; the deliver job sends them through real SMTP into the catcher.

The directory is stood in for by an ``httpx.MockTransport`` answering ``GET /recipients`` as the directory does
(``events.Directory``: the representatives of an association who chose a topic, with their association's
languages); the real directory↔client contract is proven in ``tests/e2e/test_recipients_contract.py``. It can be
made to refuse connections, as a directory that is down does.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.contracts.bookings import BookedSlot, BookingConfirmed
from shared.testing.mail import MailCatcher

from .events import Worker, deliver, deliveries, eventually, publish

pytestmark = pytest.mark.integration


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
