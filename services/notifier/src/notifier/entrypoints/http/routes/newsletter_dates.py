"""/newsletter-dates: the annual clock's planned newsletter dates of a year, as the calendar announced them
(ADR 0014), each with the time an issue scheduled on it goes out. Staff or admin tokens only."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from notifier.entrypoints.http.deps import NotifierSettings, Uow
from notifier.service_layer import newsletter_dates
from notifier.service_layer.newsletter_dates import PlannedDate
from shared.http.security import Staff

router = APIRouter(tags=["issues"])


class NewsletterDateRead(BaseModel):
    id: uuid.UUID = Field(description="Give it as `newsletter_date_id` to `POST /issues/{id}/schedule`.")
    clock_entry_id: uuid.UUID | None
    year: int | None
    planned_on: date
    title_fi: str | None
    send_at: datetime = Field(description="When an issue scheduled on this date goes out (the sending hour, Helsinki).")

    @classmethod
    def of(cls, p: PlannedDate) -> NewsletterDateRead:
        d = p.date
        assert d.planned_on is not None
        return cls(
            id=d.id, clock_entry_id=d.clock_entry_id, year=d.year, planned_on=d.planned_on, title_fi=d.title_fi,
            send_at=p.send_at,
        )  # fmt: skip


class NewsletterDates(BaseModel):
    year: int
    items: list[NewsletterDateRead]


@router.get("/newsletter-dates", response_model=NewsletterDates)
async def list_dates(
    uow: Uow, actor: Staff, settings: NotifierSettings, year: Annotated[int, Query(ge=2000, le=2100)]
) -> NewsletterDates:
    """The year's planned issue dates from the annual clock, in date order."""
    found = await newsletter_dates.list_dates(uow, actor=actor, year=year, send_hour=settings.newsletter_send_hour)
    return NewsletterDates(year=year, items=[NewsletterDateRead.of(p) for p in found])
