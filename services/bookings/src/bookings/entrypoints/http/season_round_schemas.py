"""Bodies of /season-rounds and /season-applications: rounds of regular weekly slots and the wishes for them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from bookings.domain.allocation_model import AgeGroup
from bookings.entrypoints.http.schemas import LongText, Name, Tag, Weekday
from shared.http.schemas import MISSING, Choice, IsoDate, IsoDateTime, IsoTime, RequestModel, Uuid

Department = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,40}$")]
Principles = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
FacilityIds = Annotated[list[Uuid], Field(max_length=200)]


class SeasonRoundCreate(RequestModel):
    """A draft round; times without an offset are Helsinki local times."""

    department_code: Department
    name: Name
    opens_at: IsoDateTime = Field(examples=["2027-03-01T08:00"])
    closes_at: IsoDateTime = Field(examples=["2027-03-31T16:00"])
    season_starts_on: IsoDate = Field(examples=["2027-08-16"])
    season_ends_on: IsoDate = Field(examples=["2028-05-31"])
    facility_ids: FacilityIds = Field(default=[])
    principles: Principles = Field(default="", description="The allocation principles (jakoperusteet).")
    free_use: bool = False


class SeasonRoundUpdate(RequestModel):
    """A draft's changes; what is left out stays. Changed principles become their next version."""

    name: Name | MISSING = MISSING
    opens_at: IsoDateTime | MISSING = MISSING
    closes_at: IsoDateTime | MISSING = MISSING
    season_starts_on: IsoDate | MISSING = MISSING
    season_ends_on: IsoDate | MISSING = MISSING
    facility_ids: FacilityIds | MISSING = MISSING
    principles: Principles | MISSING = MISSING
    free_use: bool | MISSING = MISSING


class WeightsUpdate(RequestModel):
    """The round's principles as numbers (percent); what is left out stays, age groups one by one."""

    age_group_percent: dict[Choice[AgeGroup], int] | MISSING = Field(
        default=MISSING, description="Each age group's weight, 1–1000.", examples=[{"children": 300, "adults": 100}]
    )
    priority_step_percent: int | MISSING = Field(
        default=MISSING, description="How much less each later wish of an association weighs, 0–100."
    )
    priority_floor_percent: int | MISSING = Field(default=MISSING, description="… but never less than this, 1–100.")
    continuity_percent: int | MISSING = Field(
        default=MISSING, description="Bonus for the facility, weekday and time the association held last season, 0–500."
    )
    fair_share_percent: int | MISSING = Field(
        default=MISSING, description="Extra weight of each association's first fair share of minutes, 0–500."
    )

    def fields(self) -> dict[str, Any]:
        values = super().fields()
        if "age_group_percent" in values:
            values["age_group_percent"] = {AgeGroup(k).value: v for k, v in values["age_group_percent"].items()}
        return values


class WeightsRead(BaseModel):
    """What the next proposal weighs by (each proposal records the weights it was computed with)."""

    age_group_percent: dict[str, int]
    priority_step_percent: int
    priority_floor_percent: int
    continuity_percent: int
    fair_share_percent: int


class SeasonRoundRead(BaseModel):
    id: uuid.UUID
    department_code: str
    name: str
    state: str
    opens_at: datetime
    closes_at: datetime
    season_starts_on: date
    season_ends_on: date
    facility_ids: list[uuid.UUID]
    principles: str
    principles_version: int
    opened_principles_version: int | None
    free_use: bool
    weights: WeightsRead
    opened_at: datetime | None
    closed_at: datetime | None


class WishIn(RequestModel):
    """One regular weekly slot; name a facility of the round, or a kind (purpose) of facility."""

    facility_id: Uuid | None = None
    facility_kind: Tag | None = Field(default=None, examples=["gym"])
    weekdays: list[Weekday] = Field(min_length=1, max_length=7, examples=[["mon", "wed"]])
    earliest: IsoTime = Field(examples=["17:00"], description="The slot starts at or after this local time …")
    latest: IsoTime = Field(examples=["21:00"], description="… and ends by this one.")
    duration_minutes: Annotated[int, Field(ge=15, le=24 * 60)]
    weekly_count: Annotated[int, Field(ge=1, le=7)] = 1
    age_group: Choice[AgeGroup] = AgeGroup.ADULTS
    participants: Annotated[int, Field(ge=1, le=100_000)] = 1
    purpose: LongText = ""

    def fields(self) -> dict[str, Any]:
        values = self.model_dump()
        values["weekdays"] = tuple(values["weekdays"])
        return values


Wishes = Annotated[list[WishIn], Field(max_length=50, description="In priority order: the first is wanted most.")]


class SeasonApplicationCreate(RequestModel):
    round_id: Uuid
    applicant_id: Uuid
    wishes: Wishes = Field(default=[])

    def wish_fields(self) -> list[dict[str, Any]]:
        return [w.fields() for w in self.wishes]


class SeasonApplicationUpdate(RequestModel):
    wishes: Wishes

    def wish_fields(self) -> list[dict[str, Any]]:
        return [w.fields() for w in self.wishes]


class WishRead(BaseModel):
    id: uuid.UUID
    priority: int
    facility_id: uuid.UUID | None
    facility_kind: str | None
    weekdays: list[str]
    earliest: str
    latest: str
    duration_minutes: int
    weekly_count: int
    age_group: str
    participants: int
    purpose: str


class SeasonApplicationRead(BaseModel):
    id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    state: str
    wishes: list[WishRead]
    submitted_at: datetime | None
    withdrawn_at: datetime | None


class HeldSlotRead(BaseModel):
    """A weekly slot the association held in the department's previous published round."""

    round_id: uuid.UUID
    starts: str = Field(examples=["17:00"])
    ends: str


class GridWishRead(BaseModel):
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    wish: WishRead
    continues_last_season: bool = Field(
        description="The association held this facility on this weekday last season at a time the wish can take "
        "again: the proposal gives it the continuity bonus."
    )
    held_last_season: HeldSlotRead | None = None


class GridCellRead(BaseModel):
    facility_id: uuid.UUID
    weekday: str
    wishes: list[GridWishRead]


class SeasonGridRead(BaseModel):
    round_id: uuid.UUID
    cells: list[GridCellRead]


class ProposedSlotRead(BaseModel):
    id: uuid.UUID = Field(description="The slot's id: staff move it, the association declines it once published.")
    wish_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    facility_id: uuid.UUID
    weekday: str
    starts: str = Field(description="Local wall-clock time, every week of the season.", examples=["17:00"])
    ends: str
    booking_id: uuid.UUID | None = Field(default=None, description="Its confirmed weekly series, once published.")
    declined: bool = False


class UnmetWishRead(BaseModel):
    wish_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    priority: int
    slots_met: int
    slots_wished: int
    reason: str


class AssociationHoursRead(BaseModel):
    applicant_id: uuid.UUID
    hours_per_week: float


class ProposalRead(BaseModel):
    """What the proposal met, and the weights it weighed (the round's principles as numbers)."""

    round_id: uuid.UUID
    computed_at: datetime
    status: str = Field(description="optimal, feasible (the time limit was reached) or greedy (the fallback).")
    seconds: float
    share_of_weighted_demand_met: float
    slots_met: int
    slots_wished: int
    wishes_met: int = Field(description="Wishes met in full (every weekly slot asked for).")
    wishes_total: int
    weights: dict[str, Any] = Field(description="The weights the proposal was computed with.")
    objective: int = Field(
        description="The solver's score of the computed answer: weighted demand met plus the continuity and "
        "fair-share bonuses (staff's changes afterwards count the rest of the report again, not this)."
    )
    notes: list[str] = Field(description="The solver's notes: which parts of the season kept the greedy answer, why.")
    hours_per_association: list[AssociationHoursRead]
    slots: list[ProposedSlotRead]
    unmet: list[UnmetWishRead]
    published_at: datetime | None = None
