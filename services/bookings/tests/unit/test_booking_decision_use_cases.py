"""After the request, on a unit of work without a database: the managing department confirms or rejects (with
a reason); the booker or staff cancel, charged or not by the free-cancellation rule; one occurrence of a
confirmed series is cancelled on its own. Each decision is one event; a refused one commits nothing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from bookings.domain.booking import BookingState
from bookings.service_layer import decisions
from bookings.service_layer.requests import BookingView
from shared.contracts.bookings import BookingCancelled, BookingConfirmed, BookingRejected
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound

from .setting import NOW, TUESDAY, Setting, at, representative, setting, staff, weeks

pytestmark = pytest.mark.unit


async def _series(s: Setting, count: int = 4) -> BookingView:
    made = await s.request(s.slot(repeat_until=weeks(TUESDAY, count)[-1]))
    return await decisions.confirm(s.uow, actor=staff(), booking_id=made.booking.id)


# -- confirm and reject ---------------------------------------------------------------------------------------
async def test_the_managing_department_confirms_a_series_with_one_event() -> None:
    s = await setting()
    made = await s.request(s.slot(repeat_until=weeks(TUESDAY, 3)[-1]))
    s.clock.advance(hours=2)
    done = await decisions.confirm(s.uow, actor=staff(), booking_id=made.booking.id)
    assert done.booking.state is BookingState.CONFIRMED and done.booking.decided_at == NOW + timedelta(hours=2)
    stored = await s.uow.bookings.get(made.booking.id)
    assert stored is not None and stored.state is BookingState.CONFIRMED
    [event] = s.uow.emitted(BookingConfirmed)
    assert event.booking_id == made.booking.id and len(event.occurrences) == 3 and event.price_cents == 12_000
    with pytest.raises(Conflict) as again:
        await decisions.confirm(s.uow, actor=staff(), booking_id=made.booking.id)
    assert again.value.field == "state" and len(s.uow.emitted(BookingConfirmed)) == 1


async def test_only_the_managing_departments_staff_decide() -> None:
    s = await setting()
    made = await s.request()
    commits = s.uow.commits
    with pytest.raises(Forbidden):  # the booker sees its booking, but does not decide it
        await decisions.confirm(s.uow, actor=s.me, booking_id=made.booking.id)
    with pytest.raises(NotFound):  # another department's staff do not even see it
        await decisions.confirm(s.uow, actor=staff("sports"), booking_id=made.booking.id)
    with pytest.raises(NotFound):
        await decisions.reject(s.uow, actor=staff("sports"), booking_id=made.booking.id, reason="Ei käy.")
    with pytest.raises(NotFound):  # another association's representative neither
        await decisions.get_booking(s.uow, actor=representative(uuid.uuid4()), booking_id=made.booking.id)
    stored = await s.uow.bookings.get(made.booking.id)
    assert stored is not None and stored.state is BookingState.REQUESTED
    assert s.uow.commits == commits and s.uow.emitted(BookingConfirmed) == []


async def test_a_rejection_gives_its_reason_and_frees_the_time() -> None:
    s = await setting()
    made = await s.request()
    with pytest.raises(InvalidInput) as blank:
        await decisions.reject(s.uow, actor=staff(), booking_id=made.booking.id, reason="  ")
    assert blank.value.field == "reason" and s.uow.emitted(BookingRejected) == []

    done = await decisions.reject(s.uow, actor=staff(), booking_id=made.booking.id, reason="Sali on varattu muualle.")
    assert done.booking.state is BookingState.REJECTED and done.booking.decision_reason == "Sali on varattu muualle."
    assert not any(o.active for o in await s.uow.occurrences.of_booking(made.booking.id))
    [event] = s.uow.emitted(BookingRejected)
    assert event.booking_id == made.booking.id and len(event.occurrences) == 1
    assert "Sali on varattu" not in event.model_dump_json()  # the reason is the booking's, not the event's
    other = await s.request(s.slot(applicant_id=await s.association()))  # the same slot is free again
    assert other.booking.state is BookingState.REQUESTED
    with pytest.raises(Conflict):
        await decisions.cancel(s.uow, actor=s.me, booking_id=made.booking.id, reason="Myöhässä.")


# -- cancelling -----------------------------------------------------------------------------------------------
async def test_cancelling_well_ahead_is_free_and_frees_the_time() -> None:
    s = await setting()
    made = await s.request()
    s.clock.set(at(TUESDAY - timedelta(days=7), 23, 59))  # the last minute of "free until 7 days before"
    done = await decisions.cancel(s.uow, actor=s.me, booking_id=made.booking.id, reason="Esitys peruttu.")
    assert done.booking.state is BookingState.CANCELLED and done.booking.cancel_reason == "Esitys peruttu."
    [occurrence] = await s.uow.occurrences.of_booking(made.booking.id)
    assert not occurrence.active and not occurrence.late_cancellation and occurrence.cancelled_at == s.clock()
    assert done.price_cents == 0
    [event] = s.uow.emitted(BookingCancelled)
    assert event.whole and event.booking_id == made.booking.id and len(event.occurrences) == 1
    await s.request(s.slot(applicant_id=await s.association()))  # the slot is free again


async def test_a_booker_cancelling_late_is_still_charged_but_staff_cancelling_is_not() -> None:
    s = await setting()
    late, by_staff = await s.request(), await s.request(s.slot(TUESDAY, (10, 12)))
    for made in (late, by_staff):
        await decisions.confirm(s.uow, actor=staff(), booking_id=made.booking.id)
    s.clock.set(at(TUESDAY - timedelta(days=6), 0, 0))  # the first minute past the free cancellation
    charged = await decisions.cancel(s.uow, actor=s.me, booking_id=late.booking.id, reason="Kuoro sairastui.")
    [occurrence] = charged.occurrences
    assert occurrence.late_cancellation and not occurrence.active and charged.price_cents == 4000
    spared = await decisions.cancel(s.uow, actor=staff(), booking_id=by_staff.booking.id, reason="Putkivuoto.")
    assert not spared.occurrences[0].late_cancellation and spared.price_cents == 0
    assert len(s.uow.emitted(BookingCancelled)) == 2


async def test_a_request_withdrawn_late_before_any_decision_costs_nothing() -> None:
    """Only a confirmed booking is charged: the department never gave the time, so the booker owes nothing."""
    s = await setting()
    made = await s.request()
    s.clock.set(at(TUESDAY - timedelta(days=1), 12, 0))
    withdrawn = await decisions.cancel(s.uow, actor=s.me, booking_id=made.booking.id, reason="Emme tarvitse.")
    assert not withdrawn.occurrences[0].late_cancellation and withdrawn.price_cents == 0


async def test_a_cancellation_gives_its_reason_and_only_the_booker_or_the_department_cancels() -> None:
    s = await setting()
    made = await s.request()
    with pytest.raises(InvalidInput) as blank:
        await decisions.cancel(s.uow, actor=s.me, booking_id=made.booking.id, reason="")
    assert blank.value.field == "reason"
    for stranger in (representative(uuid.uuid4()), staff("sports")):
        with pytest.raises(NotFound):
            await decisions.cancel(s.uow, actor=stranger, booking_id=made.booking.id, reason="Ei meidän.")
    [occurrence] = await s.uow.occurrences.of_booking(made.booking.id)
    assert occurrence.active and s.uow.emitted(BookingCancelled) == [] and s.uow.commits == 1


async def test_one_occurrence_of_a_confirmed_series_is_cancelled_on_its_own() -> None:
    s = await setting()
    series = await _series(s, 3)
    first, second, third = series.occurrences
    s.clock.set(at(second.starts_at.date() - timedelta(days=2), 12))  # late for the second, not the third
    done = await decisions.cancel_occurrence(
        s.uow, actor=s.me, booking_id=series.booking.id, occurrence_id=second.id, reason="Konsertti."
    )
    assert done.booking.state is BookingState.CONFIRMED
    stored = {o.id: o for o in await s.uow.occurrences.of_booking(series.booking.id)}
    assert [stored[o.id].active for o in (first, second, third)] == [True, False, True]
    assert stored[second.id].late_cancellation and done.price_cents == 3 * 4000  # still charged for it
    [event] = s.uow.emitted(BookingCancelled)
    assert not event.whole and [o.occurrence_id for o in event.occurrences] == [second.id]
    assert event.price_cents == 4000

    with pytest.raises(Conflict) as twice:
        await decisions.cancel_occurrence(
            s.uow, actor=s.me, booking_id=series.booking.id, occurrence_id=second.id, reason="Taas."
        )
    assert twice.value.field == "occurrence_id"
    with pytest.raises(NotFound):
        await decisions.cancel_occurrence(
            s.uow, actor=s.me, booking_id=series.booking.id, occurrence_id=uuid.uuid4(), reason="Mikä?"
        )
    assert len(s.uow.emitted(BookingCancelled)) == 1


async def test_cancelling_the_last_occurrence_cancels_the_series() -> None:
    s = await setting()
    series = await _series(s, 2)
    for o in series.occurrences:
        await decisions.cancel_occurrence(
            s.uow, actor=staff(), booking_id=series.booking.id, occurrence_id=o.id, reason="Remontti."
        )
    stored = await s.uow.bookings.get(series.booking.id)
    assert stored is not None and stored.state is BookingState.CANCELLED and stored.cancel_reason == "Remontti."
    assert [e.whole for e in s.uow.emitted(BookingCancelled)] == [False, True]


async def test_only_a_confirmed_series_has_occurrences_cancelled_one_by_one() -> None:
    s = await setting()
    single = await s.request()
    requested = await s.request(s.slot(TUESDAY, (10, 12), repeat_until=weeks(TUESDAY, 2)[-1]))
    for made, field in ((single, "kind"), (requested, "state")):
        with pytest.raises(Conflict) as refused:
            await decisions.cancel_occurrence(
                s.uow,
                actor=s.me,
                booking_id=made.booking.id,
                occurrence_id=made.occurrences[0].id,
                reason="Yksi pois.",
            )
        assert refused.value.field == field
    assert s.uow.emitted(BookingCancelled) == []


async def test_the_booker_sees_its_bookings_and_staff_their_departments() -> None:
    s = await setting()
    mine = await s.request()
    theirs = await s.request(s.slot(TUESDAY, (10, 12), applicant_id=await s.association()))
    found, total = await decisions.list_bookings(s.uow, actor=s.me, facility_id=None, limit=10, offset=0)
    assert [v.booking.id for v in found] == [mine.booking.id] and total == 1
    found, total = await decisions.list_bookings(s.uow, actor=staff(), facility_id=s.facility.id, limit=10, offset=0)
    assert [v.booking.id for v in found] == [theirs.booking.id, mine.booking.id] and total == 2
    assert await decisions.list_bookings(s.uow, actor=staff("sports"), facility_id=None, limit=10, offset=0) == (
        [],
        0,
    )


async def test_cancelling_a_season_midway_still_charges_the_occurrences_that_took_place() -> None:
    s = await setting()
    series = await _series(s, 4)
    s.clock.set(at(TUESDAY + timedelta(days=8), 12))  # two weeks used; the hall closes for the rest of the autumn
    done = await decisions.cancel(s.uow, actor=staff(), booking_id=series.booking.id, reason="Putkivuoto.")
    stored = await s.uow.occurrences.of_booking(series.booking.id)
    assert [o.late_cancellation for o in stored] == [True, True, False, False]
    assert done.price_cents == 2 * 4000 and done.booking.state is BookingState.CANCELLED
