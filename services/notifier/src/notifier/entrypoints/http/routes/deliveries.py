"""The staff's delivery log, paged: of one issue, or of one address (matched by its digest). State, attempts,
last error and when sent; never the mail's body or an address."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from notifier.entrypoints.http.deps import Uow
from notifier.entrypoints.http.privacy_schemas import DeliveryRead, DeliverySearch
from notifier.service_layer import delivery_log
from shared.http.pagination import Page, Paging
from shared.http.security import Staff

router = APIRouter(tags=["deliveries"])


@router.get("/issues/{issue_id}/deliveries", response_model=Page[DeliveryRead])
async def of_issue(issue_id: uuid.UUID, uow: Uow, actor: Staff, paging: Paging) -> Page[DeliveryRead]:
    """The issue's deliveries, oldest first."""
    items, total = await delivery_log.of_issue(
        uow, actor=actor, issue_id=issue_id, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[DeliveryRead.of(d) for d in items], total=total, limit=paging.limit, offset=paging.offset)


@router.post("/deliveries/search", response_model=Page[DeliveryRead])
async def of_recipient(body: DeliverySearch, uow: Uow, actor: Staff, paging: Paging) -> Page[DeliveryRead]:
    """Every mail to the address (newsletters, confirmations, notifications), oldest first. A POST, so that the
    address travels in the body and never in a URL (access logs, proxies); it changes nothing."""
    items, total = await delivery_log.of_recipient(
        uow, actor=actor, email=body.recipient, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[DeliveryRead.of(d) for d in items], total=total, limit=paging.limit, offset=paging.offset)
