"""Events published by the notifier: ids and public facts of the newsletter's issues, never an address.

Subscribers are the notifier's own personal data (ADR 0003): no event names or counts a person; an issue's
subject is public (it is in the archive), its number of recipients is an aggregate.
"""

from __future__ import annotations

import uuid

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
