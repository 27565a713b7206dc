"""Requesting, confirming, rejecting and cancelling bookings over the API, on real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from shared.contracts.directory import ApplicantKind

from ..conftest import Api, field_of

pytestmark = pytest.mark.integration


async def _outbox_types(api: Api, booking_id: str) -> list[str]:
    async with api.bookings.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT envelope->>'type' FROM outbox_message WHERE envelope->'data'->>'booking_id' = :b ORDER BY id"),
            {"b": booking_id},
        )
        return [r[0] for r in rows]


async def test_a_request_is_priced_recorded_and_confirmed_by_the_department(api: Api) -> None:
    facility = await api.facility()
    association = await api.association()
    quote = await api.client.post(
        "/quotes",
        json={
            "facility_id": facility["id"],
            "applicant_id": str(association),
            "starts_at": "2027-09-07T18:00",
            "ends_at": "2027-09-07T20:00",
        },
        headers=api.tokens.association(association),
    )
    assert quote.status_code == 200, quote.text
    assert quote.json()["price_cents"] == 4000 and quote.json()["occurrences"][0]["bookable"]

    made = await api.book(facility, association)
    assert made.status_code == 201, made.text
    booking = made.json()
    assert booking["state"] == "requested" and booking["price_cents"] == 4000
    assert booking["occurrences"][0]["starts_at"] == "2027-09-07T15:00:00Z"  # 18:00 in Helsinki (UTC+3)

    staff = api.tokens.staff(facility["department_code"])
    confirmed = await api.client.post(f"/bookings/{booking['id']}/confirm", headers=staff)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "confirmed"
    assert await _outbox_types(api, booking["id"]) == ["BookingRequested", "BookingConfirmed"]


async def test_a_facility_without_approval_confirms_at_once(api: Api) -> None:
    facility = await api.facility(rules={"needs_approval": False})
    made = await api.book(facility, await api.association())
    assert made.status_code == 201 and made.json()["state"] == "confirmed"
    assert await _outbox_types(api, made.json()["id"]) == ["BookingConfirmed"]


async def test_an_overlap_is_a_409_naming_the_slot_without_its_booker(api: Api) -> None:
    facility = await api.facility(rules={"buffer_minutes": 30})
    first, second = await api.association(), await api.association()
    assert (await api.book(facility, first)).status_code == 201
    # 20:00 is inside the 30-minute buffer after the first booking
    clash = await api.book(facility, second, starts_at="2027-09-07T20:00", ends_at="2027-09-07T21:00")
    assert clash.status_code == 409, clash.text
    problem = clash.json()
    assert field_of(clash) == "starts_at" and "18:00–20:00" in problem["detail"]
    assert str(first) not in clash.text
    after_buffer = await api.book(facility, second, starts_at="2027-09-07T20:30", ends_at="2027-09-07T21:30")
    assert after_buffer.status_code == 201, after_buffer.text


async def test_a_rejection_frees_the_time_and_gives_a_reason(api: Api) -> None:
    facility = await api.facility()
    made = (await api.book(facility, await api.association())).json()
    staff = api.tokens.staff(facility["department_code"])
    no_reason = await api.client.post(f"/bookings/{made['id']}/reject", json={"reason": "  "}, headers=staff)
    assert no_reason.status_code == 422 and field_of(no_reason) == "reason"
    rejected = await api.client.post(f"/bookings/{made['id']}/reject", json={"reason": "Remontti"}, headers=staff)
    assert rejected.json()["state"] == "rejected"
    assert (await api.book(facility, await api.association())).status_code == 201


async def test_closures_and_holidays_refuse_a_slot(api: Api) -> None:
    facility = await api.facility()
    association = await api.association()
    staff = api.tokens.staff(facility["department_code"])
    closed = await api.client.post(
        f"/facilities/{facility['id']}/exceptions", json={"day": "2027-09-08", "reason": "Lattiahuolto"}, headers=staff
    )
    assert closed.status_code == 201, closed.text
    on_closure = await api.book(facility, association, starts_at="2027-09-08T18:00", ends_at="2027-09-08T20:00")
    assert on_closure.status_code == 422 and "Lattiahuolto" in on_closure.json()["detail"]
    independence_day = await api.book(facility, association, starts_at="2027-12-06T18:00", ends_at="2027-12-06T20:00")
    assert independence_day.status_code == 422 and "Independence Day" in independence_day.json()["detail"]
    late = await api.book(facility, association, starts_at="2027-09-07T21:00", ends_at="2027-09-07T23:00")
    assert late.status_code == 422 and "opening hours" in late.json()["detail"]


async def test_price_by_kind_and_free_use_by_kind_and_by_grant(api: Api) -> None:
    department = await api.department()
    facility = await api.facility(
        department,
        pricing={
            "hourly_cents": 3000,
            "hourly_cents_by_kind": {"registered_association": 1500},
            "free_for_kinds": ["unregistered_group"],
        },
    )
    registered, group, granted = (
        await api.association(),
        await api.association(ApplicantKind.UNREGISTERED_GROUP),
        await api.association(),
    )
    staff = api.tokens.staff(department)
    grant = await api.client.post(
        f"/departments/{department}/free-use",
        json={
            "applicant_id": str(granted),
            "valid_from": "2027-01-01",
            "valid_until": "2027-12-31",
            "reason": "Nuorisotyö",
        },
        headers=staff,
    )
    assert grant.status_code == 201, grant.text
    priced: dict[str, Any] = {}
    for name, who, day in (("registered", registered, "07"), ("group", group, "14"), ("granted", granted, "21")):
        made = await api.book(facility, who, starts_at=f"2027-09-{day}T18:00", ends_at=f"2027-09-{day}T19:30")
        assert made.status_code == 201, made.text
        priced[name] = (made.json()["price_cents"], made.json()["free_use_reason"])
    assert priced == {
        "registered": (2250, None),
        "group": (0, "applicant_kind"),
        "granted": (0, "department_grant"),
    }


async def test_staff_block_takes_the_time(api: Api) -> None:
    facility = await api.facility()
    staff = api.tokens.staff(facility["department_code"])
    block = await api.client.post(
        "/blocks",
        json={
            "facility_id": facility["id"],
            "starts_at": "2027-09-07T17:00",
            "ends_at": "2027-09-07T19:00",
            "reason": "Huolto",
        },
        headers=staff,
    )
    assert block.status_code == 201 and block.json()["kind"] == "block"
    assert (await api.book(facility, await api.association())).status_code == 409


async def test_cancelling_late_is_charged_early_is_free(api: Api) -> None:
    facility = await api.facility(rules={"free_cancellation_days": 7, "needs_approval": False})
    association = await api.association()
    early = (await api.book(facility, association)).json()
    late = (await api.book(facility, association, starts_at="2027-08-05T18:00", ends_at="2027-08-05T20:00")).json()
    rep = api.tokens.association(association)
    for booking, charged in ((early, False), (late, True)):
        done = await api.client.post(f"/bookings/{booking['id']}/cancel", json={"reason": "Peruttu"}, headers=rep)
        assert done.status_code == 200, done.text
        assert done.json()["state"] == "cancelled"
        assert done.json()["occurrences"][0]["late_cancellation"] is charged
        assert done.json()["price_cents"] == (4000 if charged else 0)
    again = await api.book(facility, await api.association())
    assert again.status_code == 201


async def test_bad_input_names_the_field_and_writes_nothing(api: Api) -> None:
    facility = await api.facility(rules={"terms": "Siivoa jälkesi."})
    association = await api.association()
    cases: dict[str, dict[str, Any]] = {
        "ends_at": {"ends_at": "2027-09-07T17:00"},
        "starts_at": {"starts_at": "2027-09-07T18:10", "ends_at": "2027-09-07T20:10"},
        "accepts_terms": {"accepts_terms": False},
        "applicant_id": {"applicant_id": "00000000-0000-0000-0000-000000000000"},
    }
    for field, change in cases.items():
        headers = api.tokens.staff(facility["department_code"]) if field == "applicant_id" else None
        body = {
            "facility_id": facility["id"],
            "applicant_id": str(association),
            "starts_at": "2027-09-07T18:00",
            "ends_at": "2027-09-07T20:00",
            "accepts_terms": True,
        } | change
        answer = await api.client.post("/bookings", json=body, headers=headers or api.tokens.association(association))
        assert answer.status_code == 422, (field, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field_of(answer) == field, answer.text
    async with api.bookings.engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM booking WHERE facility_id = :f"), {"f": facility["id"]})
    assert count == 0
