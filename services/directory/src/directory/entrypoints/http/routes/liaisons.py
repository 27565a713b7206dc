"""/liaisons: the public liaison directory (JSON, and an accessible HTML page the city can link to)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from directory.adapters.repository import DepartmentRepository
from directory.domain.people import LiaisonContact
from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.html import render_liaison_page
from directory.entrypoints.http.schemas import LiaisonCreate, LiaisonRead, LiaisonUpdate
from directory.service_layer import liaisons
from shared.contracts.directory import LiaisonKind
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.pagination import Page, PageParams, Paging
from shared.http.security import Staff

router = APIRouter(tags=["liaisons"])

Q = Annotated[str | None, Query(max_length=100, description="Part of a name, title or topic")]
Topic = Annotated[str | None, Query(max_length=60)]
SubjectRef = Annotated[str | None, Query(max_length=200, description="e.g. grants:programme:<id>")]


async def _read_all(uow: UnitOfWork, contacts: list[LiaisonContact]) -> list[LiaisonRead]:
    departments = await DepartmentRepository(uow.session).by_ids({c.department_id for c in contacts if c.department_id})
    return [
        LiaisonRead.model_validate(c, from_attributes=True).model_copy(
            update={"department_name": departments[c.department_id].name if c.department_id else None}
        )
        for c in contacts
    ]


async def _search(
    uow: UnitOfWork, paging: PageParams, q: str | None, kind: LiaisonKind | None, department_id: uuid.UUID | None,
    topic: str | None, subject_ref: str | None,
) -> Page[LiaisonRead]:  # fmt: skip
    async with uow:
        items, total = await liaisons.search_liaisons(
            uow, q=q, kind=kind, department_id=department_id, topic=topic, subject_ref=subject_ref,
            limit=paging.limit, offset=paging.offset,
        )  # fmt: skip
        return Page(items=await _read_all(uow, items), total=total, limit=paging.limit, offset=paging.offset)


@router.get("/liaisons", response_model=Page[LiaisonRead])
async def search(
    uow: Uow, paging: Paging, q: Q = None, kind: LiaisonKind | None = None, department_id: uuid.UUID | None = None,
    topic: Topic = None, subject_ref: SubjectRef = None,
) -> Page[LiaisonRead]:  # fmt: skip
    return await _search(uow, paging, q, kind, department_id, topic, subject_ref)


@router.get("/liaisons.html", response_class=HTMLResponse, include_in_schema=True)
async def page(
    uow: Uow, paging: Paging, q: Q = None, kind: LiaisonKind | None = None, department_id: uuid.UUID | None = None
) -> HTMLResponse:
    """The liaison directory as a page for people, screen readers included."""
    results = await _search(uow, PageParams(limit=100, offset=paging.offset), q, kind, department_id, None, None)
    async with uow:
        departments = await liaisons.list_departments(uow)
    return HTMLResponse(render_liaison_page(results, departments, q=q, kind=kind, department_id=department_id))


@router.get("/liaisons/{liaison_id}", response_model=LiaisonRead)
async def get(liaison_id: uuid.UUID, uow: Uow) -> LiaisonRead:
    async with uow:
        return (await _read_all(uow, [await liaisons.get_liaison(uow, liaison_id=liaison_id)]))[0]


@router.post("/liaisons", status_code=201, response_model=LiaisonRead)
async def create(
    body: LiaisonCreate, uow: Uow, actor: Staff, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    async def create_(u: UnitOfWork) -> tuple[LiaisonRead, uuid.UUID]:
        contact = await liaisons.create_liaison(u, actor=actor, fields=body.fields())
        return (await _read_all(u, [contact]))[0], contact.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create_)


@router.patch("/liaisons/{liaison_id}", response_model=LiaisonRead)
async def update(liaison_id: uuid.UUID, body: LiaisonUpdate, uow: Uow, actor: Staff) -> LiaisonRead:
    async with uow:
        contact = await liaisons.update_liaison(uow, actor=actor, liaison_id=liaison_id, changes=body.fields())
        read = (await _read_all(uow, [contact]))[0]
        await uow.commit()
    return read


@router.delete("/liaisons/{liaison_id}", status_code=204)
async def remove(liaison_id: uuid.UUID, uow: Uow, actor: Staff) -> Response:
    async with uow:
        await liaisons.remove_liaison(uow, actor=actor, liaison_id=liaison_id)
        await uow.commit()
    return Response(status_code=204)
