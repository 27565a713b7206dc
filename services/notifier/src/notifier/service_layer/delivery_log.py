"""The staff's delivery log: of one issue, or of one address (found by its digest, as deliveries keep no
address). State, attempts, last error and when sent; never the mail's body, never the address."""

from __future__ import annotations

import uuid
from typing import Any

from notifier.domain.subscriber import digest, normalise_address
from notifier.service_layer.issues import load_issue
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, InvalidInput


async def of_issue(
    uow: NotifierUnitOfWork, *, actor: Principal, issue_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    async with uow:
        issue = await load_issue(uow, actor, issue_id)
        return await uow.deliveries.log(issue_id=issue.id, limit=limit, offset=offset)


async def of_recipient(
    uow: NotifierUnitOfWork, *, actor: Principal, email: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff read the delivery log.")
    try:
        key = digest(normalise_address(email))
    except InvalidInput as invalid:
        raise InvalidInput(invalid.message, field="recipient") from invalid
    async with uow:
        return await uow.deliveries.log(recipient_digest=key, limit=limit, offset=offset)
