"""Grant rounds: one a year per programme, within the appropriation; they open and close on time.

States: draft -> scheduled -> open -> closed -> published. A programme with continuous intake has a round
per year too (its appropriation for the year), open until the end of the year unless it closes earlier.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from shared.errors import Conflict, InvalidInput
from shared.localtime import end_of_local_day, local_date


class RoundState(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


@dataclass
class Round:
    id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    principles_version_id: uuid.UUID
    opens_at: datetime
    closes_at: datetime  # for continuous intake: the end of the year, unless set earlier
    appropriation_cents: int
    decision_deadline: date | None = None
    usage_report_deadline: date | None = None
    state: RoundState = RoundState.DRAFT
    reserved_cents: int = 0
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    published_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def remaining_cents(self) -> int:
        return self.appropriation_cents - self.reserved_cents

    @staticmethod
    def year_end(year: int) -> datetime:
        return end_of_local_day(date(year, 12, 31))

    def validate(self) -> None:
        if self.appropriation_cents <= 0:
            raise InvalidInput("The appropriation must be more than zero.", field="appropriation_cents")
        if local_date(self.opens_at).year != self.year:
            raise InvalidInput("The round opens in its own year.", field="opens_at")
        if self.closes_at <= self.opens_at:
            raise InvalidInput("The round closes after it opens.", field="closes_at")
        if self.decision_deadline and self.decision_deadline < local_date(self.closes_at):
            raise InvalidInput("Decisions come after the application period.", field="decision_deadline")
        if self.usage_report_deadline and self.usage_report_deadline <= local_date(self.opens_at):
            raise InvalidInput("Usage is reported after the round opens.", field="usage_report_deadline")

    def ensure_editable(self) -> None:
        if self.state not in (RoundState.DRAFT, RoundState.SCHEDULED):
            raise Conflict(f"A round that is {self.state.value} can no longer be changed.")

    def schedule(self, now: datetime) -> None:
        if self.state is not RoundState.DRAFT:
            raise Conflict(f"Only a draft round can be scheduled; this one is {self.state.value}.")
        if self.closes_at <= now:
            raise InvalidInput("The application period is already over.", field="closes_at")
        self.state = RoundState.SCHEDULED

    def accepts_applications(self, now: datetime) -> bool:
        return self.state is RoundState.OPEN and self.opens_at <= now < self.closes_at

    def ensure_accepts_applications(self, now: datetime) -> None:
        if not self.accepts_applications(now):
            raise Conflict("The round is not open for applications now.", field="round_id")
