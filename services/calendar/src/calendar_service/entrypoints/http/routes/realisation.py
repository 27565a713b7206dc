"""/realisation: the clock's planned entries of a year against what actually happened (staff), JSON and a page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.entrypoints.http.pages.realisation_page import render_realisation_page
from calendar_service.entrypoints.http.realisation_schemas import RealisationRead, read_realisation
from calendar_service.service_layer.realisation import year_realisation
from shared.http.security import Staff
from shared.localtime import local_date

router = APIRouter(tags=["realisation"])
HTML: dict[int | str, dict[str, object]] = {200: {"content": {"text/html": {"schema": {"type": "string"}}}}}
Year = Annotated[int, Query(ge=2000, le=2100)]


@router.get("/realisation", response_model=RealisationRead)
async def realisation(uow: Uow, actor: Staff, now: Now, year: Year) -> RealisationRead:
    """Each planned entry realised, moved (with its actual date), not realised or pending; attendance of events."""
    return read_realisation(await year_realisation(uow, actor=actor, year=year, today=local_date(now)))


@router.get("/realisation.html", response_class=HTMLResponse, responses=HTML)
async def realisation_page(uow: Uow, actor: Staff, now: Now, year: Year) -> HTMLResponse:
    """The same as a readable Finnish page with accessible tables."""
    found = await year_realisation(uow, actor=actor, year=year, today=local_date(now))
    return HTMLResponse(render_realisation_page(read_realisation(found)))
