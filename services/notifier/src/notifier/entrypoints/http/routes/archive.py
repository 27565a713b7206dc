"""The public archive of Yhdistysuutiset, for anyone: the sent issues as HTML pages (Finnish by default,
``?language=fi|sv|en``) and an Atom feed. Nothing about recipients."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from notifier.domain.subscriber import Language
from notifier.entrypoints.http.deps import HTML, NotifierSettings, Now, Uow
from notifier.service_layer import archive
from shared.http.pagination import Paging

router = APIRouter(tags=["archive"])
ATOM_TYPE = "application/atom+xml"
ATOM: dict[int | str, dict[str, Any]] = {200: {"content": {ATOM_TYPE: {"schema": {"type": "string"}}}}}
PageLanguage = Annotated[Language, Query(description="The language of the pages (Finnish by default).")]


@router.get("/archive", response_class=HTMLResponse, responses={200: {"content": HTML}})
async def archive_list(
    uow: Uow, settings: NotifierSettings, paging: Paging, language: PageLanguage = Language.FI
) -> HTMLResponse:
    """The sent issues, newest first."""
    page = await archive.archive_page(
        uow, settings=settings, language=language, limit=paging.limit, offset=paging.offset
    )
    return HTMLResponse(page)


@router.get("/archive.atom", response_class=Response, responses=ATOM)
async def archive_feed(
    uow: Uow, settings: NotifierSettings, now: Now, language: PageLanguage = Language.FI
) -> Response:
    """The latest sent issues as an Atom feed."""
    body = await archive.feed(uow, settings=settings, language=language, now=now)
    return Response(body, media_type=ATOM_TYPE)


@router.get("/archive/{issue_id}", response_class=HTMLResponse, responses={200: {"content": HTML}})
async def archive_issue(
    issue_id: uuid.UUID, uow: Uow, settings: NotifierSettings, language: PageLanguage = Language.FI
) -> HTMLResponse:
    """A sent issue's page in ``language`` (Finnish where the issue has no such version)."""
    page = await archive.issue_page(uow, settings=settings, issue_id=issue_id, language=language)
    return HTMLResponse(page)
