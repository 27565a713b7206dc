"""Usage-report rules: the state machine, and deadlines as Helsinki local dates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from grants.domain.usage_report import (
    NARRATIVE_MAX_LENGTH,
    UsageReport,
    UsageReportState,
    is_late,
    reminder_date,
)
from shared.errors import Conflict, InvalidInput
from shared.localtime import local_date

DUE = date(2027, 3, 31)  # Finland is on summer time (UTC+3) from 28 March 2027
LAST_MOMENT = datetime(2027, 3, 31, 20, 59, 59, 999999, tzinfo=UTC)  # 23:59:59.999999 in Pori
MIDNIGHT = datetime(2027, 3, 31, 21, 0, tzinfo=UTC)  # 00:00 on 1 April in Pori, still 31 March in UTC


def state_of(r: UsageReport) -> UsageReportState:
    """The state read afresh: an ``assert r.state is ...`` would fix the type checker's idea of it for good."""
    return r.state


def report(**overrides: object) -> UsageReport:
    fields: dict[str, object] = {
        "id": uuid.uuid4(), "application_id": uuid.uuid4(), "applicant_id": uuid.uuid4(), "due_date": DUE,
    } | overrides  # fmt: skip
    return UsageReport(**fields)  # type: ignore[arg-type]


def submitted(at: datetime = LAST_MOMENT) -> UsageReport:
    r = report()
    r.submit(spent_cents=120_000, narrative="  Kevätnäyttely ja kaksi työpajaa.  ", now=at)
    return r


# -- the state machine ------------------------------------------------------------------------------------
def test_a_report_is_submitted_then_accepted() -> None:
    r = submitted()
    assert state_of(r) is UsageReportState.SUBMITTED and r.spent_cents == 120_000
    assert r.narrative == "Kevätnäyttely ja kaksi työpajaa." and r.submitted_at == LAST_MOMENT
    r.accept(MIDNIGHT)
    assert r.state is UsageReportState.ACCEPTED and r.accepted_at == MIDNIGHT and not r.outstanding


def test_changes_are_asked_with_a_message_and_the_report_comes_back() -> None:
    r = submitted()
    r.request_changes("  Liittäkää tiliote.  ")
    assert state_of(r) is UsageReportState.CHANGES_REQUESTED and r.staff_message == "Liittäkää tiliote."
    assert r.outstanding
    r.submit(spent_cents=125_000, narrative="Tiliote liitteenä.", now=MIDNIGHT + timedelta(days=3))
    assert r.state is UsageReportState.SUBMITTED and r.spent_cents == 125_000
    assert r.submitted_at == LAST_MOMENT and not r.late  # the first submission met the deadline


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (UsageReportState.PENDING, "accept"),
        (UsageReportState.PENDING, "request_changes"),
        (UsageReportState.SUBMITTED, "submit"),
        (UsageReportState.CHANGES_REQUESTED, "accept"),
        (UsageReportState.CHANGES_REQUESTED, "request_changes"),
        (UsageReportState.ACCEPTED, "submit"),
        (UsageReportState.ACCEPTED, "accept"),
        (UsageReportState.ACCEPTED, "request_changes"),
    ],
)
def test_wrong_transitions_conflict_and_change_nothing(state: UsageReportState, action: str) -> None:
    r = report(state=state, spent_cents=5, narrative="x", staff_message="y")
    before = (r.state, r.spent_cents, r.narrative, r.staff_message, r.accepted_at)
    with pytest.raises(Conflict):
        if action == "submit":
            r.submit(spent_cents=1, narrative="Uusi", now=MIDNIGHT)
        elif action == "accept":
            r.accept(MIDNIGHT)
        else:
            r.request_changes("Lisää tietoja")
    assert (r.state, r.spent_cents, r.narrative, r.staff_message, r.accepted_at) == before


@pytest.mark.parametrize(
    ("spent", "narrative", "field"),
    [
        (-1, "Käytimme rahat.", "spent_cents"),
        (0, "   ", "narrative"),
        (0, "x" * (NARRATIVE_MAX_LENGTH + 1), "narrative"),
    ],
)
def test_bad_report_names_the_field_and_leaves_the_report_as_it_was(spent: int, narrative: str, field: str) -> None:
    r = report()
    with pytest.raises(InvalidInput) as caught:
        r.submit(spent_cents=spent, narrative=narrative, now=MIDNIGHT)
    assert caught.value.field == field
    assert r.state is UsageReportState.PENDING and r.spent_cents is None and r.submitted_at is None


def test_nothing_spent_is_a_valid_report() -> None:
    r = report()
    r.submit(spent_cents=0, narrative="Tapahtuma peruttiin; palautamme avustuksen.", now=MIDNIGHT)
    assert r.spent_cents == 0


def test_asking_for_changes_needs_a_message() -> None:
    r = submitted()
    with pytest.raises(InvalidInput) as caught:
        r.request_changes("  ")
    assert caught.value.field == "message" and r.state is UsageReportState.SUBMITTED


# -- deadlines in Helsinki ----------------------------------------------------------------------------------
def test_the_due_date_lasts_until_midnight_in_pori() -> None:
    assert not is_late(LAST_MOMENT, DUE)
    assert is_late(MIDNIGHT, DUE)
    assert MIDNIGHT.date() == DUE  # in UTC it is still the due date: the rule must not look at UTC
    assert submitted(LAST_MOMENT).late is False and submitted(MIDNIGHT).late is True


def test_winter_time_moves_the_boundary_by_an_hour() -> None:
    due = date(2027, 1, 31)  # UTC+2
    assert not is_late(datetime(2027, 1, 31, 21, 59, 59, tzinfo=UTC), due)
    assert is_late(datetime(2027, 1, 31, 22, 0, tzinfo=UTC), due)


def test_overdue_from_the_first_local_day_after_the_due_date() -> None:
    r = report()
    assert not r.is_overdue(local_date(LAST_MOMENT)) and r.is_overdue(local_date(MIDNIGHT))
    assert r.overdue_notice_due(local_date(MIDNIGHT))
    r.overdue_notice_sent_at = MIDNIGHT
    assert r.is_overdue(local_date(MIDNIGHT)) and not r.overdue_notice_due(local_date(MIDNIGHT))


def test_a_submitted_or_accepted_report_is_never_overdue() -> None:
    late = date(2027, 6, 1)
    assert not submitted().is_overdue(late)
    accepted = submitted()
    accepted.accept(MIDNIGHT)
    assert not accepted.is_overdue(late)
    returned = submitted()
    returned.request_changes("Lisää kuitit.")
    assert returned.is_overdue(late)  # sent back and still owed after the deadline


def test_the_reminder_window_opens_days_before_and_closes_at_the_deadline() -> None:
    assert reminder_date(DUE, 14) == date(2027, 3, 17)
    r = report()
    assert not r.reminder_due(date(2027, 3, 16), 14)
    assert r.reminder_due(date(2027, 3, 17), 14) and r.reminder_due(DUE, 14)
    assert not r.reminder_due(date(2027, 4, 1), 14)  # past the deadline the follow-up takes over
    # 17 March begins at 22:00 UTC on the 16th (winter time until 28 March)
    assert r.reminder_due(local_date(datetime(2027, 3, 16, 22, 0, tzinfo=UTC)), 14)
    assert not r.reminder_due(local_date(datetime(2027, 3, 16, 21, 59, 59, tzinfo=UTC)), 14)


def test_one_reminder_and_none_once_reported() -> None:
    r = report()
    r.due_reminder_sent_at = MIDNIGHT
    assert not r.reminder_due(DUE, 14)
    assert not submitted().reminder_due(DUE, 14)
