"""/audiences: who holds a grant and who is a partner, as applicant ids, for another service of the platform
(a ``service`` token only, ADR 0011; 403 for every other role). The notifier tells the calendar's events for
``grantees`` and ``partners`` to those applicants' representatives (ADR 0017)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from grants.entrypoints.http.deps import Now, Uow
from grants.entrypoints.http.schemas.audiences import AudienceMemberRead
from grants.service_layer import audiences
from shared.http.pagination import Page, PageParams, Paging
from shared.http.security import ServiceCaller

router = APIRouter(prefix="/audiences", tags=["audiences"])


def _page(found: tuple[list[uuid.UUID], int], paging: PageParams) -> Page[AudienceMemberRead]:
    ids, total = found
    items = [AudienceMemberRead(applicant_id=i) for i in ids]
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get("/grantees", response_model=Page[AudienceMemberRead])
async def grantees(uow: Uow, actor: ServiceCaller, paging: Paging, now: Now) -> Page[AudienceMemberRead]:
    """Applicants holding a grant: a published decision of more than 0 € in a round of this year or last year
    (Helsinki time), ordered by id."""
    found = await audiences.grantees(uow, actor=actor, now=now, limit=paging.limit, offset=paging.offset)
    return _page(found, paging)


@router.get("/partners", response_model=Page[AudienceMemberRead])
async def partners(uow: Uow, actor: ServiceCaller, paging: Paging, now: Now) -> Page[AudienceMemberRead]:
    """Applicants with a partnership agreement in force: signed, not ended, its last day not past; by id."""
    found = await audiences.partners(uow, actor=actor, now=now, limit=paging.limit, offset=paging.offset)
    return _page(found, paging)
