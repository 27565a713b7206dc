"""Pages for people (Finnish): the annual clock as a wheel (public), a feedback survey's answer page (whoever
holds an invitation's link) and its results (staff)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.entrypoints.http.pages.answer_page import render_answer_page
from calendar_service.entrypoints.http.pages.clock_page import render_clock_page
from calendar_service.entrypoints.http.pages.results_page import render_results_page
from calendar_service.service_layer.clock_picture import clock_picture
from calendar_service.service_layer.survey_answers import survey_results
from calendar_service.service_layer.surveys import get_survey
from shared.auth import ANONYMOUS
from shared.http.security import Staff
from shared.localtime import local_date

router = APIRouter(tags=["pages"])
HTML: dict[int | str, dict[str, object]] = {200: {"content": {"text/html": {"schema": {"type": "string"}}}}}


@router.get("/clock.html", response_class=HTMLResponse, responses=HTML)
async def clock_page(uow: Uow, now: Now, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> HTMLResponse:
    """The annual clock as a wheel, its legend, the same as an accessible list, and the upcoming schedule."""
    picture = await clock_picture(uow, year=year, today=local_date(now))
    return HTMLResponse(render_clock_page(picture))


@router.get("/surveys/{survey_id}/results.html", response_class=HTMLResponse, responses=HTML)
async def survey_results_page(survey_id: uuid.UUID, uow: Uow, actor: Staff) -> HTMLResponse:
    """A survey's results for staff: per question a table and a bar chart; under five answers not broken down."""
    return HTMLResponse(render_results_page(await survey_results(uow, actor=actor, survey_id=survey_id)))


@router.get("/surveys/{survey_id}/answer", response_class=HTMLResponse, responses=HTML)
async def survey_answer_page(survey_id: uuid.UUID, uow: Uow) -> HTMLResponse:
    """Where an invitation's link leads (the token in its fragment): the questions, and a form that answers
    once. No sign-in; a draft is not found."""
    survey = await get_survey(uow, actor=ANONYMOUS, survey_id=survey_id)
    return HTMLResponse(render_answer_page(survey), headers={"Referrer-Policy": "no-referrer"})
