"""The premises terms of a partnership agreement: whole and without repeats, set by the department while it
prepares the agreement, in force exactly for the agreement's own term."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from grants.domain.partnership import AgreementState
from grants.domain.premises import MAX_FACILITIES, PremisesTerms
from shared.errors import Conflict, InvalidInput

from .test_partnership_rules import NOW, agreement, prepared

pytestmark = pytest.mark.unit

HALL, GYM = uuid.uuid4(), uuid.uuid4()


def test_no_terms_say_nothing_and_no_facilities_mean_all_premises() -> None:
    assert agreement().premises is None
    everything = agreement(premises={"free_use": True, "facility_ids": []}).premises
    assert everything == PremisesTerms(free_use=True) and everything.all_premises
    some = agreement(premises={"free_use": True, "facility_ids": [HALL, GYM]}).premises
    assert some == PremisesTerms(True, (HALL, GYM)) and not some.all_premises


def test_a_facility_named_twice_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        agreement(premises=PremisesTerms(True, (HALL, GYM, HALL)))
    assert caught.value.field == "premises.facility_ids.2" and str(HALL) in caught.value.message


def test_a_bounded_list_of_facilities() -> None:
    with pytest.raises(InvalidInput) as caught:
        agreement(premises=PremisesTerms(True, tuple(uuid.uuid4() for _ in range(MAX_FACILITIES + 1))))
    assert caught.value.field == "premises.facility_ids"


def test_the_department_sets_the_terms_while_preparing_and_not_the_association() -> None:
    a = agreement()
    with pytest.raises(Conflict) as caught:
        a.change({"premises": PremisesTerms(True)}, by_department=False)
    assert caught.value.field == "premises" and a.premises is None
    a.change({"premises": {"free_use": True, "facility_ids": [HALL]}}, by_department=True)
    assert a.premises == PremisesTerms(True, (HALL,))
    a.start_preparation()
    with pytest.raises(InvalidInput):
        a.change({"premises": PremisesTerms(True, (HALL, HALL))}, by_department=True)
    a.change({"premises": None}, by_department=True)  # the agreement no longer says anything of premises
    assert a.premises is None
    a.approve()
    with pytest.raises(Conflict) as caught:  # approved for signing: the text is settled
        a.change({"premises": PremisesTerms(True)}, by_department=True)
    assert caught.value.field == "premises" and a.state is AgreementState.APPROVED


def test_the_terms_apply_for_the_agreements_own_term_once_signed() -> None:
    terms = PremisesTerms(True, (HALL,))
    a = prepared(premises=terms)
    assert a.premises_on(NOW.date()) is None  # approved, not yet signed
    a.sign(now=NOW, starts_on=date(2027, 1, 1), ends_on=date(2029, 12, 31))
    assert a.premises_on(date(2026, 12, 31)) is None
    assert a.premises_on(date(2027, 1, 1)) == terms and a.premises_on(date(2029, 12, 31)) == terms
    assert a.premises_on(date(2030, 1, 1)) is None
    a.end(now=NOW + timedelta(days=100))  # ended early on 25 April 2027
    assert a.premises_on(date(2027, 4, 25)) == terms and a.premises_on(date(2027, 4, 26)) is None


def test_an_agreement_without_terms_has_none_in_force() -> None:
    a = prepared()
    a.sign(now=NOW, starts_on=date(2027, 1, 1), ends_on=date(2029, 12, 31))
    assert a.premises_on(date(2027, 6, 1)) is None
