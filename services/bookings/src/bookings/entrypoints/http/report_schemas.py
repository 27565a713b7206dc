"""Response bodies of the reports: the usage figures (aggregates only, never a booker)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from bookings.domain.reporting import UsageFigures, hours


class UsageFiguresRead(BaseModel):
    association_hours: float = Field(description="Hours associations held the premises: free and rented.")
    free_hours: float = Field(description="With a free-use reason (kind of booker, department grant, partnership).")
    rented_hours: float = Field(description="Without one, at the rent recorded when booked (possibly 0).")
    rent_cents: int = Field(description="The rent recorded for the rented hours, in cents.")

    @classmethod
    def of(cls, figures: UsageFigures) -> UsageFiguresRead:
        return cls(
            association_hours=hours(figures.minutes),
            free_hours=hours(figures.free_minutes),
            rented_hours=hours(figures.rented_minutes),
            rent_cents=figures.rent_cents,
        )


class MonthUsageRead(UsageFiguresRead):
    month: str = Field(examples=["2027-09"], description="The Helsinki local month.")


class UsageRead(BaseModel):
    facility_id: uuid.UUID
    facility_name: str
    department_code: str
    months: list[MonthUsageRead] = Field(description="The months with any use, in order.")
    total: UsageFiguresRead


class UsageReportRead(BaseModel):
    year: int
    department_code: str | None
    facilities: list[UsageRead] = Field(description="The facilities with any use in the year.")
    months: list[MonthUsageRead] = Field(description="Every facility together, per month with any use.")
    total: UsageFiguresRead
