"""Changing a facility: its managing department (and admins) only; bookings already made keep their price."""

from __future__ import annotations

import uuid

import pytest

from ..conftest import Api, field_of

pytestmark = pytest.mark.integration


async def test_the_managing_department_changes_rules_price_and_hours_and_bookings_keep_theirs(api: Api) -> None:
    facility = await api.facility(rules={"needs_approval": False, "window_opens_days": 365})
    booked = await api.book(facility, await api.association())
    assert booked.status_code == 201 and booked.json()["price_cents"] == 4000, booked.text
    staff = api.tokens.staff(facility["department_code"])

    changed = await api.client.patch(
        f"/facilities/{facility['id']}",
        json={
            "name": "Uusi sali",
            "accessibility": "Esteetön sisäänkäynti",
            "rules": {"buffer_minutes": 30, "weekly_quota_minutes": 240},
            "pricing": {"hourly_cents": 3000},
            "weekly_hours": {"mon": {"opens": "10:00", "closes": "20:00"}},
            "closed_on_holidays": False,
        },
        headers=staff | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["name"] == "Uusi sali" and body["accessibility"] == "Esteetön sisäänkäynti"
    assert body["rules"]["buffer_minutes"] == 30 and body["rules"]["weekly_quota_minutes"] == 240
    assert body["rules"]["needs_approval"] is False and body["rules"]["window_opens_days"] == 365  # kept
    assert body["pricing"]["hourly_cents"] == 3000
    assert body["weekly_hours"] == {"mon": {"opens": "10:00", "closes": "20:00"}}
    assert body["closed_on_holidays"] is False and body["address"] == facility["address"]
    assert (await api.client.get(f"/facilities/{facility['id']}")).json() == body

    # the booking made before keeps its slot and its recorded price
    kept = await api.client.get(f"/bookings/{booked.json()['id']}", headers=staff)
    assert kept.json()["state"] == "confirmed" and kept.json()["price_cents"] == 4000
    # a new request is priced and checked under the new rules: Mondays 10-20 at 30 €/h
    late = await api.book(facility, await api.association(), starts_at="2027-09-13T20:00", ends_at="2027-09-13T21:00")
    assert late.status_code == 422, late.text
    new = await api.book(facility, await api.association(), starts_at="2027-09-13T18:00", ends_at="2027-09-13T20:00")
    assert new.status_code == 201 and new.json()["price_cents"] == 6000, new.text

    cleared = await api.client.patch(
        f"/facilities/{facility['id']}",
        json={"accessibility": None, "rules": {"weekly_quota_minutes": None}},
        headers=staff,
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["accessibility"] is None and cleared.json()["rules"]["weekly_quota_minutes"] is None
    assert cleared.json()["rules"]["buffer_minutes"] == 30


async def test_an_admin_may_change_any_facility(api: Api) -> None:
    facility = await api.facility()
    changed = await api.client.patch(f"/facilities/{facility['id']}", json={"capacity": 12}, headers=api.tokens.admin())
    assert changed.status_code == 200 and changed.json()["capacity"] == 12, changed.text


async def test_bad_values_are_refused_naming_the_field(api: Api) -> None:
    facility = await api.facility()
    staff = api.tokens.staff(facility["department_code"])
    url = f"/facilities/{facility['id']}"
    cases = [
        ({"capacity": 0}, "capacity"),
        ({"name": None}, "name"),
        ({"department_code": "other"}, "department_code"),
        ({"colour": "red"}, "colour"),
        ({"rules": {"max_minutes": 30}}, "max_minutes"),  # shorter than the facility's shortest (60)
        ({"rules": {"buffer": 5}}, "rules.buffer"),
        ({"weekly_hours": {"mon": {"opens": "20:00", "closes": "08:00"}}}, "weekly_hours"),
        ({"pricing": {"hourly_cents": -1}}, "pricing.hourly_cents"),
        ({"contact_id": str(uuid.uuid4())}, "contact_id"),
    ]
    for body, field in cases:
        refused = await api.client.patch(url, json=body, headers=staff)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert field_of(refused) == field, (body, refused.text)
    assert (await api.client.get(url)).json() == facility


async def test_another_department_is_forbidden_and_an_unknown_facility_missing(api: Api) -> None:
    facility = await api.facility()
    other = api.tokens.staff(await api.department())
    url = f"/facilities/{facility['id']}"
    assert (await api.client.patch(url, json={"capacity": 5}, headers=other)).status_code == 403
    representative = api.tokens.association(await api.association())
    assert (await api.client.patch(url, json={"capacity": 5}, headers=representative)).status_code == 403
    assert (await api.client.patch(url, json={"capacity": 5})).status_code == 401
    unknown = await api.client.patch(f"/facilities/{uuid.uuid4()}", json={"capacity": 5}, headers=api.tokens.admin())
    assert unknown.status_code == 404
    assert (await api.client.get(url)).json()["capacity"] == facility["capacity"]
