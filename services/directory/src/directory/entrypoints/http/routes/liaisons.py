"""/liaisons: the public liaison directory (JSON, and an accessible HTML page the city can link to)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse, JSONResponse

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.html import render_liaison_page
from directory.entrypoints.http.schemas import LiaisonCreate, LiaisonRead, LiaisonUpdate
from directory.service_layer import liaisons
from directory.service_layer.liaisons import Listed
from shared.contracts.directory import LiaisonKind
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import Staff

router = APIRouter(tags=["liaisons"])

Q = Annotated[str | None, Query(max_length=100, description="Part of a name, title or topic")]
Topic = Annotated[str | None, Query(max_length=60)]
SubjectRef = Annotated[str | None, Query(max_length=200, description="e.g. grants:programme:<id>")]
PAGE_SIZE = 100
"""The HTML page shows this many contacts at a time: the whole directory, in practice."""


def _read(listed: Listed) -> LiaisonRead:
    read = LiaisonRead.model_validate(listed.contact, from_attributes=True)
    return read.model_copy(update={"department_name": listed.department_name})


@router.get("/liaisons", response_model=Page[LiaisonRead])
async def search(
    uow: Uow, paging: Paging, q: Q = None, kind: LiaisonKind | None = None, department_id: uuid.UUID | None = None,
    topic: Topic = None, subject_ref: SubjectRef = None,
) -> Page[LiaisonRead]:  # fmt: skip
    items, total = await liaisons.search_liaisons(
        uow, q=q, kind=kind, department_id=department_id, topic=topic, subject_ref=subject_ref,
        limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_read(c) for c in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/liaisons.html", response_class=HTMLResponse, include_in_schema=True)
async def page(
    uow: Uow, paging: Paging, q: Q = None, kind: LiaisonKind | None = None, department_id: uuid.UUID | None = None
) -> HTMLResponse:
    """The liaison directory as a page for people, screen readers included."""
    found = await liaisons.browse_liaison_directory(
        uow, q=q, kind=kind, department_id=department_id, limit=PAGE_SIZE, offset=paging.offset
    )
    items = [_read(c) for c in found.items]
    results = Page[LiaisonRead](items=items, total=found.total, limit=PAGE_SIZE, offset=paging.offset)
    return HTMLResponse(render_liaison_page(results, found.departments, q=q, kind=kind, department_id=department_id))


@router.get("/liaisons/{liaison_id}", response_model=LiaisonRead)
async def get(liaison_id: uuid.UUID, uow: Uow) -> LiaisonRead:
    return _read(await liaisons.get_liaison(uow, liaison_id=liaison_id))


@router.post("/liaisons", status_code=201, response_model=LiaisonRead)
async def create(body: LiaisonCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.created(uow, lambda: liaisons.create_liaison(uow, actor=actor, fields=body.fields()), _read)


@router.patch("/liaisons/{liaison_id}", response_model=LiaisonRead)
async def update(liaison_id: uuid.UUID, body: LiaisonUpdate, uow: Uow, actor: Staff) -> LiaisonRead:
    return _read(await liaisons.update_liaison(uow, actor=actor, liaison_id=liaison_id, changes=body.fields()))


@router.delete("/liaisons/{liaison_id}", status_code=204)
async def remove(liaison_id: uuid.UUID, uow: Uow, actor: Staff) -> Response:
    await liaisons.remove_liaison(uow, actor=actor, liaison_id=liaison_id)
    return Response(status_code=204)
