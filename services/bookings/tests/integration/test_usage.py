"""The usage figures for the yearly report: associations' hours per facility and month, free and rented."""

from __future__ import annotations

from typing import Any

import pytest

from ..conftest import Api, field_of

pytestmark = pytest.mark.integration
ALL_DAY = {d: {"opens": "00:00", "closes": "23:30"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _figures(association: float, free: float, rented: float, rent_cents: int) -> dict[str, Any]:
    return {"association_hours": association, "free_hours": free, "rented_hours": rented, "rent_cents": rent_cents}


async def test_the_figures_add_up_per_facility_month_and_year(api: Api) -> None:
    department = await api.department()
    staff = api.tokens.staff(department)
    hall = await api.facility(
        department, name="Iso sali", weekly_hours=ALL_DAY, rules={"needs_approval": False}, closed_on_holidays=False
    )
    club_room = await api.facility(
        department,
        name="Kerhohuone",
        rules={"needs_approval": False},
        pricing={"hourly_cents": 1500, "free_for_kinds": ["registered_association"]},
    )
    approved = await api.facility(department, name="Pieni sali")
    club, granted = await api.association(), await api.association()
    grant = await api.client.post(
        f"/departments/{department}/free-use",
        json={
            "applicant_id": str(granted),
            "facility_id": hall["id"],
            "valid_from": "2027-08-01",
            "valid_until": "2027-12-31",
            "reason": "Nuorisotyö",
        },
        headers=staff,
    )
    assert grant.status_code == 201, grant.text

    async def book(facility: dict[str, Any], who: object, starts: str, ends: str, **extra: Any) -> dict[str, Any]:
        made = await api.book(facility, who, starts_at=starts, ends_at=ends, **extra)
        assert made.status_code == 201, made.text
        return made.json()  # type: ignore[no-any-return]

    # Iso sali, September: rented 2 h + 1.5 h (40 € + 30 €), free 1.5 h (the department's grant)
    await book(hall, club, "2027-09-07T18:00", "2027-09-07T20:00")
    await book(hall, club, "2027-09-30T22:00", "2027-09-30T23:30")
    await book(hall, granted, "2027-09-08T10:00", "2027-09-08T11:30")
    # Iso sali, October: 1 Oct 00:00-01:00 local (30 Sep in UTC) rented 1 h (20 €); a series of 5, 12 and 19 Oct
    # 2 h each with 12 Oct cancelled: rented 4 h (80 €)
    await book(hall, club, "2027-10-01T00:00", "2027-10-01T01:00")
    series = await book(hall, club, "2027-10-05T17:00", "2027-10-05T19:00", repeat_until="2027-10-19")
    middle = next(o["id"] for o in series["occurrences"] if o["starts_at"].startswith("2027-10-12"))
    cancelled = await api.client.post(
        f"/bookings/{series['id']}/occurrences/{middle}/cancel", json={"reason": "Kisat"}, headers=staff
    )
    assert cancelled.status_code == 200, cancelled.text
    # Kerhohuone, October: free 2 h (registered associations use it free)
    await book(club_room, club, "2027-10-10T10:00", "2027-10-10T12:00")
    # not counted: a staff block, a request not confirmed, a cancelled booking, the next year (1 Jan 2028 00:00
    # local is still 2027 in UTC)
    block = await api.client.post(
        "/blocks",
        json={
            "facility_id": hall["id"],
            "starts_at": "2027-09-20T08:00",
            "ends_at": "2027-09-20T12:00",
            "reason": "Huolto",
        },
        headers=staff,
    )
    assert block.status_code == 201, block.text
    await book(approved, club, "2027-09-10T18:00", "2027-09-10T20:00")
    gone = await book(hall, club, "2027-11-02T12:00", "2027-11-02T14:00")
    assert (
        await api.client.post(f"/bookings/{gone['id']}/cancel", json={"reason": "Ei tarvita"}, headers=staff)
    ).status_code == 200
    await book(hall, club, "2028-01-01T00:00", "2028-01-01T02:00")

    answer = await api.client.get("/usage", params={"year": 2027, "department": department}, headers=staff)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["year"] == 2027 and report["department_code"] == department
    assert report["facilities"] == [
        {
            "facility_id": hall["id"],
            "facility_name": "Iso sali",
            "department_code": department,
            "months": [
                {"month": "2027-09", **_figures(5.0, 1.5, 3.5, 7000)},
                {"month": "2027-10", **_figures(5.0, 0.0, 5.0, 10000)},
            ],
            "total": _figures(10.0, 1.5, 8.5, 17000),
        },
        {
            "facility_id": club_room["id"],
            "facility_name": "Kerhohuone",
            "department_code": department,
            "months": [{"month": "2027-10", **_figures(2.0, 2.0, 0.0, 0)}],
            "total": _figures(2.0, 2.0, 0.0, 0),
        },
    ]
    assert report["months"] == [
        {"month": "2027-09", **_figures(5.0, 1.5, 3.5, 7000)},
        {"month": "2027-10", **_figures(7.0, 2.0, 5.0, 10000)},
    ]
    assert report["total"] == _figures(12.0, 3.5, 8.5, 17000)
    assert str(club) not in answer.text and str(granted) not in answer.text  # aggregates only

    next_year = await api.client.get("/usage", params={"year": 2028, "department": department}, headers=staff)
    assert next_year.json()["total"] == _figures(2.0, 0.0, 2.0, 4000)

    # every department together, read by another department's staff and by an admin
    for reader in (api.tokens.staff(await api.department()), api.tokens.admin()):
        everything = await api.client.get("/usage", params={"year": 2027}, headers=reader)
        assert everything.status_code == 200, everything.text
        mine = [f for f in everything.json()["facilities"] if f["department_code"] == department]
        assert mine == report["facilities"]
        assert everything.json()["total"]["association_hours"] >= 12.0


async def test_staff_and_admins_only_and_bad_parameters_are_named(api: Api) -> None:
    assert (await api.client.get("/usage", params={"year": 2027})).status_code == 401
    rep = api.tokens.association(await api.association())
    assert (await api.client.get("/usage", params={"year": 2027}, headers=rep)).status_code == 403
    admin = api.tokens.admin()
    empty = await api.client.get("/usage", params={"year": 2027, "department": "no-such-dept"}, headers=admin)
    assert empty.status_code == 200 and empty.json()["facilities"] == [] and empty.json()["months"] == []
    assert empty.json()["total"] == _figures(0.0, 0.0, 0.0, 0)
    for params, field in (
        ({}, "query.year"),
        ({"year": "27"}, "query.year"),
        ({"year": "twenty"}, "query.year"),
        ({"year": 2027, "department": "Not A Code"}, "query.department"),
    ):
        refused = await api.client.get("/usage", params=params, headers=admin)
        assert refused.status_code == 422 and field_of(refused) == field, (params, refused.text)
