"""The statements each hot route sends to PostgreSQL, pinned: adding a round trip to one fails here.

Issue 8 measured bookings at 0.15 × a bare FastAPI + asyncpg app running the same SQL, with about 17 round
trips per booking request; the ceilings below are the counts measured (BEGIN, savepoints and COMMIT included). Run with
``-s`` to see each route's statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from shared.testing.statements import count_statements

from ..conftest import Api

pytestmark = pytest.mark.integration

CEILINGS = {
    "POST /bookings (single)": 11,
    "POST /bookings (single, Idempotency-Key)": 13,
    "POST /bookings (series of 16)": 11,
    "GET availability (day)": 3,
    "GET availability (week)": 3,
    "GET /bookings/{id}": 2,
}


async def _count(api: Api, route: str, send: Callable[[], Awaitable[httpx.Response]]) -> Any:
    with count_statements(api.bookings.engine) as sent:
        response = await send()
    assert response.status_code < 300, response.text
    print(f"\n{route}: {sent.total} statements\n{sent.report()}")
    assert sent.total <= CEILINGS[route], sent.report()
    return response.json()


async def test_the_hot_routes_send_no_more_statements_than_pinned(api: Api) -> None:
    facility = await api.facility(rules={"needs_approval": False, "window_opens_days": 365})
    association = await api.association()
    rep = api.tokens.association(association)
    await api.book(facility, association, starts_at="2027-09-08T10:00", ends_at="2027-09-08T12:00")  # warm caches

    single = {
        "facility_id": facility["id"],
        "applicant_id": str(association),
        "starts_at": "2027-09-07T18:00",
        "ends_at": "2027-09-07T20:00",
        "accepts_terms": True,
    }
    made = await _count(api, "POST /bookings (single)", lambda: api.client.post("/bookings", json=single, headers=rep))
    keyed = single | {"starts_at": "2027-09-09T18:00", "ends_at": "2027-09-09T20:00"}
    headers = rep | {"Idempotency-Key": str(uuid.uuid4())}
    await _count(
        api,
        "POST /bookings (single, Idempotency-Key)",
        lambda: api.client.post("/bookings", json=keyed, headers=headers),
    )
    series = single | {
        "starts_at": "2027-09-04T10:00",
        "ends_at": "2027-09-04T12:00",
        "repeat_until": "2027-12-18",
        "skip_days": ["2027-11-06"],  # All Saints' Day
    }
    await _count(api, "POST /bookings (series of 16)", lambda: api.client.post("/bookings", json=series, headers=rep))

    path = f"/facilities/{facility['id']}/availability"
    for period in ("day", "week"):
        await _count(
            api,
            f"GET availability ({period})",
            lambda p=period: api.client.get(path, params={"from": "2027-09-07", "period": p}, headers=rep),  # type: ignore[misc]
        )
    await _count(api, "GET /bookings/{id}", lambda: api.client.get(f"/bookings/{made['id']}", headers=rep))
