"""A department's invoicing basis for a month, as CSV for its staff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from bookings.domain.reporting import Month
from bookings.entrypoints.http.deps import Uow
from bookings.entrypoints.http.invoicing_csv import MEDIA_TYPE, invoicing_csv
from bookings.service_layer import reports
from shared.http.security import Staff

router = APIRouter(tags=["invoicing"])
DEPARTMENT_CODE = r"^[a-z][a-z0-9-]{1,40}$"
CSV: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "A header row, then one row per charged occurrence.",
    }
}


@router.get("/departments/{department_code}/invoicing.csv", response_class=Response, responses=CSV)
async def invoicing_basis(
    department_code: Annotated[str, Path(pattern=DEPARTMENT_CODE)],
    uow: Uow,
    actor: Staff,
    month: Annotated[str, Query(pattern=r"^[12]\d{3}-(0[1-9]|1[0-2])$", examples=["2027-09"])],
) -> Response:
    """The month's invoicing basis (Helsinki local month), for the department's staff and admins: one row per
    occurrence of a confirmed booking of its premises, and per occurrence its booker cancelled too late to be
    free (``late_cancellation``). The booker is the association (no person's name); the price is the one
    recorded when booked. Staff blocks are not invoiced."""
    parsed = Month.parse(month)
    lines = await reports.invoicing_basis(uow, actor=actor, department_code=department_code, month=parsed)
    return Response(
        invoicing_csv(lines),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="invoicing-{department_code}-{parsed}.csv"'},
    )
