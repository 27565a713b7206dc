"""Requesting bookings on a unit of work without a database: price and free use, a series whose conflicting
occurrences are reported one by one, the one event a request emits, and who may book for whom.

What ``tests/integration/test_bookings_api.py`` and ``test_series.py`` show over HTTP, here in milliseconds; a
refused request commits nothing and leaves no row behind.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from bookings.domain.booking import BookingKind, BookingState
from bookings.domain.facility import FreeUseGrant, PartnershipCopy
from bookings.domain.opening import OpeningException
from bookings.domain.pricing import FreeUseReason, Pricing
from bookings.service_layer import requests
from shared.contracts.bookings import BookingConfirmed, BookingRequested
from shared.contracts.directory import ApplicantKind
from shared.errors import Conflict, Forbidden, InvalidInput

from .setting import DEPARTMENT, TUESDAY, at, representative, setting, staff, weeks

pytestmark = pytest.mark.unit


# -- one slot -------------------------------------------------------------------------------------------------
async def test_a_single_booking_is_priced_by_the_hour_and_waits_for_the_department() -> None:
    s = await setting()
    made = await s.request()
    assert made.booking.state is BookingState.REQUESTED and made.booking.kind is BookingKind.SINGLE
    assert made.booking.department_code == DEPARTMENT and made.booking.decided_at is None
    assert made.price_cents == 4000 and made.booking.free_use_reason is None  # 2 h at 20 €/h
    [occurrence] = made.occurrences
    assert occurrence.starts_at == at(TUESDAY, 18) and occurrence.blocked_until == at(TUESDAY, 20)
    stored = await s.uow.bookings.get(made.booking.id)
    assert stored is not None and stored.requested_by == "rep" and stored.terms_accepted_at == s.clock()
    [event] = s.uow.emitted(BookingRequested)
    assert event.booking_id == made.booking.id and event.price_cents == 4000 and event.kind == "single"
    assert [o.occurrence_id for o in event.occurrences] == [occurrence.id]
    assert s.uow.emitted(BookingConfirmed) == [] and s.uow.commits == 1


async def test_where_no_approval_is_needed_the_booking_is_confirmed_at_once() -> None:
    s = await setting(needs_approval=False)
    made = await s.request()
    assert made.booking.state is BookingState.CONFIRMED and made.booking.decided_at == s.clock()
    [event] = s.uow.emitted(BookingConfirmed)
    assert event.booking_id == made.booking.id and s.uow.emitted(BookingRequested) == []


async def test_the_booker_kinds_price_applies_and_half_a_cent_rounds_up() -> None:
    s = await setting()
    await s.change_facility(pricing=Pricing(2000, {"registered_association": 1250}))
    made = await s.request(s.slot(hours=(18, 20)))
    assert made.booking.hourly_cents == 1250 and made.price_cents == 2500
    odd = await s.request(s.slot(TUESDAY + timedelta(days=1), (18, 19)))
    assert odd.price_cents == 1250


@pytest.mark.parametrize("reason", list(FreeUseReason))
async def test_free_use_costs_nothing_and_records_why(reason: FreeUseReason) -> None:
    s = await setting()
    if reason is FreeUseReason.APPLICANT_KIND:
        await s.change_facility(pricing=Pricing(2000, {}, frozenset({"registered_association"})))
    elif reason is FreeUseReason.DEPARTMENT_GRANT:
        await s.uow.free_use.add(
            FreeUseGrant(uuid.uuid4(), DEPARTMENT, s.applicant_id, None, date(2027, 1, 1), date(2027, 12, 31), "Nuoret")
        )
    else:
        await s.uow.partnerships.put(
            PartnershipCopy(uuid.uuid4(), s.applicant_id, DEPARTMENT, date(2027, 1, 1), date(2028, 12, 31), True, [])
        )
    made = await s.request()
    assert made.price_cents == 0 and made.booking.free_use_reason is reason
    [event] = s.uow.emitted(BookingRequested)
    assert event.price_cents == 0 and event.free_use_reason == reason.value


async def test_free_use_of_another_department_or_an_ended_partnership_does_not_apply() -> None:
    s = await setting()
    await s.uow.free_use.add(
        FreeUseGrant(uuid.uuid4(), "sports", s.applicant_id, None, date(2027, 1, 1), date(2027, 12, 31), "Liikunta")
    )
    agreement = uuid.uuid4()
    await s.uow.partnerships.put(
        PartnershipCopy(agreement, s.applicant_id, DEPARTMENT, date(2027, 1, 1), date(2028, 12, 31), True, [])
    )
    await s.uow.partnerships.end(agreement, s.applicant_id, date(2027, 8, 31))  # ended a week before
    made = await s.request()
    assert made.price_cents == 4000 and made.booking.free_use_reason is None


async def test_a_taken_slot_is_refused_with_409_and_nothing_is_written() -> None:
    s = await setting(buffer_minutes=30)
    await s.request()
    other = await s.association()
    before, events = s.state(), list(s.uow.events)
    with pytest.raises(Conflict) as refused:  # 20:00 is inside the first booking's 30-minute buffer
        await s.request(s.slot(hours=(20, 21), applicant_id=other))
    assert refused.value.status == 409 and refused.value.field == "starts_at"
    assert s.state() == before and s.uow.events == events
    after_buffer = replace(s.slot(hours=(20, 22), applicant_id=other), starts_at=at(TUESDAY, 20, 30))
    assert (await s.request(after_buffer)).occurrences[0].starts_at == at(TUESDAY, 20, 30)


async def test_the_slot_must_fit_the_rules_and_the_opening_hours() -> None:
    s = await setting()
    cases = {
        "ends_at": s.slot(hours=(18, 18)),  # ends when it starts
        "starts_at": s.slot(TUESDAY, (7, 9)),  # before opening
    }
    for field, slot in cases.items():
        with pytest.raises(InvalidInput) as refused:
            await s.request(slot)
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as soon:  # bookings close 24 h before the start
        await s.request(s.slot(s.clock().date() + timedelta(days=1), (10, 12)))
    assert soon.value.field == "starts_at" and "24 hours" in soon.value.message
    assert s.state() == (0, 0, 0)


async def test_the_terms_must_be_accepted_where_the_facility_has_them() -> None:
    s = await setting(terms="Sali siivotaan käytön jälkeen.")
    with pytest.raises(InvalidInput) as refused:
        await s.request(accepts_terms=False)
    assert refused.value.field == "accepts_terms" and s.state() == (0, 0, 0)
    assert (await s.request(accepts_terms=True)).booking.terms_accepted_at == s.clock()


# -- a weekly series ------------------------------------------------------------------------------------------
async def test_a_series_names_each_conflicting_occurrence_and_books_nothing() -> None:
    s = await setting()
    season = weeks(TUESDAY, 6)
    other = await s.association()
    await s.request(s.slot(season[1], (19, 21), applicant_id=other))  # overlaps week 2
    await s.request(s.slot(season[3], (17, 19), applicant_id=other))  # overlaps week 4
    await s.uow.exceptions.add(OpeningException(uuid.uuid4(), s.facility.id, season[4], None, None, "Remontti"))
    before = s.state()

    plan = await requests.quote_booking(s.uow, actor=s.me, slot=s.slot(repeat_until=season[-1]))
    assert [(o.day, o.taken) for o in plan.problems] == [(season[1], True), (season[3], True), (season[4], False)]
    with pytest.raises(Conflict) as refused:
        await s.request(s.slot(repeat_until=season[-1]))
    message = refused.value.message
    assert refused.value.field == "skip_days" and message.startswith("3 occurrences of the series cannot be booked")
    assert f"{season[1]}: already booked 19:00–21:00" in message
    assert f"{season[3]}: already booked 17:00–19:00" in message and f"{season[4]}: Remontti" in message
    assert str(season[0]) not in message and s.state() == before


async def test_a_series_skipping_its_conflicts_is_one_booking_with_one_event() -> None:
    s = await setting()
    season = weeks(TUESDAY, 6)
    await s.request(s.slot(season[2], (18, 20), applicant_id=await s.association()))
    requested = len(s.uow.emitted(BookingRequested))

    made = await s.request(s.slot(repeat_until=season[-1], skip_days=frozenset({season[2]})))
    booking = made.booking
    assert booking.kind is BookingKind.SERIES and booking.skipped_days == [season[2]]
    assert (booking.first_day, booking.last_day, booking.local_starts) == (season[0], season[-1], time(18))
    assert [o.starts_at for o in made.occurrences] == [at(d, 18) for d in season if d != season[2]]
    assert made.price_cents == 5 * 4000
    events = s.uow.emitted(BookingRequested)
    assert len(events) == requested + 1  # the series is one event carrying its five occurrences
    assert len(events[-1].occurrences) == 5 and events[-1].kind == "series" and events[-1].price_cents == 20_000


async def test_a_series_keeps_its_local_time_across_the_clock_change() -> None:
    s = await setting()
    made = await s.request(s.slot(date(2027, 10, 19), repeat_until=date(2027, 11, 2)))
    assert [o.starts_at.hour for o in made.occurrences] == [
        15,
        15,
        16,
    ]  # 18:00 in Helsinki: EEST until 31 October, then EET


async def test_a_skip_day_must_be_a_day_of_the_series_and_something_must_remain() -> None:
    s = await setting()
    with pytest.raises(InvalidInput) as stray:
        await s.request(s.slot(repeat_until=TUESDAY + timedelta(weeks=1), skip_days=frozenset({date(2027, 9, 8)})))
    assert stray.value.field == "skip_days"
    with pytest.raises(InvalidInput) as empty:
        await s.request(s.slot(repeat_until=TUESDAY, skip_days=frozenset({TUESDAY})))
    assert empty.value.field == "skip_days" and s.state() == (0, 0, 0)


async def test_the_weekly_quota_counts_what_the_association_already_holds() -> None:
    s = await setting(weekly_quota_minutes=180)
    await s.request(s.slot(TUESDAY + timedelta(days=1), (10, 12)))  # two hours of this week's three
    with pytest.raises(Conflict) as refused:
        await s.request(s.slot(repeat_until=TUESDAY + timedelta(weeks=1)))
    assert f"{TUESDAY}: over the weekly quota of 180 minutes" in refused.value.message
    made = await s.request(s.slot(TUESDAY + timedelta(weeks=1)))  # next week is free
    assert made.booking.state is BookingState.REQUESTED


# -- who may book for whom ------------------------------------------------------------------------------------
async def test_a_representative_books_only_for_its_own_association() -> None:
    s = await setting()
    with pytest.raises(Forbidden):
        await s.request(actor=representative(uuid.uuid4()))
    with pytest.raises(Forbidden):
        await s.request(actor=staff("sports"))  # another department's staff
    assert s.state() == (0, 0, 0) and s.uow.events == []
    on_behalf = await s.request(actor=staff())
    assert on_behalf.booking.requested_by == "staff-culture" and on_behalf.booking.applicant_id == s.applicant_id


async def test_an_unknown_or_deactivated_association_or_facility_cannot_book() -> None:
    s = await setting()
    unknown = uuid.uuid4()
    with pytest.raises(InvalidInput) as refused:
        await s.request(s.slot(applicant_id=unknown), actor=staff())
    assert refused.value.field == "applicant_id"
    await s.uow.applicants.apply_status(s.applicant_id, active=False, revision=2)
    with pytest.raises(InvalidInput) as inactive:
        await s.request()
    assert inactive.value.field == "applicant_id"
    await s.change_facility(active=False)
    with pytest.raises(InvalidInput) as closed:
        await s.request(s.slot(applicant_id=await s.association(ApplicantKind.PRIVATE_PERSON)))
    assert closed.value.field == "facility_id" and s.state() == (0, 0, 0)
