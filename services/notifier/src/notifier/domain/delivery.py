"""One mail to one recipient: pending, claimed while being sent, then sent or failed for good.

A delivery keeps the Message-ID it was first given, and a sent delivery is never claimed again. A claim taken
up again after its sender died is sent again only if it never reached the SMTP server; one that did is *in
doubt* and is checked by its Message-ID before anything is resent (never two copies).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class DeliveryKind(StrEnum):
    NEWSLETTER = "newsletter"
    CONFIRMATION = "confirmation"
    TEST = "test"
    NOTIFICATION = "notification"


def message_id(delivery_id: uuid.UUID, domain: str) -> str:
    return f"<{delivery_id}@{domain}>"


@dataclass
class Delivery:
    """What a sender needs of a claimed delivery; ``address`` is joined in from its owner at send time."""

    id: uuid.UUID
    kind: DeliveryKind
    recipient_ref: str
    language: str
    message_id: str
    attempts: int
    address: str | None
    issue_id: uuid.UUID | None = None
    subject: str | None = None
    text_body: str | None = None
    html_body: str | None = None
    handed_over_at: datetime | None = None
    source: str = ""

    @property
    def in_doubt(self) -> bool:
        """Its last sender handed the mail to the SMTP server and stopped before the outcome was recorded."""
        return self.handed_over_at is not None


@dataclass(frozen=True)
class NewDelivery:
    source: str
    kind: DeliveryKind
    recipient_ref: str
    recipient_digest: str
    language: str
    subject: str
    text_body: str
    html_body: str
    address: str | None = None
    subscriber_id: uuid.UUID | None = None


def next_attempt(attempts: int, delays: list[float], now: datetime) -> datetime | None:
    """When a temporary failure is tried again; None once the delays are spent (failed for good)."""
    from datetime import timedelta

    if attempts > len(delays):
        return None
    return now + timedelta(seconds=delays[attempts - 1])


SOURCES_OF_THE_NOTIFIER = ("newsletter", "confirmation", "test")


def source_event(source: str) -> tuple[str, uuid.UUID] | None:
    """The event a notification's delivery answers (``<event type>:<event id>[:<more>]``), if it answers one."""
    kind, _, rest = source.partition(":")
    if kind in SOURCES_OF_THE_NOTIFIER or not kind:
        return None
    try:
        return kind, uuid.UUID(rest.partition(":")[0])
    except ValueError:
        return None


def recipient(recipient_ref: str) -> tuple[str, uuid.UUID | None]:
    """``subscriber:<id>``, ``representative:<id>`` or ``registration:<id>`` as its kind and id; a staff
    member's is not an id."""
    kind, _, rest = recipient_ref.partition(":")
    if kind == "staff":
        return kind, None
    try:
        return kind, uuid.UUID(rest)
    except ValueError:
        return kind, None
