"""A department's invoicing basis for a month as CSV: charged occurrences only, recorded prices, no persons."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from shared import directory_copy as copies
from shared.contracts.directory import ApplicantKind
from shared.testing.clock import MovableClock

from ..conftest import Api, field_of

pytestmark = pytest.mark.integration
ALL_DAY = {d: {"opens": "00:00", "closes": "23:30"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


async def _applicant(api: Api, name: str | None, kind: ApplicantKind) -> uuid.UUID:
    applicant_id = uuid.uuid4()
    await copies.copy_applicant(
        api.bookings.uow(), applicant_id=applicant_id, kind=kind, name=name, active=True, revision=1
    )
    return applicant_id


async def _booked(api: Api, facility: dict[str, Any], applicant: uuid.UUID, **slot: Any) -> dict[str, Any]:
    made = await api.book(facility, applicant, **slot)
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


def _rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_the_month_lists_each_charged_occurrence_with_its_recorded_price(api: Api, clock: MovableClock) -> None:
    department = await api.department()
    staff = api.tokens.staff(department)
    hall = await api.facility(department, name="Iso sali", weekly_hours=ALL_DAY, rules={"needs_approval": False})
    free_hall = await api.facility(
        department,
        name="Kerhohuone",
        rules={"needs_approval": False},
        pricing={"hourly_cents": 1500, "free_for_kinds": ["registered_association"]},
    )
    approved_hall = await api.facility(department, name="Pieni sali")
    club = await _applicant(api, "Porin Soutajat ry", ApplicantKind.REGISTERED_ASSOCIATION)
    sneaky = await _applicant(api, '=HYPERLINK("http://x")', ApplicantKind.UNREGISTERED_GROUP)
    person = await _applicant(api, "Maija Meikäläinen", ApplicantKind.PRIVATE_PERSON)

    # in September (Helsinki): 1 Sep 00:00 local is 31 Aug 21:00 UTC
    first = await _booked(api, hall, club, starts_at="2027-09-01T00:00", ends_at="2027-09-01T01:00")
    evening = await _booked(api, hall, sneaky, starts_at="2027-09-07T18:00", ends_at="2027-09-07T19:30")
    free = await _booked(api, free_hall, club, starts_at="2027-09-08T10:00", ends_at="2027-09-08T12:00")
    private = await _booked(api, hall, person, starts_at="2027-09-09T10:00", ends_at="2027-09-09T11:00")
    series = await _booked(
        api, hall, club, starts_at="2027-09-15T17:00", ends_at="2027-09-15T19:00", repeat_until="2027-10-06"
    )
    # not invoiced: the next month (1 Oct 00:00 local is 30 Sep 21:00 UTC), a request not yet confirmed, a
    # booking cancelled in time, a staff block, another department's booking
    await _booked(api, hall, club, starts_at="2027-10-01T00:00", ends_at="2027-10-01T01:00")
    await _booked(api, approved_hall, club, starts_at="2027-09-10T18:00", ends_at="2027-09-10T20:00")
    cancelled = await _booked(api, hall, club, starts_at="2027-09-11T12:00", ends_at="2027-09-11T14:00")
    rep = api.tokens.association(club)
    assert (
        await api.client.post(f"/bookings/{cancelled['id']}/cancel", json={"reason": "Ei tarvita"}, headers=rep)
    ).status_code == 200
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
    await _booked(api, await api.facility(), club)
    # the series: 15, 22, 29 Sep and 6 Oct; the booker cancels 22 Sep in time and 29 Sep too late (charged)
    by_day = {o["starts_at"][:10]: o["id"] for o in series["occurrences"]}
    on_time = await api.client.post(
        f"/bookings/{series['id']}/occurrences/{by_day['2027-09-22']}/cancel", json={"reason": "Kisat"}, headers=rep
    )
    assert on_time.status_code == 200, on_time.text
    clock.set(datetime(2027, 9, 25, 9, 0, tzinfo=UTC))
    late = await api.client.post(
        f"/bookings/{series['id']}/occurrences/{by_day['2027-09-29']}/cancel",
        json={"reason": "Sairastuimme"},
        headers=rep,
    )
    assert late.status_code == 200, late.text
    # a new price does not change what was recorded
    repriced = await api.client.patch(
        f"/facilities/{hall['id']}", json={"pricing": {"hourly_cents": 9900}}, headers=staff
    )
    assert repriced.status_code == 200, repriced.text

    answer = await api.client.get(
        f"/departments/{department}/invoicing.csv", params={"month": "2027-09"}, headers=staff
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == f'attachment; filename="invoicing-{department}-2027-09.csv"'
    assert answer.text.splitlines()[0].split(",") == [
        "booker", "booker_kind", "booker_id", "facility", "date", "start", "end", "hours", "price_eur",
        "free_use_reason", "late_cancellation", "booking_id", "occurrence_id",
    ]  # fmt: skip
    rows = _rows(answer)
    seen = [(r["booker"], r["facility"], r["date"], r["start"], r["end"], r["hours"], r["price_eur"]) for r in rows]
    assert seen == [
        ("Porin Soutajat ry", "Iso sali", "2027-09-01", "00:00", "01:00", "1.00", "20.00"),
        ('\'=HYPERLINK("http://x")', "Iso sali", "2027-09-07", "18:00", "19:30", "1.50", "30.00"),
        ("Porin Soutajat ry", "Kerhohuone", "2027-09-08", "10:00", "12:00", "2.00", "0.00"),
        ("", "Iso sali", "2027-09-09", "10:00", "11:00", "1.00", "20.00"),
        ("Porin Soutajat ry", "Iso sali", "2027-09-15", "17:00", "19:00", "2.00", "40.00"),
        ("Porin Soutajat ry", "Iso sali", "2027-09-29", "17:00", "19:00", "2.00", "40.00"),
    ]
    assert [r["free_use_reason"] for r in rows] == ["", "", "applicant_kind", "", "", ""]
    assert [r["late_cancellation"] for r in rows] == ["no", "no", "no", "no", "no", "yes"]
    assert [r["booker_kind"] for r in rows][3] == "private_person" and rows[3]["booker_id"] == str(person)
    assert "Meikäläinen" not in answer.text
    assert [r["booking_id"] for r in rows] == [
        first["id"], evening["id"], free["id"], private["id"], series["id"], series["id"]
    ]  # fmt: skip
    assert rows[0]["occurrence_id"] == first["occurrences"][0]["id"]

    october = await api.client.get(
        f"/departments/{department}/invoicing.csv", params={"month": "2027-10"}, headers=api.tokens.admin()
    )
    assert october.status_code == 200, october.text
    assert [(r["date"], r["start"]) for r in _rows(october)] == [("2027-10-01", "00:00"), ("2027-10-06", "17:00")]
    empty = await api.client.get(f"/departments/{department}/invoicing.csv", params={"month": "2027-11"}, headers=staff)
    assert empty.status_code == 200 and _rows(empty) == [] and empty.text.startswith("booker,")


async def test_only_the_department_and_admins_read_it_and_a_bad_month_is_named(api: Api) -> None:
    department = await api.department()
    url = f"/departments/{department}/invoicing.csv"
    month = {"month": "2027-09"}
    assert (await api.client.get(url, params=month)).status_code == 401
    other = api.tokens.staff(await api.department())
    assert (await api.client.get(url, params=month, headers=other)).status_code == 403
    rep = api.tokens.association(await api.association())
    assert (await api.client.get(url, params=month, headers=rep)).status_code == 403
    unknown = await api.client.get("/departments/no-such-dept/invoicing.csv", params=month, headers=api.tokens.admin())
    assert unknown.status_code == 404
    staff = api.tokens.staff(department)
    for bad in ("2027-13", "2027-9", "27-09", "2027-09-01", "september", ""):
        refused = await api.client.get(url, params={"month": bad}, headers=staff)
        assert refused.status_code == 422, (bad, refused.text)
        assert field_of(refused) == "query.month"
    missing = await api.client.get(url, headers=staff)
    assert missing.status_code == 422 and field_of(missing) == "query.month"
