"""A weekly series for a season: planned and reported one occurrence at a time, then handled as one unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.testing.probe import DatabaseProbe

from ..conftest import Api, field_of

pytestmark = pytest.mark.integration
HELSINKI = ZoneInfo("Europe/Helsinki")


def _series(facility: dict[str, Any], applicant: object, **extra: Any) -> dict[str, Any]:
    return {
        "facility_id": facility["id"],
        "applicant_id": str(applicant),
        "starts_at": "2027-09-04T10:00",  # a Saturday
        "ends_at": "2027-09-04T12:00",
        "repeat_until": "2027-12-18",
    } | extra


async def test_a_season_is_reported_one_by_one_then_requested_decided_and_cancelled_as_one(api: Api) -> None:
    facility = await api.facility()
    association = await api.association()
    staff = api.tokens.staff(facility["department_code"])
    rep = api.tokens.association(association)
    block = await api.client.post(
        "/blocks",
        json={
            "facility_id": facility["id"],
            "starts_at": "2027-10-02T09:00",
            "ends_at": "2027-10-02T13:00",
            "reason": "Kaupungin oma tilaisuus",
        },
        headers=staff,
    )
    assert block.status_code == 201

    quote = (await api.client.post("/quotes", json=_series(facility, association), headers=rep)).json()
    assert len(quote["occurrences"]) == 16
    problems = {o["day"]: o["problem"] for o in quote["occurrences"] if not o["bookable"]}
    assert set(problems) == {"2027-10-02", "2027-11-06"}
    assert "already booked" in problems["2027-10-02"] and "All Saints" in problems["2027-11-06"]
    assert quote["price_cents"] == 14 * 4000

    refused = await api.client.post("/bookings", json=_series(facility, association, accepts_terms=True), headers=rep)
    assert refused.status_code == 409 and field_of(refused) == "skip_days"
    assert "2027-10-02" in refused.json()["detail"] and "2027-11-06" in refused.json()["detail"]

    body = _series(facility, association, accepts_terms=True, skip_days=["2027-10-02", "2027-11-06"])
    made = await api.client.post("/bookings", json=body, headers=rep)
    assert made.status_code == 201, made.text
    series = made.json()
    assert series["kind"] == "series" and len(series["occurrences"]) == 14 and series["price_cents"] == 56000
    local_starts = {
        datetime.fromisoformat(o["starts_at"]).astimezone(HELSINKI).strftime("%a %H:%M") for o in series["occurrences"]
    }
    assert local_starts == {"Sat 10:00"}  # across the October clock change
    utc_hours = {datetime.fromisoformat(o["starts_at"]).hour for o in series["occurrences"]}
    assert utc_hours == {7, 8}

    probe = DatabaseProbe()
    probe.engine = api.bookings.engine
    requested = await probe.outbox("BookingRequested", booking_id=series["id"])
    assert len(requested) == 1 and len(requested[0]["data"]["occurrences"]) == 14

    confirmed = await api.client.post(f"/bookings/{series['id']}/confirm", headers=staff)
    assert confirmed.json()["state"] == "confirmed"
    assert len(await probe.outbox("BookingConfirmed", booking_id=series["id"])) == 1

    one = series["occurrences"][3]["id"]
    single = await api.client.post(
        f"/bookings/{series['id']}/occurrences/{one}/cancel", json={"reason": "Kilpailumatka"}, headers=rep
    )
    assert single.status_code == 200, single.text
    assert single.json()["state"] == "confirmed"
    assert sum(o["active"] for o in single.json()["occurrences"]) == 13
    twice = await api.client.post(
        f"/bookings/{series['id']}/occurrences/{one}/cancel", json={"reason": "Kilpailumatka"}, headers=rep
    )
    assert twice.status_code == 409

    whole = await api.client.post(f"/bookings/{series['id']}/cancel", json={"reason": "Kausi loppui"}, headers=rep)
    assert whole.json()["state"] == "cancelled"
    cancelled = await probe.outbox("BookingCancelled", booking_id=series["id"])
    assert [(c["data"]["whole"], len(c["data"]["occurrences"])) for c in cancelled] == [(False, 1), (True, 13)]


async def test_the_weekly_quota_counts_each_week(api: Api) -> None:
    facility = await api.facility(rules={"weekly_quota_minutes": 180})
    association = await api.association()
    assert (await api.book(facility, association)).status_code == 201  # Tue 2 h
    over = await api.book(facility, association, starts_at="2027-09-09T18:00", ends_at="2027-09-09T20:00")
    assert over.status_code == 422 and "quota" in over.json()["detail"]
    next_week = await api.book(facility, association, starts_at="2027-09-14T18:00", ends_at="2027-09-14T20:00")
    assert next_week.status_code == 201
