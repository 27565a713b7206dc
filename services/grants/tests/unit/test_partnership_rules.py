"""Partnership agreements: the state machine, terms of one to five years, yearly discussion dates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from grants.domain.partnership import (
    AgreedAction,
    Agreement,
    AgreementState,
    Discussion,
    Initiative,
    PartnershipCall,
    add_years,
    discussion_due_dates,
    validate_term,
)
from shared.errors import Conflict, InvalidInput

pytestmark = pytest.mark.unit

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


def state_of(a: Agreement) -> AgreementState:
    """The state read afresh: an ``assert a.state is ...`` would fix the type checker's idea of it for good."""
    return a.state


def agreement(**overrides: object) -> Agreement:
    fields: dict[str, object] = {
        "id": uuid.uuid4(), "applicant_id": uuid.uuid4(), "department_code": "culture",
        "initiative": Initiative.ASSOCIATION, "title": "  Kaupunginosatapahtumat  ", "created_by": "rep-1",
        "goals": "Kolme tapahtumaa vuodessa.", "responsible_liaison_ids": [uuid.uuid4()],
    }  # fmt: skip
    a = Agreement(**(fields | overrides))  # type: ignore[arg-type]
    a.validate()
    return a


def prepared(**overrides: object) -> Agreement:
    a = agreement(**overrides)
    a.start_preparation()
    a.approve()
    return a


def signed(starts_on: date = date(2027, 1, 1), ends_on: date = date(2029, 12, 31), now: datetime = NOW) -> Agreement:
    a = prepared()
    a.sign(now=now, starts_on=starts_on, ends_on=ends_on)
    return a


# -- the state machine -----------------------------------------------------------------------------------------
def test_an_agreement_is_prepared_approved_signed_and_ended() -> None:
    a = agreement()
    assert a.title == "Kaupunginosatapahtumat" and state_of(a) is AgreementState.PROPOSED and not a.is_public
    a.start_preparation()
    a.approve()
    assert state_of(a) is AgreementState.APPROVED and not a.is_public
    a.sign(now=NOW, starts_on=date(2027, 1, 1), ends_on=date(2029, 12, 31))
    assert state_of(a) is AgreementState.ACTIVE and a.is_public and a.signed_at == NOW
    a.end(now=NOW + timedelta(days=100))
    assert a.state is AgreementState.ENDED and not a.is_public
    assert a.ended_on == date(2027, 4, 25) and a.version == 5


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (AgreementState.PROPOSED, "approve"),
        (AgreementState.PROPOSED, "sign"),
        (AgreementState.IN_PREPARATION, "start_preparation"),
        (AgreementState.APPROVED, "end"),
        (AgreementState.REJECTED, "start_preparation"),
        (AgreementState.ACTIVE, "reject"),
        (AgreementState.ENDED, "end"),
        (AgreementState.ENDED, "sign"),
    ],
)
def test_wrong_transitions_conflict(state: AgreementState, move: str) -> None:
    a = agreement(state=state, starts_on=date(2027, 1, 1), ends_on=date(2029, 12, 31))
    with pytest.raises(Conflict):
        if move in ("sign", "end"):
            getattr(a, move)(now=NOW)
        else:
            getattr(a, move)()
    assert a.state is state


def test_a_proposal_may_be_rejected_until_it_is_signed() -> None:
    for state in (AgreementState.PROPOSED, AgreementState.IN_PREPARATION, AgreementState.APPROVED):
        a = agreement(state=state)
        a.reject("Ei jatketa.")
        assert a.state is AgreementState.REJECTED


def test_approval_needs_goals_and_responsible_persons() -> None:
    without_goals = agreement(goals="  ")
    without_goals.start_preparation()
    with pytest.raises(Conflict) as caught:
        without_goals.approve()
    assert caught.value.field == "goals" and without_goals.state is AgreementState.IN_PREPARATION
    nobody = agreement(responsible_liaison_ids=[])
    nobody.start_preparation()
    with pytest.raises(Conflict) as caught:
        nobody.approve()
    assert caught.value.field == "responsible_liaison_ids"


def test_signing_needs_a_term_that_is_not_over() -> None:
    with pytest.raises(InvalidInput) as caught:
        prepared().sign(now=NOW)
    assert caught.value.field == "starts_on"
    with pytest.raises(InvalidInput) as caught:
        prepared(starts_on=date(2027, 1, 1)).sign(now=NOW)
    assert caught.value.field == "ends_on"
    with pytest.raises(InvalidInput) as caught:
        prepared().sign(now=NOW, starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))
    assert "over" in caught.value.message
    late = prepared(starts_on=date(2026, 6, 1), ends_on=date(2028, 5, 31))
    late.sign(now=NOW)  # signed after its first day: in force retroactively
    assert late.state is AgreementState.ACTIVE


def test_an_application_to_a_call_names_the_call() -> None:
    with pytest.raises(InvalidInput) as caught:
        agreement(initiative=Initiative.CALL)
    assert caught.value.field == "call_id"
    with pytest.raises(InvalidInput):
        agreement(initiative=Initiative.CITY_STAFF, call_id=uuid.uuid4())


def test_the_association_changes_only_its_proposal_and_only_its_own_fields() -> None:
    a = agreement()
    a.change({"goals": " Uudet tavoitteet "}, by_department=False)
    assert a.goals == "Uudet tavoitteet" and a.version == 2
    with pytest.raises(Conflict) as caught:
        a.change({"responsible_liaison_ids": []}, by_department=False)
    assert caught.value.field == "responsible_liaison_ids"
    a.start_preparation()
    with pytest.raises(Conflict):
        a.change({"goals": "x"}, by_department=False)


def test_the_department_prepares_the_text_and_keeps_the_persons_current() -> None:
    a = agreement()
    a.start_preparation()
    a.change({"department_code": "sports", "starts_on": date(2027, 3, 1)}, by_department=True)
    a.approve()
    with pytest.raises(Conflict) as caught:
        a.change({"goals": "toiset"}, by_department=True)
    assert caught.value.field == "goals"
    person = uuid.uuid4()
    a.change({"responsible_liaison_ids": [person, person]}, by_department=True)
    assert a.responsible_liaison_ids == [person]
    a.reject("Ei jatketa.")
    with pytest.raises(Conflict):
        a.change({"responsible_liaison_ids": []}, by_department=True)


# -- terms ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2027, 1, 1), date(2027, 12, 31)),  # one year
        (date(2027, 1, 1), date(2031, 12, 31)),  # five years
        (date(2027, 8, 1), date(2030, 7, 31)),  # three years from August
        (date(2024, 2, 29), date(2025, 2, 27)),  # a year from a leap day
        (date(2024, 2, 29), date(2029, 2, 27)),
    ],
)
def test_terms_of_one_to_five_years(starts_on: date, ends_on: date) -> None:
    validate_term(starts_on, ends_on)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "says"),
    [
        (date(2027, 1, 1), date(2027, 1, 1), "after it starts"),
        (date(2027, 1, 1), date(2026, 12, 31), "after it starts"),
        (date(2027, 1, 1), date(2027, 12, 30), "at least a year: until 2027-12-31"),
        (date(2027, 1, 1), date(2032, 1, 1), "at most five years: until 2031-12-31"),
        (date(2024, 2, 29), date(2029, 2, 28), "until 2029-02-27"),
    ],
)
def test_terms_too_short_or_too_long(starts_on: date, ends_on: date, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_term(starts_on, ends_on)
    assert caught.value.field == "ends_on" and says in caught.value.message


def test_the_anniversary_of_a_leap_day_is_the_last_day_of_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 3, 1), 1) == date(2024, 3, 1)


# -- discussions ------------------------------------------------------------------------------------------------
def test_one_discussion_per_agreement_year_by_its_last_day() -> None:
    assert discussion_due_dates(date(2027, 1, 1), date(2029, 12, 31)) == [
        date(2027, 12, 31),
        date(2028, 12, 31),
        date(2029, 12, 31),
    ]
    assert discussion_due_dates(date(2027, 1, 1), date(2027, 12, 31)) == [date(2027, 12, 31)]


def test_a_short_last_stretch_is_discussed_with_the_year_before() -> None:
    # 2027-03-01 .. 2029-12-31: the last stretch (ten months) has its own discussion.
    assert discussion_due_dates(date(2027, 3, 1), date(2029, 12, 31)) == [
        date(2028, 2, 29),  # the first agreement-year ends on a leap day
        date(2029, 2, 28),
        date(2029, 12, 31),
    ]
    # 2027-01-01 .. 2028-03-31: three months over the year; one discussion, at the end.
    assert discussion_due_dates(date(2027, 1, 1), date(2028, 3, 31)) == [date(2028, 3, 31)]


def test_discussion_dates_from_a_leap_day() -> None:
    assert discussion_due_dates(date(2024, 2, 29), date(2028, 2, 28)) == [
        date(2025, 2, 27),
        date(2026, 2, 27),
        date(2027, 2, 27),
        date(2028, 2, 28),
    ]


def test_an_agreement_owes_the_discussions_from_its_signing_until_it_ended() -> None:
    assert signed().discussion_due_dates == [date(2027, 12, 31), date(2028, 12, 31), date(2029, 12, 31)]
    retroactive = signed(starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31))  # signed in January 2027
    assert retroactive.discussion_due_dates == [date(2027, 12, 31), date(2028, 12, 31)]
    early = signed()
    early.end(now=datetime(2029, 3, 1, 12, tzinfo=UTC))
    assert early.ended_on == date(2029, 3, 1)
    assert early.discussion_due_dates == [date(2027, 12, 31), date(2028, 12, 31)]
    assert agreement().discussion_due_dates == []


def test_each_discussion_belongs_to_its_agreement_year() -> None:
    a = signed(starts_on=date(2027, 3, 1), ends_on=date(2029, 12, 31))
    assert [a.discussion_year_starts_on(d) for d in a.discussion_due_dates] == [
        date(2027, 3, 1),
        date(2028, 3, 1),
        date(2029, 3, 1),
    ]


def test_a_discussion_is_recorded_once_held_with_actions_due_after_it() -> None:
    d = Discussion(
        id=uuid.uuid4(),
        agreement_id=uuid.uuid4(),
        due_on=date(2027, 12, 31),
        notes="  ",
        agreed_actions=[AgreedAction(" Kevätjuhla ", " yhdistys ", date(2028, 5, 1))],
    )
    with pytest.raises(InvalidInput) as caught:
        d.record(held_on=date(2027, 12, 1), today=date(2027, 11, 30), year_starts_on=date(2027, 1, 1))
    assert caught.value.field == "held_on"
    with pytest.raises(InvalidInput):
        d.record(held_on=date(2026, 12, 1), today=date(2027, 11, 30), year_starts_on=date(2027, 1, 1))
    d.record(held_on=date(2027, 11, 20), today=date(2027, 11, 30), year_starts_on=date(2027, 1, 1))
    assert d.notes is None and d.agreed_actions == [AgreedAction("Kevätjuhla", "yhdistys", date(2028, 5, 1))]
    d.agreed_actions = [AgreedAction("Raportti", "kaupunki", date(2027, 11, 1))]
    with pytest.raises(InvalidInput) as caught:
        d.record(held_on=date(2027, 11, 20), today=date(2027, 11, 30), year_starts_on=date(2027, 1, 1))
    assert caught.value.field == "agreed_actions.0.due_on"


def test_a_call_is_open_until_it_closes() -> None:
    call = PartnershipCall(
        id=uuid.uuid4(),
        department_code="culture",
        title=" Kumppanuushaku ",
        closes_at=NOW + timedelta(days=30),
        created_by="staff",
        fields_of_activity=["Culture", "culture ", ""],
    )
    call.validate(NOW)
    assert call.title == "Kumppanuushaku" and call.fields_of_activity == ["culture"]
    assert call.accepts_applications(NOW) and not call.accepts_applications(call.closes_at)
    with pytest.raises(Conflict) as caught:
        call.ensure_open(call.closes_at)
    assert caught.value.field == "call_id"
    with pytest.raises(InvalidInput) as refused:
        call.validate(call.closes_at)
    assert refused.value.field == "closes_at"
