"""Partnership agreements (kumppanuussopimukset), the calls that open them for application, and the yearly
partnership discussions (kumppanuuskeskustelut) held during their term.

An agreement moves proposed -> in_preparation -> approved -> active (signed) -> ended. Until it is signed it
may be rejected. The department of the agreement's domain prepares it; the proposing association may change
its proposal until the department starts preparing it.

A term is whole local dates: ``starts_on`` is its first day and ``ends_on`` its last. A year of a term runs
from an anniversary of ``starts_on`` to the day before the next one. The anniversary of 29 February is
28 February in a common year (the last day of the month, as the Finnish Act on the Calculation of Time
Limits counts).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from grants.domain.premises import PremisesTerms
from shared.errors import Conflict, InvalidInput
from shared.localtime import local_date

SHORTEST_TERM_YEARS, LONGEST_TERM_YEARS = 1, 5
# A last stretch of the term shorter than this is discussed together with the agreement-year before it.
SHORTEST_DISCUSSED_STRETCH = timedelta(days=183)
MAX_RESPONSIBLE_PERSONS = 10


class AgreementState(StrEnum):
    PROPOSED = "proposed"
    IN_PREPARATION = "in_preparation"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    ENDED = "ended"


class Initiative(StrEnum):
    """Who took the initiative: city staff, an elected official (recorded by staff), the association, or the
    association applied to a call the city board announced."""

    CITY_STAFF = "city_staff"
    ELECTED_OFFICIAL = "elected_official"
    ASSOCIATION = "association"
    CALL = "call"


def add_years(day: date, years: int) -> date:
    """The anniversary ``years`` on; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validate_term(starts_on: date, ends_on: date) -> None:
    """A term runs one to five years: ``ends_on`` is its last day."""
    if ends_on <= starts_on:
        raise InvalidInput("The agreement ends after it starts.", field="ends_on")
    shortest = add_years(starts_on, SHORTEST_TERM_YEARS) - timedelta(days=1)
    longest = add_years(starts_on, LONGEST_TERM_YEARS) - timedelta(days=1)
    if ends_on < shortest:
        raise InvalidInput(f"An agreement runs at least a year: until {shortest} or later.", field="ends_on")
    if ends_on > longest:
        raise InvalidInput(f"An agreement runs at most five years: until {longest} at the latest.", field="ends_on")


def discussion_due_dates(starts_on: date, ends_on: date) -> list[date]:
    """One partnership discussion per agreement-year, due by that year's last day; the last one by the term's
    last day. A final stretch shorter than half a year has no discussion of its own: the year before it is
    then discussed by the end of the term."""
    due: list[date] = []
    years = 1
    while (year_end := add_years(starts_on, years) - timedelta(days=1)) < ends_on:
        due.append(year_end)
        years += 1
    if due and ends_on - due[-1] < SHORTEST_DISCUSSED_STRETCH:
        due.pop()
    return [*due, ends_on]


@dataclass
class PartnershipCall:
    """Partnership agreements the city board opened for application until ``closes_at``."""

    id: uuid.UUID
    department_code: str
    title: str
    closes_at: datetime
    created_by: str
    description: str = ""
    fields_of_activity: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self, now: datetime) -> None:
        self.title = self.title.strip()
        if not self.title:
            raise InvalidInput("The call needs a title.", field="title")
        self.fields_of_activity = list(dict.fromkeys(f.strip().lower() for f in self.fields_of_activity if f.strip()))
        if self.closes_at <= now:
            raise InvalidInput("The call closes in the future.", field="closes_at")

    def accepts_applications(self, now: datetime) -> bool:
        return now < self.closes_at

    def ensure_open(self, now: datetime) -> None:
        if not self.accepts_applications(now):
            raise Conflict("The call is closed: applications are no longer accepted.", field="call_id")


@dataclass
class Agreement:
    id: uuid.UUID
    applicant_id: uuid.UUID
    department_code: str
    initiative: Initiative
    title: str
    created_by: str
    goals: str = ""
    call_id: uuid.UUID | None = None
    state: AgreementState = AgreementState.PROPOSED
    starts_on: date | None = None
    ends_on: date | None = None
    responsible_liaison_ids: list[uuid.UUID] = field(default_factory=list)
    premises: PremisesTerms | None = None  # None: the agreement says nothing of the department's premises
    signed_at: datetime | None = None
    ended_at: datetime | None = None
    rejection_reason: str | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    # What may still change, by whom: the association its proposal; the department while preparing; the
    # responsible persons (people change jobs) as long as the agreement lives. The premises terms are the
    # department's to set.
    PARTNER_EDITS = frozenset({"title", "goals", "starts_on", "ends_on"})
    PREPARATION_EDITS = PARTNER_EDITS | {"responsible_liaison_ids", "department_code", "premises"}
    LIVING_EDITS = frozenset({"responsible_liaison_ids"})

    @property
    def is_public(self) -> bool:
        """Valid (signed, not ended) agreements are published; everything else is the parties' own."""
        return self.state is AgreementState.ACTIVE

    @property
    def ended_on(self) -> date | None:
        """The last day in force: the term's end, or the day it was ended early."""
        if self.ended_at is None or self.ends_on is None:
            return None
        return min(local_date(self.ended_at), self.ends_on)

    @property
    def discussion_due_dates(self) -> list[date]:
        """The yearly discussions owed since signing (years already over when signed owe none), until it ended."""
        if self.signed_at is None or self.starts_on is None or self.ends_on is None:
            return []
        signed_on, last = local_date(self.signed_at), self.ended_on or self.ends_on
        due = discussion_due_dates(self.starts_on, self.ends_on)
        return [d for d in due if signed_on <= d <= last]

    def premises_on(self, day: date) -> PremisesTerms | None:
        """The premises terms in force on ``day``: they apply for the agreement's own term once it is signed,
        until its last day (or the day it was ended early)."""
        if self.premises is None or self.signed_at is None or self.starts_on is None or self.ends_on is None:
            return None
        return self.premises if self.starts_on <= day <= (self.ended_on or self.ends_on) else None

    def discussion_year_starts_on(self, due_on: date) -> date:
        """The first day of the agreement-year whose discussion is due on ``due_on``."""
        assert self.starts_on is not None and self.ends_on is not None
        earlier = [d for d in discussion_due_dates(self.starts_on, self.ends_on) if d < due_on]
        return earlier[-1] + timedelta(days=1) if earlier else self.starts_on

    def validate(self) -> None:
        self.title, self.goals = self.title.strip(), self.goals.strip()
        if not self.title:
            raise InvalidInput("The agreement needs a title.", field="title")
        if (self.initiative is Initiative.CALL) != (self.call_id is not None):
            raise InvalidInput("An application to a call names the call, and only then.", field="call_id")
        self.responsible_liaison_ids = list(dict.fromkeys(self.responsible_liaison_ids))
        if len(self.responsible_liaison_ids) > MAX_RESPONSIBLE_PERSONS:
            raise InvalidInput("Name at most ten responsible persons.", field="responsible_liaison_ids")
        if self.starts_on is not None and self.ends_on is not None:
            validate_term(self.starts_on, self.ends_on)
        if self.premises is not None:
            self.premises = PremisesTerms.of(self.premises)
            self.premises.validate()

    def change(self, changes: dict[str, object], *, by_department: bool) -> None:
        if by_department:
            allowed = {
                AgreementState.PROPOSED: self.PREPARATION_EDITS,
                AgreementState.IN_PREPARATION: self.PREPARATION_EDITS,
                AgreementState.APPROVED: self.LIVING_EDITS,
                AgreementState.ACTIVE: self.LIVING_EDITS,
            }.get(self.state, frozenset())
        elif self.state is not AgreementState.PROPOSED:
            raise Conflict("The association changes its proposal only until the department starts preparing it.")
        else:
            allowed = self.PARTNER_EDITS
        for name in sorted(set(changes) - allowed):
            who = "the department" if by_department else "the association"
            raise Conflict(f"{name} of a {self.state.value} agreement cannot be changed by {who}.", field=name)
        for name, value in changes.items():
            setattr(self, name, value)
        self.validate()
        self.version += 1

    def _move(self, to: AgreementState, *sources: AgreementState, check: Callable[[], None] | None = None) -> None:
        if self.state not in sources:
            raise Conflict(f"A {self.state.value} agreement cannot become {to.value}.")
        if check is not None:
            check()
        self.state = to
        self.version += 1

    def start_preparation(self) -> None:
        self._move(AgreementState.IN_PREPARATION, AgreementState.PROPOSED)

    def approve(self) -> None:
        self._move(AgreementState.APPROVED, AgreementState.IN_PREPARATION, check=self._ensure_complete)

    def reject(self, reason: str = "") -> None:
        """The proposal is not taken further; the reason is the association's to read."""

        def check() -> None:
            if not reason.strip():
                raise InvalidInput("Tell the association why the proposal is not taken further.", field="reason")

        sources = (AgreementState.PROPOSED, AgreementState.IN_PREPARATION, AgreementState.APPROVED)
        self._move(AgreementState.REJECTED, *sources, check=check)
        self.rejection_reason = reason.strip()

    def sign(self, *, now: datetime, starts_on: date | None = None, ends_on: date | None = None) -> None:
        """Both parties signed: the agreement is in force for its term (which signing may still fix)."""

        def check() -> None:
            self.starts_on, self.ends_on = starts_on or self.starts_on, ends_on or self.ends_on
            if self.starts_on is None or self.ends_on is None:
                raise InvalidInput("Give the agreement's term before signing it.", field=self._missing_term())
            validate_term(self.starts_on, self.ends_on)
            if self.ends_on < local_date(now):
                raise InvalidInput("The term is already over.", field="ends_on")
            self._ensure_complete()

        self._move(AgreementState.ACTIVE, AgreementState.APPROVED, check=check)
        self.signed_at = now

    def end(self, *, now: datetime) -> None:
        """The term is over, or the department ended the agreement early."""
        self._move(AgreementState.ENDED, AgreementState.ACTIVE)
        self.ended_at = now

    def _missing_term(self) -> str:
        return "starts_on" if self.starts_on is None else "ends_on"

    def _ensure_complete(self) -> None:
        if not self.goals:
            raise Conflict("Write the agreement's goals first.", field="goals")
        if not self.responsible_liaison_ids:
            raise Conflict("Name the city's responsible persons first.", field="responsible_liaison_ids")


@dataclass(frozen=True)
class AgreedAction:
    """Something the partners agreed to do: what, who sees to it, and by when."""

    action: str
    owner: str
    due_on: date | None = None


@dataclass
class Discussion:
    """One agreement-year's partnership discussion: due by ``due_on``, recorded once held."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    due_on: date
    held_on: date | None = None
    notes: str | None = None
    agreed_actions: list[AgreedAction] = field(default_factory=list)
    due_notice_sent_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def record(self, *, held_on: date, today: date, year_starts_on: date) -> None:
        """Check a held discussion (its notes and actions already set). It counts for its agreement-year once
        that year has begun; held later, it still counts for it."""
        if held_on > today:
            raise InvalidInput("Record a discussion once it has been held.", field="held_on")
        if held_on < year_starts_on:
            raise InvalidInput(
                f"This agreement-year began on {year_starts_on}: its discussion is held after that.", field="held_on"
            )
        self.held_on = held_on
        self.notes = (self.notes or "").strip() or None
        cleaned = [AgreedAction(a.action.strip(), a.owner.strip(), a.due_on) for a in self.agreed_actions]
        for i, action in enumerate(cleaned):
            if not action.action or not action.owner:
                raise InvalidInput("Say what was agreed and who sees to it.", field=f"agreed_actions.{i}")
            if action.due_on is not None and action.due_on < held_on:
                raise InvalidInput("An agreed action is due after the discussion.", field=f"agreed_actions.{i}.due_on")
        self.agreed_actions = cleaned
