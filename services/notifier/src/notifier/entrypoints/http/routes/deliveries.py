"""The staff's delivery log, paged: of one issue, or of one address (matched by its digest). State, attempts,
last error and when sent; never the mail's body or an address."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from notifier.entrypoints.http.deps import Uow
from notifier.entrypoints.http.privacy_schemas import DeliveryRead
from notifier.service_layer import delivery_log
from shared.http.pagination import Page, Paging
from shared.http.security import Staff

router = APIRouter(tags=["deliveries"])
Recipient = Annotated[str, Query(min_length=1, max_length=254, description="The recipient's email address.")]


@router.get("/issues/{issue_id}/deliveries", response_model=Page[DeliveryRead])
async def of_issue(issue_id: uuid.UUID, uow: Uow, actor: Staff, paging: Paging) -> Page[DeliveryRead]:
    """The issue's deliveries, oldest first."""
    items, total = await delivery_log.of_issue(
        uow, actor=actor, issue_id=issue_id, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[DeliveryRead.of(d) for d in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/deliveries", response_model=Page[DeliveryRead])
async def of_recipient(recipient: Recipient, uow: Uow, actor: Staff, paging: Paging) -> Page[DeliveryRead]:
    """Every mail to the address (newsletters, confirmations, notifications), oldest first."""
    items, total = await delivery_log.of_recipient(
        uow, actor=actor, email=recipient, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[DeliveryRead.of(d) for d in items], total=total, limit=paging.limit, offset=paging.offset)
