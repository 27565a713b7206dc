"""Pure rules: recurrence across both clock changes, opening hours and holidays, slot shape, pricing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bookings.domain import recurrence
from bookings.domain.opening import Hours, OpeningHours, public_holiday
from bookings.domain.pricing import FreeUseReason, Pricing, quote
from bookings.domain.rules import BookingRules
from shared.errors import InvalidInput
from shared.localtime import as_local

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("first", "last"), [(date(2027, 10, 19), date(2027, 11, 9)), (date(2028, 3, 14), date(2028, 4, 4))]
)
def test_a_weekly_1800_stays_1800_local_across_the_clock_change(first: date, last: date) -> None:
    slots = recurrence.weekly(first, last, time(18), time(20))
    assert len(slots) == 4
    assert {as_local(s.starts_at).strftime("%H:%M") for s in slots if s.starts_at} == {"18:00"}
    assert len({s.starts_at.astimezone(UTC).hour for s in slots if s.starts_at}) == 2


def test_a_skipped_hour_is_reported_not_guessed() -> None:
    slots = recurrence.weekly(date(2028, 3, 19), date(2028, 3, 26), time(3, 30), time(4, 30))
    assert slots[1].starts_at is None and slots[1].problem and "does not exist" in slots[1].problem


def test_holidays_close_unless_an_exception_opens() -> None:
    assert public_holiday(date(2027, 12, 6)) == "Independence Day"
    hours = OpeningHours({"mon": Hours(time(8), time(22))})
    assert "Independence Day" in (hours.plan(date(2027, 12, 6)).closed_because or "")
    assert hours.plan(date(2027, 12, 13)).hours == Hours(time(8), time(22))
    assert hours.plan(date(2027, 12, 14)).closed_because == "closed on this weekday"


def test_slot_shape() -> None:
    rules = BookingRules(min_minutes=60, max_minutes=120, start_interval_minutes=30)
    start = datetime(2027, 9, 7, 15, 0, tzinfo=UTC)
    rules.check_slot(start, start.replace(hour=17))
    with pytest.raises(InvalidInput) as too_long:
        rules.check_slot(start, start.replace(hour=18))
    assert too_long.value.field == "ends_at"
    with pytest.raises(InvalidInput) as off_mark:
        rules.check_slot(start.replace(minute=10), start.replace(hour=16, minute=10))
    assert off_mark.value.field == "starts_at"


def test_price_by_kind_and_free_use_order() -> None:
    pricing = Pricing(
        hourly_cents=3000,
        hourly_cents_by_kind={"registered_association": 1500},
        free_for_kinds=frozenset({"unregistered_group"}),
    )
    s, e = datetime(2027, 9, 7, 15, tzinfo=UTC), datetime(2027, 9, 7, 16, 30, tzinfo=UTC)
    paid = quote(
        pricing, booker_kind="registered_association", starts_at=s, ends_at=e, granted=False, partnership=False
    )
    assert (paid.price_cents, paid.free_use_reason) == (2250, None)
    group = quote(pricing, booker_kind="unregistered_group", starts_at=s, ends_at=e, granted=True, partnership=True)
    assert group.free_use_reason is FreeUseReason.APPLICANT_KIND and group.price_cents == 0
    partner = quote(pricing, booker_kind="private_person", starts_at=s, ends_at=e, granted=False, partnership=True)
    assert partner.free_use_reason is FreeUseReason.PARTNERSHIP
