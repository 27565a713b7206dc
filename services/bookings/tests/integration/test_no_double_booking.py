"""The proof: 100 requests race for one slot over real HTTP (ASGI) against the real database.

Exactly one is confirmed, the 99 others are refused with 409 naming the slot, and nothing of theirs is written
(no booking row, no occurrence, no event).
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from ..conftest import Api

pytestmark = pytest.mark.integration


async def test_100_concurrent_conflicting_requests_confirm_exactly_one(api: Api) -> None:
    facility = await api.facility(rules={"needs_approval": False, "buffer_minutes": 15})
    associations = [await api.association() for _ in range(100)]
    # every request overlaps every other one: 18:00–20:00 shifted by up to 90 minutes
    starts = [("18:00", "20:00"), ("18:30", "20:30"), ("19:00", "21:00"), ("19:30", "21:30")]

    async def one(n: int) -> int:
        s, e = starts[n % len(starts)]
        answer = await api.book(facility, associations[n], starts_at=f"2027-09-07T{s}", ends_at=f"2027-09-07T{e}")
        assert answer.status_code in (201, 409), answer.text
        if answer.status_code == 409:
            assert "already booked" in answer.json()["detail"]
            assert answer.json()["errors"][0]["field"] == "starts_at"
        return int(answer.status_code)

    statuses = await asyncio.gather(*(one(n) for n in range(100)))
    assert sorted(statuses).count(201) == 1 and statuses.count(409) == 99

    async with api.bookings.engine.connect() as conn:
        bookings = await conn.scalar(text("SELECT count(*) FROM booking WHERE facility_id = :f"), {"f": facility["id"]})
        occurrences = await conn.scalar(
            text("SELECT count(*) FROM occurrence WHERE facility_id = :f"), {"f": facility["id"]}
        )
        confirmed = await conn.scalar(
            text("SELECT count(*) FROM booking WHERE facility_id = :f AND state = 'confirmed'"), {"f": facility["id"]}
        )
        events = await conn.scalar(
            text("SELECT count(*) FROM outbox_message WHERE envelope->'data'->>'facility_id' = :f"),
            {"f": facility["id"]},
        )
    assert (bookings, occurrences, confirmed) == (1, 1, 1)
    assert events == 2  # FacilityRegistered and the one BookingConfirmed
