"""Events published by the notifier: ids and public facts of the newsletter's issues, never an address.

Subscribers are the notifier's own personal data (ADR 0003): no event names or counts a person; an issue's
subject is public (it is in the archive), its number of recipients is an aggregate.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.envelope import EventData, contract


@contract("notifier", "NewsletterScheduled", 1)
class NewsletterScheduled(EventData):
    """An issue of Yhdistysuutiset will go out at ``send_at`` (the calendar shows it)."""

    issue_id: uuid.UUID
    subject: str = Field(description="The issue's Finnish subject (public once sent).")
    send_at: AwareDatetime
    department_code: str
    clock_entry_id: uuid.UUID | None = Field(
        default=None, description="The annual clock's newsletter entry the issue was scheduled on, if one (ADR 0014)."
    )


@contract("notifier", "NewsletterSent", 1)
class NewsletterSent(EventData):
    """Every delivery of the issue is done (sent or failed for good); the issue is in the public archive."""

    issue_id: uuid.UUID
    subject: str
    sent_at: AwareDatetime
    recipients: int = Field(description="How many deliveries the fan-out made (an aggregate, no one named).")
    failed: int
    department_code: str
    clock_entry_id: uuid.UUID | None = Field(
        default=None, description="The annual clock's newsletter entry the issue was scheduled on, if one (ADR 0014)."
    )


@contract("notifier", "NewsletterCancelled", 1)
class NewsletterCancelled(EventData):
    """A scheduled issue was cancelled before its fan-out: it will not go out (the calendar takes its date off)."""

    issue_id: uuid.UUID
    cancelled_at: AwareDatetime
    department_code: str


@contract("notifier", "NotificationFailed", 1)
class NotificationFailed(EventData):
    """A mail will not reach its recipient and is not tried again: the SMTP server refused it for good (5xx),
    its temporary failures outlasted the retries, or it could not be sent at all. Ids only, never an address."""

    delivery_id: uuid.UUID = Field(description="The notifier's delivery record (its delivery log shows it).")
    kind: Literal["newsletter", "notification", "confirmation", "test"]
    issue_id: uuid.UUID | None = Field(description="The newsletter issue the mail was of, if any.")
    source_event_type: str | None = Field(
        description="The type of the event the notification answered (`GrantRoundOpened`), if it answered one."
    )
    source_event_id: uuid.UUID | None
    recipient_kind: Literal["subscriber", "representative", "registration", "staff"]
    recipient_id: uuid.UUID | None = Field(
        description="The subscriber's id, the directory's representative's, or the calendar's registration whose "
        "contact person it was; None for a staff member."
    )
    reason: Literal["refused", "retries_exhausted", "no_address", "unbuildable", "in_doubt"] = Field(
        description="refused: a 5xx reply; retries_exhausted: 4xx or lost connections past the last retry; "
        "no_address: erased or unknown; unbuildable: a header the mail cannot carry; in_doubt: handed to SMTP "
        "by a sender that stopped, and not sent again (it may have arrived)."
    )
    smtp_code: int | None = Field(description="The SMTP server's reply code, when it gave one.")
    attempts: int
    failed_at: AwareDatetime
