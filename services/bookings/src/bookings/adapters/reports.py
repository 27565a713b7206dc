"""Read-only queries over bookings for the city's reports: a month's invoicing basis, a year's usage figures.

Both count occurrences by their start, in Helsinki local time, and leave out the city's own staff blocks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, or_, select, tuple_

from bookings.adapters.tables import applicant, booking, facility, occurrence
from bookings.domain.reporting import InvoiceLine, UsageFigures
from shared.db import Session

HELSINKI = "Europe/Helsinki"


class ReportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    async def invoice_lines(self, department_code: str, starts_at: datetime, ends_at: datetime) -> list[InvoiceLine]:
        """The department's occurrences starting in ``starts_at``–``ends_at`` that are charged for: active ones of
        confirmed bookings, and those a booker cancelled too late after the booking was confirmed (``decided_at``
        is set only by a confirmation or a rejection, and a rejected booking cannot be cancelled)."""
        o, b, f, a = occurrence, booking, facility, applicant
        took_place = and_(b.c.state == "confirmed", o.c.active)
        charged_anyway = and_(o.c.late_cancellation, b.c.decided_at.is_not(None), b.c.state != "rejected")
        query = (
            select(
                o.c.booking_id,
                o.c.id.label("occurrence_id"),
                b.c.applicant_id.label("booker_id"),
                a.c.name.label("booker_name"),
                b.c.applicant_kind.label("booker_kind"),
                f.c.id.label("facility_id"),
                f.c.name.label("facility_name"),
                o.c.starts_at,
                o.c.ends_at,
                o.c.price_cents,
                b.c.free_use_reason,
                o.c.late_cancellation,
            )
            .select_from(
                o.join(b, b.c.id == o.c.booking_id)
                .join(f, f.c.id == o.c.facility_id)
                .outerjoin(a, a.c.id == b.c.applicant_id)
            )
            .where(
                b.c.department_code == department_code,
                b.c.kind != "block",
                o.c.starts_at >= starts_at,
                o.c.starts_at < ends_at,
                or_(took_place, charged_anyway),
            )
            .order_by(o.c.starts_at, f.c.name, o.c.id)
        )
        return [InvoiceLine(**row) for row in (await self.session.execute(query)).mappings()]

    async def usage(
        self, starts_at: datetime, ends_at: datetime, department_code: str | None
    ) -> list[tuple[dict[str, Any] | None, int | None, UsageFigures]]:
        """Associations' minutes per facility and local month, with the totals per facility, per month and of
        all (``GROUPING SETS``): ``(facility or None, month or None, figures)``. Active occurrences of confirmed
        bookings only: the time was used."""
        o, b, f = occurrence, booking, facility
        month = cast(func.extract("month", func.timezone(HELSINKI, o.c.starts_at)), Integer)
        minutes = func.extract("epoch", o.c.ends_at - o.c.starts_at) / 60
        free = b.c.free_use_reason.is_not(None)
        query = (
            select(
                f.c.id.label("facility_id"),
                f.c.name.label("facility_name"),
                f.c.department_code,
                month.label("month"),
                func.grouping(f.c.id).label("all_facilities"),
                func.grouping(month).label("all_months"),
                func.coalesce(func.sum(case((free, minutes), else_=0)), 0).label("free_minutes"),
                func.coalesce(func.sum(case((free, 0), else_=minutes)), 0).label("rented_minutes"),
                func.coalesce(func.sum(case((free, 0), else_=o.c.price_cents)), 0).label("rent_cents"),
            )
            .select_from(o.join(b, b.c.id == o.c.booking_id).join(f, f.c.id == o.c.facility_id))
            .where(
                b.c.kind != "block",
                b.c.state == "confirmed",
                o.c.active,
                o.c.starts_at >= starts_at,
                o.c.starts_at < ends_at,
            )
        )
        if department_code is not None:
            query = query.where(b.c.department_code == department_code)
        query = query.group_by(
            func.grouping_sets(
                tuple_(f.c.id, f.c.name, f.c.department_code, month),
                tuple_(f.c.id, f.c.name, f.c.department_code),
                tuple_(month),
                tuple_(),
            )
        )
        found = []
        for row in (await self.session.execute(query)).mappings():
            figures = UsageFigures(
                free_minutes=int(row["free_minutes"]),
                rented_minutes=int(row["rented_minutes"]),
                rent_cents=int(row["rent_cents"]),
            )
            where = (
                None
                if row["all_facilities"]
                else {k: row[k] for k in ("facility_id", "facility_name", "department_code")}
            )
            found.append((where, None if row["all_months"] else int(row["month"]), figures))
        return found
