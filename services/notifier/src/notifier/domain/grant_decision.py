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
