"""Bodies of the hand allocation and publication of a round: a place for a slot, a reason, the public results."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from bookings.entrypoints.http.schemas import Reason, Weekday
from shared.http.schemas import IsoTime, RequestModel, Uuid


class PlaceIn(RequestModel):
    """Where a slot goes: a facility of the round on a weekday, local wall-clock times every week."""

    facility_id: Uuid
    weekday: Weekday
    starts: IsoTime = Field(examples=["17:00"])
    ends: IsoTime = Field(examples=["18:30"])


class WishAssign(PlaceIn):
    wish_id: Uuid


class WishReject(RequestModel):
    wish_id: Uuid
    reason: Reason


class ResultRead(BaseModel):
    """One published slot: the decisions the city publishes (association, facility, weekday, time)."""

    association: str
    facility: str
    weekday: str
    starts: str
    ends: str


class ResultsRead(BaseModel):
    round_id: uuid.UUID
    results: list[ResultRead]
