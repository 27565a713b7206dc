"""``NotificationFailed``: a delivery failed for good, announced through the outbox with ids only (ADR 0003)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast

from notifier.domain.delivery import Delivery, recipient, source_event
from shared.contracts.notifier import NotificationFailed

Reason = Literal["refused", "retries_exhausted", "no_address", "unbuildable", "in_doubt"]


def notification_failed(d: Delivery, reason: Reason, code: int | None, now: datetime) -> NotificationFailed:
    event = source_event(d.source)
    recipient_kind, recipient_id = recipient(d.recipient_ref)
    return NotificationFailed(
        delivery_id=d.id, kind=cast(Any, d.kind.value), issue_id=d.issue_id,
        source_event_type=event[0] if event else None, source_event_id=event[1] if event else None,
        recipient_kind=cast(Any, recipient_kind), recipient_id=recipient_id, reason=reason, smtp_code=code,
        attempts=d.attempts, failed_at=now,
    )  # fmt: skip
