"""Continuity with last season derived from the previous published round: which wishes continue a held slot,
and the proposal's solver giving such a wish the place over an otherwise weightier one."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest

from bookings.domain.allocation_model import AgeGroup, Weights
from bookings.domain.allocation_solver import solve
from bookings.domain.facility import Facility
from bookings.domain.opening import Hours
from bookings.domain.season_continuity import HeldSlot, LastSeason
from bookings.domain.season_proposal import problem_of
from bookings.domain.season_round import ApplicationState, SeasonApplication, SeasonRound, Wish

pytestmark = pytest.mark.unit
H = 60
HALL, GYM = uuid.uuid4(), uuid.uuid4()
CLUB, OTHER, LAST = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PURPOSES = {HALL: frozenset({"meetings"}), GYM: frozenset({"gym"})}


def _wish(**overrides: object) -> Wish:
    fields: dict[str, object] = {
        "id": uuid.uuid4(), "priority": 1, "weekdays": ("mon", "wed"), "earliest": time(17), "latest": time(21),
        "duration_minutes": 90, "facility_id": GYM,
    } | overrides  # fmt: skip
    return Wish(**fields)  # type: ignore[arg-type]


def _held(
    start: int, end: int, *, applicant: uuid.UUID = CLUB, facility: uuid.UUID = GYM, day: str = "mon"
) -> HeldSlot:
    return HeldSlot(LAST, applicant, facility, day, start, end)


def test_a_wish_continues_where_its_association_held_the_facility_and_weekday_at_a_time_it_can_take() -> None:
    last = LastSeason([_held(18 * H, 19 * H + 30)])
    assert last.continuity(CLUB, _wish(), PURPOSES) == {(GYM, 0)}
    assert last.held(CLUB, _wish(), GYM, "mon") == _held(18 * H, 19 * H + 30)
    assert last.continuity(OTHER, _wish(), PURPOSES) == frozenset()  # another association held it
    assert last.continuity(CLUB, _wish(weekdays=("tue", "wed")), PURPOSES) == frozenset()  # not on Monday now
    assert last.continuity(CLUB, _wish(facility_id=HALL), PURPOSES) == frozenset()  # another facility
    assert last.continuity(CLUB, _wish(earliest=time(18, 30)), PURPOSES) == frozenset()  # starts later now
    assert last.continuity(CLUB, _wish(latest=time(19)), PURPOSES) == frozenset()  # 18:00 + 90 min ends past 19
    assert last.continuity(CLUB, _wish(duration_minutes=180), PURPOSES) == {(GYM, 0)}  # 18–21 fits the range
    kind = _wish(facility_id=None, facility_kind="gym")
    assert last.continuity(CLUB, kind, PURPOSES) == {(GYM, 0)}  # any gym of the round: the one it held
    assert LastSeason().continuity(CLUB, _wish(), PURPOSES) == frozenset() and not LastSeason()


def _round() -> SeasonRound:
    return SeasonRound(
        id=uuid.uuid4(), department_code="liikunta", name="Syksy 2028", opens_at=datetime(2028, 3, 1, tzinfo=UTC),
        closes_at=datetime(2028, 3, 31, tzinfo=UTC), season_starts_on=date(2028, 8, 14),
        season_ends_on=date(2029, 5, 31), facility_ids=[GYM],
    )  # fmt: skip


def test_the_proposal_keeps_last_seasons_holder_on_its_slot_only_because_of_continuity() -> None:
    gym = Facility(
        id=GYM, name="Sali", department_code="liikunta", address="Katu 1", capacity=40, purposes=["gym"],
        weekly_hours={"mon": Hours(time(8), time(22))},
    )  # fmt: skip
    contested = {"weekdays": ("mon",), "earliest": time(18), "latest": time(20), "duration_minutes": 120}
    holder, senior = _wish(**contested), _wish(**contested, age_group=AgeGroup.SENIORS)  # seniors weigh 120 %
    applications = [
        SeasonApplication(uuid.uuid4(), uuid.uuid4(), CLUB, [holder], ApplicationState.SUBMITTED),
        SeasonApplication(uuid.uuid4(), uuid.uuid4(), OTHER, [senior], ApplicationState.SUBMITTED),
    ]
    last = LastSeason([_held(18 * H, 20 * H)])
    with_history = problem_of(_round(), {GYM: gym}, applications, Weights(), last_season=last)
    assert [w.continuity for w in with_history.wishes] == [frozenset({(GYM, 0)}), frozenset()]
    [kept] = solve(with_history, time_limit=5).placements
    assert kept.wish_id == holder.id  # 100 % × 1.3 for continuity beats the seniors' 120 %
    [taken] = solve(problem_of(_round(), {GYM: gym}, applications, Weights()), time_limit=5).placements
    assert taken.wish_id == senior.id
    no_bonus = problem_of(_round(), {GYM: gym}, applications, Weights(continuity_percent=0), last_season=last)
    assert solve(no_bonus, time_limit=5).placements[0].wish_id == senior.id
