"""Seasonal rounds of regular weekly slots (vakiovuorot): a department's call for the season's applications.

States: draft -> open -> closed -> proposed -> published. A draft is edited by its department's staff; it
opens by itself when its ``opens_at`` comes (or earlier by hand), provided it names its facilities, and closes
by itself at ``closes_at`` (or earlier by hand). The allocation principles are versioned: every change of
their text makes a new version, and the round remembers the version it was opened with. The principles as
numbers (``Weights``: the ADR's defaults until staff change them) stay changeable until the round is published;
each proposal records the weights it was computed with.

An association's application holds its wishes in priority order (the first is the one it wants most). It is
a draft until submitted; it is changed, submitted or withdrawn only while the round is open, and only for an
association that is active in the directory.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum

from bookings.domain.allocation_model import WEEKDAYS, AgeGroup, Weights
from shared.errors import Conflict, InvalidInput
from shared.localtime import local_date

MAX_WISHES = 50


class SeasonRoundState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PROPOSED = "proposed"
    PUBLISHED = "published"


@dataclass
class SeasonRound:
    id: uuid.UUID
    department_code: str
    name: str
    opens_at: datetime  # UTC; given as Helsinki local times
    closes_at: datetime
    season_starts_on: date  # the season's first and last day (local dates)
    season_ends_on: date
    facility_ids: list[uuid.UUID] = field(default_factory=list)
    principles: str = ""
    principles_version: int = 1
    free_use: bool = False
    weights: Weights = field(default_factory=Weights)  # the principles as numbers the proposal weighs by
    state: SeasonRoundState = SeasonRoundState.DRAFT
    opened_principles_version: int | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self) -> None:
        if not self.name.strip():
            raise InvalidInput("Name the round.", field="name")
        if self.closes_at <= self.opens_at:
            raise InvalidInput("The application period closes after it opens.", field="closes_at")
        if self.season_ends_on < self.season_starts_on:
            raise InvalidInput("The season's last day is on or after its first.", field="season_ends_on")
        if self.season_starts_on <= local_date(self.closes_at):
            raise InvalidInput("The season starts after the application period.", field="season_starts_on")
        if len(set(self.facility_ids)) != len(self.facility_ids):
            raise InvalidInput("A facility is named twice.", field="facility_ids")

    def ensure_editable(self) -> None:
        if self.state is not SeasonRoundState.DRAFT:
            raise Conflict(f"Only a draft round can be changed; this one is {self.state.value}.")

    def change_principles(self, text: str) -> bool:
        """A new version when the text changes; True when it did."""
        if text == self.principles:
            return False
        self.principles, self.principles_version = text, self.principles_version + 1
        return True

    def change_weights(self, weights: Weights) -> None:
        """New weights for the next proposal; staff may tune them until the round is published."""
        if self.state is SeasonRoundState.PUBLISHED:
            raise Conflict("The round is published; its weights are no longer changed.", field="round_id")
        weights.validate()
        self.weights = weights

    def open(self, now: datetime) -> None:
        """Open for applications: by itself at ``opens_at``, or earlier by hand (the period then starts now)."""
        if self.state is not SeasonRoundState.DRAFT:
            raise Conflict(f"Only a draft round can open; this one is {self.state.value}.")
        if not self.facility_ids:
            raise InvalidInput("Name the round's facilities before it opens.", field="facility_ids")
        if self.closes_at <= now:
            raise InvalidInput("The application period is already over.", field="closes_at")
        self.state, self.opened_at = SeasonRoundState.OPEN, now
        self.opens_at = min(self.opens_at, now)
        self.opened_principles_version = self.principles_version

    def close(self, now: datetime) -> None:
        """Close the application period: by itself at ``closes_at``, or earlier by hand."""
        if self.state is not SeasonRoundState.OPEN:
            raise Conflict(f"Only an open round can close; this one is {self.state.value}.")
        self.state, self.closed_at = SeasonRoundState.CLOSED, now
        self.closes_at = min(self.closes_at, now)

    def propose(self) -> None:
        """A computed allocation proposal is kept with the round (computing again replaces it)."""
        if self.state not in (SeasonRoundState.CLOSED, SeasonRoundState.PROPOSED):
            raise Conflict(f"A proposal is made after the application period; this round is {self.state.value}.")
        self.state = SeasonRoundState.PROPOSED

    def publish(self) -> bool:
        """Publish the allocation (the proposal as staff adjusted it); False when it already was."""
        if self.state is SeasonRoundState.PUBLISHED:
            return False
        if self.state is not SeasonRoundState.PROPOSED:
            raise Conflict(f"A round is published after its proposal is computed; this one is {self.state.value}.")
        self.state = SeasonRoundState.PUBLISHED
        return True

    def accepts_applications(self, now: datetime) -> bool:
        return self.state is SeasonRoundState.OPEN and self.opens_at <= now < self.closes_at

    def ensure_accepts_applications(self, now: datetime) -> None:
        if not self.accepts_applications(now):
            raise Conflict("The round does not take applications now: its application period is not open.")


@dataclass(frozen=True)
class Wish:
    """One regular weekly slot an association asks for; ``priority`` 1 is the one it wants most."""

    id: uuid.UUID
    priority: int
    weekdays: tuple[str, ...]  # mon … sun: the days it could have the slot on
    earliest: time  # the slot starts at or after this …
    latest: time  # … and ends by this (local wall-clock times)
    duration_minutes: int
    weekly_count: int = 1  # slots a week, each on a different day
    facility_id: uuid.UUID | None = None
    facility_kind: str | None = None  # any facility of the round with this purpose
    age_group: AgeGroup = AgeGroup.ADULTS
    participants: int = 1
    purpose: str = ""

    @staticmethod
    def minutes(t: time) -> int:
        return t.hour * 60 + t.minute

    def validate(self, index: int, facility_ids: list[uuid.UUID]) -> None:
        at = f"wishes.{index}"
        if (self.facility_id is None) == (self.facility_kind is None):
            raise InvalidInput("Name either a facility or a kind of facility.", field=f"{at}.facility_id")
        if self.facility_id is not None and self.facility_id not in facility_ids:
            raise InvalidInput("The facility is not in this round.", field=f"{at}.facility_id")
        if not self.weekdays or any(d not in WEEKDAYS for d in self.weekdays):
            raise InvalidInput("Name the weekdays (mon … sun).", field=f"{at}.weekdays")
        if len(set(self.weekdays)) != len(self.weekdays):
            raise InvalidInput("A weekday is named twice.", field=f"{at}.weekdays")
        span = self.minutes(self.latest) - self.minutes(self.earliest)
        if span <= 0:
            raise InvalidInput("The latest end is after the earliest start.", field=f"{at}.latest")
        if not 0 < self.duration_minutes <= span:
            raise InvalidInput(
                "The slot fits between the earliest start and latest end.", field=f"{at}.duration_minutes"
            )
        if not 1 <= self.weekly_count <= len(self.weekdays):
            raise InvalidInput("At most one slot a day on the days named.", field=f"{at}.weekly_count")
        if self.participants < 1:
            raise InvalidInput("At least one participant.", field=f"{at}.participants")


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


@dataclass
class SeasonApplication:
    id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    wishes: list[Wish] = field(default_factory=list)
    state: ApplicationState = ApplicationState.DRAFT
    submitted_at: datetime | None = None
    withdrawn_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def replace_wishes(self, wishes: list[Wish], round_: SeasonRound, now: datetime) -> None:
        """The wishes in priority order; only a draft's, while the round is open."""
        round_.ensure_accepts_applications(now)
        if self.state is not ApplicationState.DRAFT:
            raise Conflict(f"Only a draft application can be changed; this one is {self.state.value}.")
        if len(wishes) > MAX_WISHES:
            raise InvalidInput(f"At most {MAX_WISHES} wishes.", field="wishes")
        for index, wish in enumerate(wishes):
            wish.validate(index, round_.facility_ids)
        self.wishes = [replace(w, priority=i + 1) for i, w in enumerate(wishes)]

    def submit(self, round_: SeasonRound, now: datetime) -> None:
        round_.ensure_accepts_applications(now)
        if self.state is not ApplicationState.DRAFT:
            raise Conflict(f"Only a draft application can be submitted; this one is {self.state.value}.")
        if not self.wishes:
            raise InvalidInput("Add at least one wish before submitting.", field="wishes")
        self.state, self.submitted_at = ApplicationState.SUBMITTED, now

    def withdraw(self, round_: SeasonRound, now: datetime) -> None:
        round_.ensure_accepts_applications(now)
        if self.state is ApplicationState.WITHDRAWN:
            raise Conflict("The application is already withdrawn.")
        self.state, self.withdrawn_at = ApplicationState.WITHDRAWN, now
