"""Usage reports (käyttöselvitykset): how a grantee used the money, reported by a deadline.

States: pending -> submitted -> accepted, with submitted -> changes_requested -> submitted when staff ask for
more. A report is *outstanding* while the grantee owes one (pending or changes_requested). Deadlines are
Helsinki local dates: a report due on 2027-03-31 is on time until midnight in Pori. A report submitted after
that is still wanted; it is recorded as late, judged by its first submission.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.errors import Conflict, InvalidInput
from shared.localtime import end_of_local_day

NARRATIVE_MAX_LENGTH = 10_000
STAFF_MESSAGE_MAX_LENGTH = 5_000


class UsageReportState(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"


OUTSTANDING = frozenset({UsageReportState.PENDING, UsageReportState.CHANGES_REQUESTED})


def reminder_date(due_date: date, reminder_days: int) -> date:
    """The first local date on which the grantee is reminded of the coming deadline."""
    return due_date - timedelta(days=reminder_days)


def is_late(submitted_at: datetime, due_date: date) -> bool:
    """Whether a report arrived after the last moment of its local due date."""
    return submitted_at > end_of_local_day(due_date)


def _text(value: str, *, field: str, max_length: int, what: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"{what} cannot be empty.", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{what} is at most {max_length} characters.", field=field)
    return value


@dataclass
class UsageReport:
    """One approved grant's report obligation, and the report once the grantee has written it."""

    id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    due_date: date
    state: UsageReportState = UsageReportState.PENDING
    spent_cents: int | None = None
    narrative: str | None = None
    staff_message: str | None = None
    submitted_at: datetime | None = None  # the first submission: the deadline is judged by it
    accepted_at: datetime | None = None
    due_reminder_sent_at: datetime | None = None
    overdue_notice_sent_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # What the report accounts for, read with it from the grant; never written back.
    round_id: uuid.UUID | None = None
    programme_id: uuid.UUID | None = None
    department_code: str | None = None
    approved_cents: int | None = None

    @property
    def outstanding(self) -> bool:
        return self.state in OUTSTANDING

    @property
    def late(self) -> bool:
        return self.submitted_at is not None and is_late(self.submitted_at, self.due_date)

    def is_overdue(self, today: date) -> bool:
        """The grantee owes a report and its local due date is over."""
        return self.outstanding and today > self.due_date

    def reminder_due(self, today: date, reminder_days: int) -> bool:
        """Remind once, from ``reminder_days`` before the deadline until the deadline itself."""
        return (
            self.outstanding
            and self.due_reminder_sent_at is None
            and reminder_date(self.due_date, reminder_days) <= today <= self.due_date
        )

    def overdue_notice_due(self, today: date) -> bool:
        return self.is_overdue(today) and self.overdue_notice_sent_at is None

    def submit(self, *, spent_cents: int, narrative: str, now: datetime) -> None:
        if not self.outstanding:
            raise Conflict(f"A report that is {self.state.value.replace('_', ' ')} cannot be submitted again.")
        if spent_cents < 0:
            raise InvalidInput("The amount spent cannot be negative.", field="spent_cents")
        self.narrative = _text(narrative, field="narrative", max_length=NARRATIVE_MAX_LENGTH, what="The narrative")
        self.spent_cents = spent_cents
        self.state = UsageReportState.SUBMITTED
        self.submitted_at = self.submitted_at or now

    def accept(self, now: datetime) -> None:
        if self.state is not UsageReportState.SUBMITTED:
            raise Conflict(f"Only a submitted report can be accepted; this one is {self.state.value}.")
        self.state, self.accepted_at = UsageReportState.ACCEPTED, now

    def request_changes(self, message: str) -> None:
        if self.state is not UsageReportState.SUBMITTED:
            raise Conflict(f"Changes can be asked for a submitted report only; this one is {self.state.value}.")
        self.staff_message = _text(
            message, field="message", max_length=STAFF_MESSAGE_MAX_LENGTH, what="The message to the grantee"
        )
        self.state = UsageReportState.CHANGES_REQUESTED
