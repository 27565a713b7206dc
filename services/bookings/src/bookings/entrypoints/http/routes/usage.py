"""Usage figures for the programme's yearly report: hours per facility and month, free and rented."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from bookings.domain.reporting import Month, UsageFigures
from bookings.entrypoints.http.deps import Uow
from bookings.entrypoints.http.report_schemas import MonthUsageRead, UsageFiguresRead, UsageRead, UsageReportRead
from bookings.entrypoints.http.routes.invoicing import DEPARTMENT_CODE
from bookings.service_layer import reports
from shared.http.security import Staff

router = APIRouter(tags=["usage"])


@router.get("/usage", response_model=UsageReportRead)
async def usage(
    uow: Uow,
    actor: Staff,
    year: Annotated[int, Query(ge=2000, le=2100)],
    department: Annotated[str | None, Query(pattern=DEPARTMENT_CODE, description="One department's premises.")] = None,
) -> UsageReportRead:
    """Hours associations held the premises per facility and Helsinki local month, free and rented, with the
    totals per facility, per month and of all; aggregates only, for the programme's yearly report. Counts the
    occurrences of confirmed bookings (not staff blocks, not cancelled ones)."""
    report = await reports.usage_report(uow, actor=actor, year=year, department_code=department)
    return UsageReportRead(
        year=report.year,
        department_code=report.department_code,
        facilities=[
            UsageRead(
                facility_id=f.facility_id,
                facility_name=f.facility_name,
                department_code=f.department_code,
                months=[_month(report.year, m, figures) for m, figures in f.months.items()],
                total=UsageFiguresRead.of(f.total),
            )
            for f in report.facilities
        ],
        months=[_month(report.year, m, figures) for m, figures in report.months.items()],
        total=UsageFiguresRead.of(report.total),
    )


def _month(year: int, month: int, figures: UsageFigures) -> MonthUsageRead:
    return MonthUsageRead(month=str(Month(year, month)), **UsageFiguresRead.of(figures).model_dump())
