"""The realisation view's JSON: each planned entry with its outcome and what actually happened."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from calendar_service.domain.annual_clock import Category
from calendar_service.domain.realisation import Actual, Outcome, Realisation


class ActualRead(BaseModel):
    kind: str = Field(description="grant_round, newsletter or event")
    source_id: uuid.UUID
    category: Category
    title_fi: str
    starts_on: date
    ends_on: date
    registrations: int | None = Field(description="Confirmed registrations (events only).")
    participants: int | None = Field(description="Their participants (events only).")


class PlannedOutcomeRead(BaseModel):
    clock_entry_id: uuid.UUID
    category: Category
    title_fi: str
    planned_starts_on: date
    planned_ends_on: date
    outcome: Outcome
    actual: ActualRead | None = Field(description="What realised it; its dates are the actual ones.")


class RealisationTotals(BaseModel):
    planned: int
    realised: int
    moved: int
    not_realised: int
    pending: int
    not_tracked: int
    events_held: int
    confirmed_registrations: int
    participants: int
    rounds_opened: int
    newsletters_sent: int


class RealisationRead(BaseModel):
    year: int
    entries: list[PlannedOutcomeRead]
    unplanned: list[ActualRead] = Field(description="What happened without a planned entry of its own.")
    totals: RealisationTotals


def _actual(a: Actual) -> ActualRead:
    return ActualRead(
        kind=a.kind, source_id=a.source_id, category=a.category, title_fi=a.title_fi, starts_on=a.starts_on,
        ends_on=a.ends_on, registrations=a.registrations, participants=a.participants,
    )  # fmt: skip


def read_realisation(r: Realisation) -> RealisationRead:
    events = r.happened("event")
    totals = RealisationTotals(
        planned=len(r.entries),
        **{o.value: r.count(o) for o in Outcome},
        events_held=len(events),
        confirmed_registrations=sum(a.registrations or 0 for a in events),
        participants=sum(a.participants or 0 for a in events),
        rounds_opened=len(r.happened("grant_round")),
        newsletters_sent=len(r.happened("newsletter")),
    )
    entries = [
        PlannedOutcomeRead(
            clock_entry_id=e.planned.clock_entry_id,
            category=e.planned.category,
            title_fi=e.planned.title_fi,
            planned_starts_on=e.planned.starts_on,
            planned_ends_on=e.planned.ends_on,
            outcome=e.outcome,
            actual=_actual(e.actual) if e.actual else None,
        )
        for e in r.entries
    ]
    return RealisationRead(year=r.year, entries=entries, unplanned=[_actual(a) for a in r.unplanned], totals=totals)
