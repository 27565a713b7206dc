"""Staff blocks and availability on a unit of work without a database: a block holds the time like a booking,
and availability shows taken time to everyone but whose it is only to the department and the booker."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from bookings.domain.booking import BookingKind, BookingState
from bookings.service_layer import requests
from bookings.service_layer.availability import Period, availability
from shared.auth import ANONYMOUS, Principal
from shared.contracts.bookings import BookingConfirmed
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound

from .setting import TUESDAY, at, representative, setting, staff

pytestmark = pytest.mark.unit


async def test_a_staff_block_is_confirmed_at_once_and_holds_the_time() -> None:
    s = await setting(buffer_minutes=15)
    made = await requests.block_time(
        s.uow, actor=staff(), facility_id=s.facility.id, starts_at=at(TUESDAY, 8), ends_at=at(TUESDAY, 12),
        reason="Lattian vahaus",
    )  # fmt: skip
    assert made.booking.kind is BookingKind.BLOCK and made.booking.state is BookingState.CONFIRMED
    assert made.booking.applicant_id is None and made.price_cents == 0
    assert made.occurrences[0].blocked_until == at(TUESDAY, 12, 15)
    [event] = s.uow.emitted(BookingConfirmed)
    assert event.kind == "block" and event.applicant_id is None
    with pytest.raises(Conflict):  # 12:00 is inside the block's buffer
        await s.request(s.slot(TUESDAY, (12, 13)))


async def test_only_the_managing_department_blocks_and_a_block_ends_after_it_starts() -> None:
    s = await setting()
    for actor in (staff("sports"), representative(s.applicant_id)):
        with pytest.raises(Forbidden):
            await requests.block_time(
                s.uow, actor=actor, facility_id=s.facility.id, starts_at=at(TUESDAY, 8), ends_at=at(TUESDAY, 9),
                reason="Huolto",
            )  # fmt: skip
    with pytest.raises(InvalidInput) as backwards:
        await requests.block_time(
            s.uow, actor=staff(), facility_id=s.facility.id, starts_at=at(TUESDAY, 9), ends_at=at(TUESDAY, 9),
            reason="Huolto",
        )  # fmt: skip
    assert backwards.value.field == "ends_at" and s.state() == (0, 0, 0)


async def test_availability_shows_free_and_taken_time_and_whose_only_to_those_who_may_know() -> None:
    s = await setting()
    mine = await s.request()
    other = await s.association()
    await s.request(s.slot(TUESDAY, (10, 12), applicant_id=other))

    async def day(actor: Principal) -> list[tuple[object, ...]]:
        [found] = await availability(s.uow, actor=actor, facility_id=s.facility.id, start=TUESDAY, period=Period.DAY)
        assert found.free == [(at(TUESDAY, 8), at(TUESDAY, 10)), (at(TUESDAY, 12), at(TUESDAY, 18)),
                              (at(TUESDAY, 20), at(TUESDAY, 22))]  # fmt: skip
        return [(t.starts_at, t.own, t.booking_id, t.applicant_id) for t in found.taken]

    assert await day(ANONYMOUS) == [(at(TUESDAY, 10), False, None, None), (at(TUESDAY, 18), False, None, None)]
    assert await day(s.me) == [
        (at(TUESDAY, 10), False, None, None),
        (at(TUESDAY, 18), True, mine.booking.id, s.applicant_id),
    ]
    assert [t[3] for t in await day(staff())] == [other, s.applicant_id]


async def test_a_week_of_availability_names_closed_days_and_an_unknown_facility_is_missing() -> None:
    s = await setting()
    await s.change_facility(weekly_hours={k: v for k, v in s.facility.weekly_hours.items() if k != "sun"})
    week = await availability(s.uow, actor=ANONYMOUS, facility_id=s.facility.id, start=TUESDAY, period=Period.WEEK)
    assert [d.day for d in week] == [TUESDAY - timedelta(days=1) + timedelta(days=n) for n in range(7)]
    assert week[-1].closed_because == "closed on this weekday" and week[-1].free == []
    with pytest.raises(NotFound):
        await availability(s.uow, actor=ANONYMOUS, facility_id=uuid.uuid4(), start=TUESDAY, period=Period.DAY)
