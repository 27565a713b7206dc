"""The yearly realisation summary (toteuma) for the financial statement (tilinpäätös), per programme.

For each programme with a round in the year: the appropriation, what was granted (published decisions of
more than zero euros) and how many grants, and what the grantees reported spending. ``reported_cents``
counts accepted reports only: those are the figures the department has checked and stands behind; money in
reports still awaiting review is shown beside it (``awaiting_review_cents``), and reports sent back for
changes count in neither.

The summary is public like the financial statement: amounts and counts per programme, never who received
what or who is late. Overdue counts are as of the day the summary is read (``as_of``, a Helsinki date).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date

from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.errors import NotFound


@dataclass(frozen=True)
class Figures:
    """Sums and counts that add up across programmes."""

    appropriation_cents: int
    granted_cents: int  # published decisions
    grants: int  # published decisions of more than zero euros
    reported_cents: int  # spent according to accepted reports
    awaiting_review_cents: int  # spent according to reports submitted but not yet reviewed
    reports: int  # report obligations (one per grant)
    reports_submitted: int  # received at least once, in time or late
    reports_accepted: int
    reports_late: int  # first submitted after the local due date
    reports_overdue: int  # still owed after the due date, as of the summary's date

    @classmethod
    def total(cls, rows: list[Figures]) -> Figures:
        return cls(**{f.name: sum(getattr(r, f.name) for r in rows) for f in fields(cls)})


@dataclass(frozen=True)
class ProgrammeRealisation(Figures):
    programme_id: uuid.UUID
    programme_name: str
    programme_kind: str
    department_code: str
    round_id: uuid.UUID
    round_state: str


@dataclass(frozen=True)
class Realisation:
    year: int
    as_of: date
    programmes: list[ProgrammeRealisation]

    @property
    def totals(self) -> Figures:
        return Figures.total(list(self.programmes))


async def realisation(
    uow: GrantsUnitOfWork, *, year: int, today: date, programme_id: uuid.UUID | None = None
) -> Realisation:
    """The summary of ``year``: every programme, or the one asked for (which must exist)."""
    async with uow:
        if programme_id is not None and await uow.programmes.get(programme_id) is None:
            raise NotFound("No such programme.", field="programme_id")
        rows = await uow.usage_reports.realisation(year=year, today=today, programme_id=programme_id)
    return Realisation(year=year, as_of=today, programmes=[ProgrammeRealisation(**row) for row in rows])
