from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from grants.domain.round import RoundState
from grants.entrypoints.http.schemas.common import In, PositiveCents
from shared.http.schemas import MISSING, IsoDate, IsoDateTime

LOCAL = "A Helsinki wall-clock time such as 2027-01-31T16:00, or a time with its offset."


class RoundCreate(In):
    year: int = Field(ge=2000, le=2100)
    opens_at: IsoDateTime = Field(description=LOCAL)
    closes_at: IsoDateTime | None = Field(default=None, description=LOCAL + " Continuous intake: defaults to year end.")
    appropriation_cents: PositiveCents
    decision_deadline: IsoDate | None = None
    usage_report_deadline: IsoDate | None = None
    principles_version: int | None = Field(default=None, ge=1, description="Defaults to the newest adopted.")


class RoundUpdate(In):
    """A partial update; ``null`` clears only the optional deadlines."""

    opens_at: IsoDateTime | MISSING = Field(default=MISSING, description=LOCAL)
    closes_at: IsoDateTime | MISSING = Field(default=MISSING, description=LOCAL)
    appropriation_cents: PositiveCents | MISSING = MISSING
    decision_deadline: IsoDate | None = None
    usage_report_deadline: IsoDate | None = None


class RoundRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    state: RoundState
    opens_at: datetime
    closes_at: datetime
    appropriation_cents: int
    reserved_cents: int | None = Field(description="Promised so far; null where not yet public (see remaining).")
    remaining_cents: int | None = Field(
        description="Appropriation not yet promised, never below zero: public for light grants all along, for a "
        "yearly round once its decisions are published; the responsible department always sees it."
    )
    decision_deadline: date | None
    usage_report_deadline: date | None
    principles_version_id: uuid.UUID
    opened_at: datetime | None
    closed_at: datetime | None
    published_at: datetime | None
