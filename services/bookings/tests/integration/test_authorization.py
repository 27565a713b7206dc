"""Who sees and does what: per role, and for someone else's objects."""

from __future__ import annotations

import pytest

from ..conftest import Api

pytestmark = pytest.mark.integration


async def test_an_association_never_sees_another_ones_booking(api: Api) -> None:
    facility = await api.facility()
    mine, theirs = await api.association(), await api.association()
    booking = (await api.book(facility, mine)).json()
    other = api.tokens.association(theirs)
    assert (await api.client.get(f"/bookings/{booking['id']}", headers=other)).status_code == 404
    listed = (await api.client.get("/bookings", headers=other)).json()
    assert listed["total"] == 0
    cancel = await api.client.post(f"/bookings/{booking['id']}/cancel", json={"reason": "x"}, headers=other)
    assert cancel.status_code == 404
    # booking for another association is refused
    assert (
        await api.book(facility, theirs, starts_at="2027-09-08T18:00", ends_at="2027-09-08T20:00")
    ).status_code == 201
    forged = await api.client.post(
        "/bookings",
        json={
            "facility_id": facility["id"],
            "applicant_id": str(theirs),
            "starts_at": "2027-09-09T18:00",
            "ends_at": "2027-09-09T20:00",
            "accepts_terms": True,
        },
        headers=api.tokens.association(mine),
    )
    assert forged.status_code == 403


async def test_only_the_managing_department_decides_and_sees_who_booked(api: Api) -> None:
    facility = await api.facility()
    association = await api.association()
    booking = (await api.book(facility, association)).json()
    other_staff = api.tokens.staff(await api.department())
    assert (await api.client.post(f"/bookings/{booking['id']}/confirm", headers=other_staff)).status_code == 404
    assert (
        await api.client.post(f"/bookings/{booking['id']}/confirm", headers=api.tokens.association(association))
    ).status_code == 403

    url = f"/facilities/{facility['id']}/availability?from=2027-09-07&period=day"
    public = (await api.client.get(url)).json()["days"][0]
    assert public["taken"][0]["booking_id"] is None and public["taken"][0]["applicant_id"] is None
    assert str(association) not in str(public)
    assert [f["starts_at"] for f in public["free"]] == ["2027-09-07T05:00:00Z", "2027-09-07T17:00:00Z"]
    staff = (await api.client.get(url, headers=api.tokens.staff(facility["department_code"]))).json()["days"][0]
    assert staff["taken"][0]["applicant_id"] == str(association)
    own = (await api.client.get(url, headers=api.tokens.association(association))).json()["days"][0]
    assert own["taken"][0]["own"] is True
    assert (await api.client.get(url, headers=other_staff)).json()["days"][0]["taken"][0]["applicant_id"] is None


async def test_staff_register_facilities_of_their_own_department_only(api: Api) -> None:
    department = await api.department()
    body = {"name": "Sali", "department_code": department, "address": "Katu 1", "capacity": 10}
    other = await api.client.post("/facilities", json=body, headers=api.tokens.staff("someone-else"))
    assert other.status_code == 403
    rep = await api.client.post("/facilities", json=body, headers=api.tokens.association(await api.association()))
    assert rep.status_code == 403
    unknown = body | {"department_code": "no-such-dept"}
    assert (
        await api.client.post("/facilities", json=unknown, headers=api.tokens.staff("no-such-dept"))
    ).status_code == 422
