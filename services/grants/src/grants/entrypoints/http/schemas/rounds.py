from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator

from grants.domain.round import RoundState
from grants.entrypoints.http.schemas.common import In, PositiveCents

LOCAL = "A Helsinki wall-clock time such as 2027-01-31T16:00, or a time with its offset."


class RoundCreate(In):
    year: int = Field(ge=2000, le=2100)
    opens_at: datetime = Field(description=LOCAL)
    closes_at: datetime | None = Field(default=None, description=LOCAL + " Continuous intake: defaults to year end.")
    appropriation_cents: PositiveCents
    decision_deadline: date | None = None
    usage_report_deadline: date | None = None
    principles_version: int | None = Field(default=None, ge=1, description="Defaults to the newest adopted.")


class RoundUpdate(In):
    """A partial update; ``null`` clears only the optional deadlines."""

    @model_validator(mode="before")
    @classmethod
    def _no_null_times_or_money(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in ("opens_at", "closes_at", "appropriation_cents"):
                if name in data and data[name] is None:
                    raise ValueError(f"'{name}' cannot be null")
        return data

    opens_at: datetime | None = Field(default=None, description=LOCAL)
    closes_at: datetime | None = Field(default=None, description=LOCAL)
    appropriation_cents: PositiveCents | None = None
    decision_deadline: date | None = None
    usage_report_deadline: date | None = None


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
