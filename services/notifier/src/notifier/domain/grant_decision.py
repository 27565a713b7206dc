"""A grants decision as the notifier keeps it until its round's publication announces it to the applicant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class GrantDecision:
    application_id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    requested_cents: int
    approved_cents: int
    decided_at: datetime
    announced_at: datetime | None = None


@dataclass(frozen=True)
class Publication:
    """A round's publication of its decisions: the event that announced it (the mails' source) and the grant
    programme, whose liaison contact the mails name (None for a publication kept before it was recorded)."""

    source: str
    programme_id: uuid.UUID | None
