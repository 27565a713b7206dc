"""A seasonal round's rules: its dates, its states, its principles' versions; an application's wishes and deadline."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bookings.domain.allocation_model import AgeGroup
from bookings.domain.season_round import (
    ApplicationState,
    SeasonApplication,
    SeasonRound,
    SeasonRoundState,
    Wish,
)
from shared.errors import Conflict, InvalidInput

pytestmark = pytest.mark.unit
OPENS = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)  # 08:00 in Helsinki
CLOSES = datetime(2027, 3, 31, 21, 0, tzinfo=UTC)  # 2027-04-01 00:00 in Helsinki (summer time)
HALL = uuid.uuid4()


def season_round(**kw: object) -> SeasonRound:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "department_code": "liikunta",
        "name": "Syyskausi 2027 – kevät 2028",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "season_starts_on": date(2027, 8, 16),
        "season_ends_on": date(2028, 5, 31),
        "facility_ids": [HALL],
        "principles": "Lasten ja nuorten ryhmät ensin.",
    } | kw
    return SeasonRound(**values)  # type: ignore[arg-type]


def wish(**kw: object) -> Wish:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "priority": 1,
        "weekdays": ("mon", "wed"),
        "earliest": time(17, 0),
        "latest": time(21, 0),
        "duration_minutes": 90,
        "weekly_count": 2,
        "facility_id": HALL,
        "age_group": AgeGroup.CHILDREN,
        "participants": 20,
        "purpose": "juniorisalibandy",
    } | kw
    return Wish(**values)  # type: ignore[arg-type]


def field_of(exc: pytest.ExceptionInfo[InvalidInput]) -> str | None:
    return exc.value.field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"closes_at": OPENS}, "closes_at"),
        ({"season_ends_on": date(2027, 8, 1)}, "season_ends_on"),
        ({"season_starts_on": date(2027, 4, 1), "season_ends_on": date(2027, 12, 1)}, "season_starts_on"),
        ({"facility_ids": [HALL, HALL]}, "facility_ids"),
    ],
)
def test_a_round_with_impossible_dates_or_facilities_is_refused_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        season_round(**changes).validate()
    assert field_of(exc) == field


def test_the_season_may_start_the_day_after_the_local_closing_day() -> None:
    season_round(closes_at=datetime(2027, 3, 31, 20, 59, tzinfo=UTC), season_starts_on=date(2027, 4, 1)).validate()


def test_a_round_goes_draft_open_closed_and_keeps_the_principles_it_opened_with() -> None:
    r = season_round()
    assert r.change_principles("Lasten ja nuorten ryhmät ensin.") is False and r.principles_version == 1
    assert r.change_principles("Lapset ensin; jatkuvuus edelliseen kauteen.") is True
    assert r.principles_version == 2
    r.open(OPENS)
    assert (r.state, r.opened_at, r.opened_principles_version) == (SeasonRoundState.OPEN, OPENS, 2)
    with pytest.raises(Conflict):
        r.ensure_editable()
    with pytest.raises(Conflict):
        r.open(OPENS)
    r.close(CLOSES)
    assert (r.state, r.closed_at) == (SeasonRoundState.CLOSED, CLOSES)
    with pytest.raises(Conflict):
        r.close(CLOSES)


def test_opened_early_by_hand_the_period_starts_then_and_closed_early_it_ends_then() -> None:
    r = season_round()
    early = OPENS - timedelta(days=2)
    r.open(early)
    assert r.opens_at == early and r.accepts_applications(early)
    r.close(OPENS)
    assert r.closes_at == OPENS and not r.accepts_applications(OPENS)


def test_a_round_without_facilities_or_past_its_period_does_not_open() -> None:
    with pytest.raises(InvalidInput) as exc:
        season_round(facility_ids=[]).open(OPENS)
    assert field_of(exc) == "facility_ids"
    with pytest.raises(InvalidInput) as exc:
        season_round().open(CLOSES)
    assert field_of(exc) == "closes_at"


def test_applications_are_taken_only_while_the_round_is_open_and_its_deadline_has_not_passed() -> None:
    r = season_round()
    assert not r.accepts_applications(OPENS)  # a draft
    r.open(OPENS)
    assert r.accepts_applications(OPENS) and r.accepts_applications(CLOSES - timedelta(seconds=1))
    assert not r.accepts_applications(CLOSES)


def test_an_application_is_drafted_submitted_and_withdrawn_before_the_deadline() -> None:
    r = season_round()
    r.open(OPENS)
    a = SeasonApplication(id=uuid.uuid4(), round_id=r.id, applicant_id=uuid.uuid4())
    with pytest.raises(InvalidInput) as exc:
        a.submit(r, OPENS)
    assert field_of(exc) == "wishes"
    first, second = wish(), wish(facility_id=None, facility_kind="gym", age_group=AgeGroup.ADULTS)
    a.replace_wishes([second, first], r, OPENS)
    assert [(w.id, w.priority) for w in a.wishes] == [(second.id, 1), (first.id, 2)]
    a.submit(r, OPENS)
    assert (a.state, a.submitted_at) == (ApplicationState.SUBMITTED, OPENS)
    with pytest.raises(Conflict):
        a.replace_wishes([first], r, OPENS)  # submitted: withdraw and apply anew to change it
    a.withdraw(r, OPENS)
    assert a.state is ApplicationState.WITHDRAWN
    with pytest.raises(Conflict):
        a.withdraw(r, OPENS)


def test_after_the_deadline_an_application_is_neither_changed_submitted_nor_withdrawn() -> None:
    r = season_round()
    r.open(OPENS)
    a = SeasonApplication(id=uuid.uuid4(), round_id=r.id, applicant_id=uuid.uuid4(), wishes=[wish()])
    with pytest.raises(Conflict):
        a.replace_wishes([wish()], r, CLOSES)
    with pytest.raises(Conflict):
        a.submit(r, CLOSES)
    with pytest.raises(Conflict):
        a.withdraw(r, CLOSES)
    assert a.state is ApplicationState.DRAFT


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"facility_id": None}, "wishes.1.facility_id"),
        ({"facility_kind": "gym"}, "wishes.1.facility_id"),
        ({"facility_id": uuid.uuid4()}, "wishes.1.facility_id"),
        ({"weekdays": ()}, "wishes.1.weekdays"),
        ({"weekdays": ("mon", "mon")}, "wishes.1.weekdays"),
        ({"latest": time(17, 0)}, "wishes.1.latest"),
        ({"duration_minutes": 300}, "wishes.1.duration_minutes"),
        ({"weekly_count": 3}, "wishes.1.weekly_count"),
        ({"participants": 0}, "wishes.1.participants"),
    ],
)
def test_a_wish_that_cannot_be_met_as_asked_is_refused_naming_its_field(changes: dict[str, object], field: str) -> None:
    r = season_round()
    r.open(OPENS)
    a = SeasonApplication(id=uuid.uuid4(), round_id=r.id, applicant_id=uuid.uuid4())
    with pytest.raises(InvalidInput) as exc:
        a.replace_wishes([wish(), wish(**changes)], r, OPENS)
    assert field_of(exc) == field


def test_closed_by_hand_the_moment_it_opened_the_period_is_empty_and_takes_nothing() -> None:
    r = season_round()
    r.open(OPENS)
    r.close(OPENS)
    assert r.opens_at == r.closes_at == OPENS and not r.accepts_applications(OPENS)
    r.propose()
    assert r.state is SeasonRoundState.PROPOSED
    r.propose()  # computed again


def test_no_proposal_before_the_application_period_is_over() -> None:
    r = season_round()
    with pytest.raises(Conflict):
        r.propose()
    r.open(OPENS)
    with pytest.raises(Conflict):
        r.propose()
