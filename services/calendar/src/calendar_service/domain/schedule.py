"""The detailed schedule of a year: the annual clock's planned entries, and the real dates other services'
events (and the calendar's own events) give.

Every entry has an id that follows from its source, so a source never makes two entries however often or in
whatever order its events arrive: a planned entry is ``(clock entry, year)``, a dated one ``(kind, source id)``
(a grant round, its usage-report deadline, one grantee's usage report, a partnership discussion, a newsletter
issue, an event for associations). A changed date moves the entry; an older event never undoes a newer one
(the writes are guarded by the events' order, ``shared.copies``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from calendar_service.domain.annual_clock import Audience, Category, ClockEntry

_IDS = uuid.UUID("0d6f0c51-3b52-4f0e-9b0e-6c7a3f1e2a90")


class SourceKind(StrEnum):
    CLOCK = "clock"  # planned from the annual clock
    GRANT_ROUND = "grant_round"  # an application period (grants)
    ROUND_USAGE_DEADLINE = "round_usage_deadline"  # a round's deadline for usage reports (grants)
    ROUND_DECISION_DEADLINE = "round_decision_deadline"
    USAGE_REPORT = "usage_report"  # one grantee's report (grants): the association's own
    PARTNERSHIP_DISCUSSION = "partnership_discussion"  # one partner's yearly discussion (grants)
    NEWSLETTER = "newsletter"  # an issue of Yhdistysuutiset (notifier)
    EVENT = "event"  # an event for associations (the calendar's own)


class EntryState(StrEnum):
    PLANNED = "planned"  # from the clock, before a real date exists
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    DONE = "done"
    CANCELLED = "cancelled"


CATEGORY_OF = {
    SourceKind.GRANT_ROUND: Category.GRANT_APPLICATION,
    SourceKind.ROUND_USAGE_DEADLINE: Category.USAGE_REPORT,
    SourceKind.ROUND_DECISION_DEADLINE: Category.GRANT_APPLICATION,
    SourceKind.USAGE_REPORT: Category.USAGE_REPORT,
    SourceKind.PARTNERSHIP_DISCUSSION: Category.PARTNERSHIP_DISCUSSION,
    SourceKind.NEWSLETTER: Category.NEWSLETTER,
    SourceKind.EVENT: Category.EVENT,
}

TITLE_FI = {
    SourceKind.GRANT_ROUND: "Avustushaku",
    SourceKind.ROUND_USAGE_DEADLINE: "Käyttöselvitysten määräaika",
    SourceKind.ROUND_DECISION_DEADLINE: "Avustuspäätökset viimeistään",
    SourceKind.USAGE_REPORT: "Käyttöselvitys palautettava",
    SourceKind.PARTNERSHIP_DISCUSSION: "Kumppanuuskeskustelu",
    SourceKind.NEWSLETTER: "Yhdistysuutiset",
    SourceKind.EVENT: "Tilaisuus",
}


def entry_id(kind: SourceKind, source_id: uuid.UUID, year: int | None = None) -> uuid.UUID:
    """The one id an entry of this source has: the same event twice, or late, finds the same row."""
    return uuid.uuid5(_IDS, f"{kind.value}:{source_id}" + (f":{year}" if year is not None else ""))


@dataclass
class ScheduleEntry:
    """A row of the schedule. ``starts_on`` is None while only a status event of its source has arrived (its
    dates are not known yet): such an entry is not shown. ``association_id`` makes it one association's own."""

    id: uuid.UUID
    kind: SourceKind
    source_id: uuid.UUID
    year: int | None
    category: Category | None
    audience: Audience | None
    title_fi: str | None
    starts_on: date | None
    ends_on: date | None
    state: EntryState | None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title_sv: str | None = None
    title_en: str | None = None
    description_fi: str | None = None
    clock_entry_id: uuid.UUID | None = None
    programme_id: uuid.UUID | None = None
    association_id: uuid.UUID | None = None
    facility_id: uuid.UUID | None = None
    address: str | None = None
    online_url: str | None = None
    revision: int = 0

    @property
    def public(self) -> bool:
        return self.association_id is None and self.audience is not Audience.STAFF


def planned_for(entry: ClockEntry, year: int) -> dict[str, object]:
    """The planned schedule entry a clock entry gives ``year``: its whole record, for an upsert."""
    starts_on, ends_on = entry.rule.dates_in(year)
    return {
        "kind": SourceKind.CLOCK.value,
        "source_id": entry.id,
        "year": year,
        "category": entry.category.value,
        "audience": entry.audience.value,
        "title_fi": entry.title_fi,
        "title_sv": entry.title_sv,
        "title_en": entry.title_en,
        "description_fi": entry.description_fi,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "clock_entry_id": entry.id,
        "state": EntryState.PLANNED.value,
    }


def days_apart(day: date, starts_on: date, ends_on: date) -> int:
    """How many days ``day`` lies outside the period (0 inside it)."""
    if day < starts_on:
        return (starts_on - day).days
    return max(0, (day - ends_on).days)


def nearest_clock_entry(entries: list[ClockEntry], category: Category, day: date) -> ClockEntry | None:
    """The clock entry of ``category`` whose date in ``day``'s year lies nearest ``day`` (ties: the shorter, then
    the earlier one).

    It depends only on the clock, never on other issues, so events in any order give the same match.
    """
    candidates = [e for e in entries if e.category is category]
    if not candidates:
        return None

    def distance(entry: ClockEntry) -> tuple[int, int, date, str]:
        starts_on, ends_on = entry.rule.dates_in(day.year)
        return days_apart(day, starts_on, ends_on), (ends_on - starts_on).days, starts_on, str(entry.id)

    return min(candidates, key=distance)
