"""Reports read off bookings: a department's invoicing basis for a month, and the year's usage figures.

The invoicing basis names the booking associations (public facts) but never a person: a private person's name
is not kept in bookings. The usage figures are aggregates only, with no booker at all.
"""

from __future__ import annotations

from datetime import date, datetime, time

from bookings.domain.reporting import FacilityUsage, InvoiceLine, Month, UsageFigures, UsageReport
from bookings.service_layer.access import manages
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, NotFound
from shared.localtime import local_moment


async def invoicing_basis(
    uow: BookingsUnitOfWork, *, actor: Principal, department_code: str, month: Month
) -> list[InvoiceLine]:
    """The month's charged occurrences of the department's premises, for its staff (and admins)."""
    if not manages(actor, department_code):
        raise Forbidden("Only the department's own staff read its invoicing basis.")
    async with uow:
        if not await uow.departments.known(department_code):
            raise NotFound("No such department.")
        return await uow.reports.invoice_lines(
            department_code, _midnight(month.first_day), _midnight(month.next_first_day)
        )


async def usage_report(
    uow: BookingsUnitOfWork, *, actor: Principal, year: int, department_code: str | None
) -> UsageReport:
    """Hours associations held the premises per facility and local month, free and rented, with the totals.
    Any staff member may read them (aggregates only); months and facilities without use are left out."""
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff read the usage figures.")
    async with uow:
        found = await uow.reports.usage(_midnight(date(year, 1, 1)), _midnight(date(year + 1, 1, 1)), department_code)
    facilities: dict[object, FacilityUsage] = {}
    months: dict[int, UsageFigures] = {}
    total = UsageFigures()
    for where, month, figures in found:
        if where is None:
            if month is None:
                total = figures
            else:
                months[month] = figures
            continue
        key = where["facility_id"]
        usage = facilities.setdefault(key, FacilityUsage(**where, total=UsageFigures()))
        if month is None:
            facilities[key] = FacilityUsage(**where, total=figures, months=usage.months)
        else:
            usage.months[month] = figures
    ordered = [
        FacilityUsage(u.facility_id, u.facility_name, u.department_code, u.total, dict(sorted(u.months.items())))
        for u in sorted(facilities.values(), key=lambda u: (u.department_code, u.facility_name, str(u.facility_id)))
    ]
    return UsageReport(year, department_code, ordered, dict(sorted(months.items())), total)


def _midnight(day: date) -> datetime:
    return local_moment(day, time(0))
