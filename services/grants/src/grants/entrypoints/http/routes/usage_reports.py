"""/usage-reports: grantees report how they used the money; the programme's department reviews.
/realisation/{year}: the public yearly summary for the financial statement, as JSON or CSV.

Every transition is a POST with an ``Idempotency-Key``: a retried request gets the first answer, not a 409.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse, Response

from grants.domain.usage_report import UsageReport, UsageReportState
from grants.entrypoints.http.deps import Now, Uow
from grants.entrypoints.http.schemas.common import read
from grants.entrypoints.http.schemas.usage_reports import (
    ProgrammeRealisationRead,
    RealisationRead,
    RealisationTotals,
    UsageReportChangesRequest,
    UsageReportRead,
    UsageReportSubmit,
)
from grants.service_layer import realisation as realisation_
from grants.service_layer import usage_reports
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import SignedIn, Staff
from shared.localtime import local_date

router = APIRouter(tags=["usage-reports"])


def _read(report: UsageReport, now: datetime) -> UsageReportRead:
    derived = {"late": report.late, "overdue": report.is_overdue(local_date(now))}
    return UsageReportRead.model_validate(dataclasses.asdict(report) | derived)


def _reader(now: datetime) -> Callable[[UsageReport], UsageReportRead]:
    return lambda report: _read(report, now)


@router.get("/usage-reports", response_model=Page[UsageReportRead])
async def search(
    uow: Uow,
    actor: SignedIn,
    now: Now,
    paging: Paging,
    applicant_id: uuid.UUID | None = None,
    programme_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    state: Annotated[list[UsageReportState] | None, Query()] = None,
    overdue: Annotated[bool, Query(description="Only reports still owed after their due date.")] = False,
) -> Page[UsageReportRead]:
    """A grantee sees its own reports; staff those of their department's programmes (admins every report)."""
    items, total = await usage_reports.search_reports(
        uow,
        actor=actor,
        applicant_id=applicant_id,
        programme_id=programme_id,
        round_id=round_id,
        states=state,
        overdue_on=local_date(now) if overdue else None,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=[_read(r, now) for r in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/usage-reports/{report_id}", response_model=UsageReportRead)
async def get(report_id: uuid.UUID, uow: Uow, actor: SignedIn, now: Now) -> UsageReportRead:
    """The grantee's representatives and the programme's department read a report (admins too)."""
    return _read(await usage_reports.get_report(uow, actor=actor, report_id=report_id), now)


@router.post("/usage-reports/{report_id}/submit", response_model=UsageReportRead)
async def submit(
    report_id: uuid.UUID, body: UsageReportSubmit, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent
) -> JSONResponse:
    """The grantee's report: allowed while pending or sent back for changes; after the deadline it is late."""
    return await idem.run(
        uow,
        lambda: usage_reports.submit_report(uow, actor=actor, report_id=report_id, now=now, **body.fields()),
        _reader(now),
    )


@router.post("/usage-reports/{report_id}/accept", response_model=UsageReportRead)
async def accept(report_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Staff of the programme's department accept a submitted report."""
    return await idem.run(
        uow, lambda: usage_reports.accept_report(uow, actor=actor, report_id=report_id, now=now), _reader(now)
    )


@router.post("/usage-reports/{report_id}/request-changes", response_model=UsageReportRead)
async def request_changes(
    report_id: uuid.UUID, body: UsageReportChangesRequest, uow: Uow, actor: Staff, now: Now, idem: Idempotent
) -> JSONResponse:
    """Send a submitted report back with a message; the grantee sees it and submits again."""
    return await idem.run(
        uow,
        lambda: usage_reports.request_changes(uow, actor=actor, report_id=report_id, message=body.message),
        _reader(now),
    )


# -- the realisation summary -------------------------------------------------------------------------------
CSV_COLUMNS = ["year", *ProgrammeRealisationRead.model_fields]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv(summary: RealisationRead) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in summary.programmes:
        values = row.model_dump(mode="json")
        writer.writerow([summary.year, *(_cell(values[c]) for c in CSV_COLUMNS[1:])])
    return out.getvalue()


@router.get(
    "/realisation/{year}",
    response_model=RealisationRead,
    tags=["realisation"],
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def realisation(
    year: Annotated[int, Path(ge=2000, le=2100)],
    uow: Uow,
    now: Now,
    programme_id: uuid.UUID | None = None,
    format: Annotated[Literal["json", "csv"] | None, Query(description="Or send Accept: text/csv.")] = None,
    accept_header: Annotated[str, Header(alias="Accept")] = "",
) -> Response:
    """Appropriation, granted and reported per programme for the financial statement (tilinpäätös): public.

    ``reported_cents`` counts accepted reports; ``awaiting_review_cents`` those submitted but not yet reviewed.
    CSV (one header row, one row per programme, amounts in cents) with ``?format=csv`` or ``Accept: text/csv``.
    """
    summary = await realisation_.realisation(uow, year=year, today=local_date(now), programme_id=programme_id)
    body = RealisationRead(
        year=summary.year,
        as_of=summary.as_of,
        programmes=[read(ProgrammeRealisationRead, p) for p in summary.programmes],
        totals=read(RealisationTotals, summary.totals),
    )
    if format == "csv" or (format is None and "text/csv" in accept_header):
        filename = f"realisation-{year}.csv"
        return Response(
            _csv(body),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return JSONResponse(body.model_dump(mode="json"))
