"""Seasonal rounds through the API on PostgreSQL: made by staff, opened and closed on time exactly once,
applied to by associations before the deadline, and every wish on the staff's grid."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from bookings.bootstrap import jobs
from shared import directory_copy as copies
from shared.contracts.directory import ApplicantKind
from shared.scheduling import run_jobs_once
from shared.testing.clock import MovableClock
from shared.testing.probe import DatabaseProbe

from ..conftest import Api, field_of

pytestmark = pytest.mark.integration


def probe(api: Api) -> DatabaseProbe:
    p = DatabaseProbe()
    p.engine = api.bookings.engine
    return p


def round_body(department: str, facility_ids: list[str], **overrides: Any) -> dict[str, Any]:
    """Applications 2027-08-03 08:00 – 2027-08-20 16:00 Helsinki time (NOW is 2027-08-02 12:00 there)."""
    return {
        "department_code": department,
        "name": "Vakiovuorot syksy 2027 – kevät 2028",
        "opens_at": "2027-08-03T08:00",
        "closes_at": "2027-08-20T16:00",
        "season_starts_on": "2027-09-01",
        "season_ends_on": "2028-05-31",
        "facility_ids": facility_ids,
        "principles": "Lasten ja nuorten ryhmät ensin.",
    } | overrides


def wish(facility_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "weekdays": ["mon", "wed"],
        "earliest": "17:00",
        "latest": "21:00",
        "duration_minutes": 90,
        "weekly_count": 2,
        "age_group": "children",
        "participants": 20,
        "purpose": "juniorisalibandy",
    }
    if facility_id:
        body["facility_id"] = facility_id
    return body | overrides


async def open_round(api: Api, clock: MovableClock) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    facility = await api.facility()
    staff = api.tokens.staff(facility["department_code"])
    made = await api.client.post(
        "/season-rounds", json=round_body(facility["department_code"], [facility["id"]]), headers=staff
    )
    assert made.status_code == 201, made.text
    opened = await api.client.post(f"/season-rounds/{made.json()['id']}/open", headers=staff)
    assert opened.status_code == 200, opened.text
    return opened.json(), facility, staff


async def test_staff_make_a_draft_only_their_department_sees_and_new_principles_are_a_new_version(api: Api) -> None:
    facility = await api.facility()
    department = facility["department_code"]
    staff, other = api.tokens.staff(department), api.tokens.staff(await api.department())
    made = await api.client.post("/season-rounds", json=round_body(department, [facility["id"]]), headers=staff)
    assert made.status_code == 201, made.text
    r = made.json()
    assert (r["state"], r["principles_version"], r["opened_principles_version"]) == ("draft", 1, None)
    assert r["opens_at"] == "2027-08-03T05:00:00Z"  # Helsinki summer time
    url = f"/season-rounds/{r['id']}"
    assert (await api.client.get(url, headers=other)).status_code == 404
    assert (await api.client.get(url)).status_code == 404
    assert (await api.client.patch(url, json={"name": "x"}, headers=other)).status_code == 404
    listed = (await api.client.get("/season-rounds", headers=other, params={"department_code": department})).json()
    assert listed["total"] == 0

    changed = await api.client.patch(url, json={"principles": "Lapset ensin; jatkuvuus."}, headers=staff)
    assert changed.status_code == 200 and changed.json()["principles_version"] == 2
    same = await api.client.patch(url, json={"principles": "Lapset ensin; jatkuvuus.", "free_use": True}, headers=staff)
    assert same.json()["principles_version"] == 2 and same.json()["free_use"] is True
    versions = await probe(api).scalar(
        "SELECT count(*) FROM season_principles WHERE round_id = :r", r=uuid.UUID(r["id"])
    )
    assert versions == 2

    opened = await api.client.post(f"{url}/open", headers=staff)
    assert opened.json()["opened_principles_version"] == 2 and opened.json()["state"] == "open"
    assert (await api.client.get(url)).status_code == 200  # public once open
    assert (await api.client.patch(url, json={"name": "x"}, headers=staff)).status_code == 409


async def test_bad_input_is_refused_naming_the_field(api: Api) -> None:
    facility = await api.facility()
    department = facility["department_code"]
    staff = api.tokens.staff(department)
    cases = {
        "closes_at": round_body(department, [facility["id"]], closes_at="2027-08-03T07:00"),
        "season_starts_on": round_body(department, [facility["id"]], season_starts_on="2027-08-10"),
        "facility_ids.0": round_body(department, [str(uuid.uuid4())]),
    }
    for field, body in cases.items():
        refused = await api.client.post("/season-rounds", json=body, headers=staff)
        assert (refused.status_code, field_of(refused)) == (422, field), refused.text
    other = await api.facility()  # another department's hall
    foreign = await api.client.post("/season-rounds", json=round_body(department, [other["id"]]), headers=staff)
    assert (foreign.status_code, field_of(foreign)) == (422, "facility_ids.0")
    elsewhere = await api.client.post(
        "/season-rounds", json=round_body(department, []), headers=api.tokens.staff("x-y")
    )
    assert elsewhere.status_code == 403


async def test_the_worker_opens_and_closes_a_round_on_time_exactly_once(api: Api, clock: MovableClock) -> None:
    facility = await api.facility()
    staff = api.tokens.staff(facility["department_code"])
    r = (
        await api.client.post(
            "/season-rounds", json=round_body(facility["department_code"], [facility["id"]]), headers=staff
        )
    ).json()
    unfinished = (
        await api.client.post("/season-rounds", json=round_body(facility["department_code"], []), headers=staff)
    ).json()
    url, events = f"/season-rounds/{r['id']}", probe(api)

    await run_jobs_once(api.bookings, jobs(api.bookings), clock.now)  # not yet time
    assert (await api.client.get(url, headers=staff)).json()["state"] == "draft"

    clock.now = clock.now + timedelta(hours=20)  # 2027-08-03 08:00 Helsinki has come
    # Three workers wake at once: the round opens once, with one event.
    await asyncio.gather(*(run_jobs_once(api.bookings, jobs(api.bookings), clock.now) for _ in range(3)))
    opened = (await api.client.get(url)).json()
    assert opened["state"] == "open" and opened["opened_principles_version"] == 1
    [event] = await events.outbox("SeasonRoundOpened", round_id=r["id"])
    assert event["data"]["facility_ids"] == [facility["id"]] and event["data"]["principles_version"] == 1
    # a draft without its facilities waits for staff
    assert (await api.client.get(f"/season-rounds/{unfinished['id']}", headers=staff)).json()["state"] == "draft"

    clock.now = clock.now + timedelta(days=18)
    await asyncio.gather(*(run_jobs_once(api.bookings, jobs(api.bookings), clock.now) for _ in range(3)))
    assert (await api.client.get(url)).json()["state"] == "closed"
    [closed] = await events.outbox("SeasonRoundClosed", round_id=r["id"])
    assert closed["data"]["applications_submitted"] == 0
    await run_jobs_once(api.bookings, jobs(api.bookings), clock.now)
    assert len(await events.outbox("SeasonRoundOpened", round_id=r["id"])) == 1
    assert len(await events.outbox("SeasonRoundClosed", round_id=r["id"])) == 1


async def test_an_association_applies_submits_and_withdraws_before_the_deadline_only(
    api: Api, clock: MovableClock
) -> None:
    r, facility, staff = await open_round(api, clock)
    club = await api.association()
    rep = api.tokens.association(club)
    body = {"round_id": r["id"], "applicant_id": str(club), "wishes": [wish(facility["id"])]}
    made = await api.client.post("/season-applications", json=body, headers=rep)
    assert made.status_code == 201, made.text
    application = made.json()
    assert application["state"] == "draft" and application["wishes"][0]["priority"] == 1
    url = f"/season-applications/{application['id']}"
    again = await api.client.post("/season-applications", json=body, headers=rep)
    assert (again.status_code, field_of(again)) == (409, "applicant_id")

    wishes = [wish(facility_kind="rehearsals", weekdays=["fri"], weekly_count=1), wish(facility["id"])]
    replaced = await api.client.put(f"{url}/wishes", json={"wishes": wishes}, headers=rep)
    assert [w["priority"] for w in replaced.json()["wishes"]] == [1, 2]
    assert replaced.json()["wishes"][0]["facility_kind"] == "rehearsals"
    submitted = await api.client.post(f"{url}/submit", headers=rep)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert (await api.client.post(f"{url}/submit", headers=rep)).status_code == 409

    clock.now = clock.now + timedelta(days=19)  # past 2027-08-20 16:00 Helsinki
    late = await api.client.post(f"{url}/withdraw", headers=rep)
    assert late.status_code == 409
    latecomer = await api.association()
    refused = await api.client.post(
        "/season-applications",
        json={"round_id": r["id"], "applicant_id": str(latecomer), "wishes": [wish(facility["id"])]},
        headers=api.tokens.association(latecomer),
    )
    assert refused.status_code == 409
    assert (await api.client.get(url, headers=staff)).json()["state"] == "submitted"


async def test_a_withdrawn_application_may_be_followed_by_a_new_one(api: Api, clock: MovableClock) -> None:
    r, facility, _ = await open_round(api, clock)
    club = await api.association()
    rep = api.tokens.association(club)
    body = {"round_id": r["id"], "applicant_id": str(club), "wishes": [wish(facility["id"])]}
    first = (await api.client.post("/season-applications", json=body, headers=rep)).json()
    withdrawn = await api.client.post(f"/season-applications/{first['id']}/withdraw", headers=rep)
    assert withdrawn.json()["state"] == "withdrawn"
    assert (await api.client.post("/season-applications", json=body, headers=rep)).status_code == 201


async def test_an_inactive_association_is_refused(api: Api, clock: MovableClock) -> None:
    r, facility, _ = await open_round(api, clock)
    club = uuid.uuid4()
    await copies.copy_applicant(
        api.bookings.uow(), applicant_id=club, kind=ApplicantKind.REGISTERED_ASSOCIATION, name="Lopettanut ry",
        active=False, revision=1,
    )  # fmt: skip
    body = {"round_id": r["id"], "applicant_id": str(club), "wishes": [wish(facility["id"])]}
    refused = await api.client.post("/season-applications", json=body, headers=api.tokens.association(club))
    assert (refused.status_code, field_of(refused)) == (422, "applicant_id")


async def test_wishes_that_cannot_be_met_as_asked_are_refused_naming_the_field(api: Api, clock: MovableClock) -> None:
    r, facility, _ = await open_round(api, clock)
    club = await api.association()
    rep = api.tokens.association(club)
    cases = {
        "wishes.1.facility_id": [wish(facility["id"]), wish(str(uuid.uuid4()))],
        "wishes.0.facility_kind": [wish(facility_kind="ice-rink")],
        "wishes.0.duration_minutes": [wish(facility["id"], duration_minutes=300)],
        "wishes.0.weekly_count": [wish(facility["id"], weekly_count=3)],
    }
    for field, wishes in cases.items():
        body = {"round_id": r["id"], "applicant_id": str(club), "wishes": wishes}
        refused = await api.client.post("/season-applications", json=body, headers=rep)
        assert (refused.status_code, field_of(refused)) == (422, field), refused.text
    schema = await api.client.post(
        "/season-applications",
        json={"round_id": r["id"], "applicant_id": str(club), "wishes": [wish(facility["id"], weekdays=["someday"])]},
        headers=rep,
    )
    assert schema.status_code == 422 and "weekdays" in str(field_of(schema))


async def test_each_sees_and_does_only_its_own(api: Api, clock: MovableClock) -> None:
    r, facility, staff = await open_round(api, clock)
    mine, theirs = await api.association(), await api.association()
    body = {"round_id": r["id"], "applicant_id": str(mine), "wishes": [wish(facility["id"])]}
    forged = await api.client.post("/season-applications", json=body, headers=api.tokens.association(theirs))
    assert forged.status_code == 403
    assert (await api.client.post("/season-applications", json=body, headers=staff)).status_code == 403
    application = (
        await api.client.post("/season-applications", json=body, headers=api.tokens.association(mine))
    ).json()
    url = f"/season-applications/{application['id']}"
    other_rep, other_staff = api.tokens.association(theirs), api.tokens.staff(await api.department())
    for headers in (other_rep, other_staff):
        assert (await api.client.get(url, headers=headers)).status_code == 404
        assert (await api.client.post(f"{url}/submit", headers=headers)).status_code == 404
    assert (await api.client.get(url, headers=staff)).status_code == 200
    assert (await api.client.post(f"{url}/submit", headers=staff)).status_code == 403  # staff see, the club acts
    assert (await api.client.get(f"/season-rounds/{r['id']}/grid", headers=other_staff)).status_code == 403
    assert (await api.client.get(f"/season-rounds/{r['id']}/grid", headers=other_rep)).status_code == 403
    assert (await api.client.post(f"/season-rounds/{r['id']}/close", headers=other_staff)).status_code == 403


async def test_staff_see_every_submitted_wish_on_a_grid_per_facility_and_weekday(api: Api, clock: MovableClock) -> None:
    r, facility, staff = await open_round(api, clock)
    juniors, seniors, drafting = await api.association(), await api.association(), await api.association()
    for club, wishes in (
        (juniors, [wish(facility["id"])]),
        (seniors, [wish(facility_kind="meetings", weekdays=["wed"], weekly_count=1, earliest="16:00",
                        age_group="seniors")]),
        (drafting, [wish(facility["id"], weekdays=["tue"], weekly_count=1)]),
    ):  # fmt: skip
        rep = api.tokens.association(club)
        made = await api.client.post(
            "/season-applications", json={"round_id": r["id"], "applicant_id": str(club), "wishes": wishes}, headers=rep
        )
        assert made.status_code == 201, made.text
        if club != drafting:
            assert (
                await api.client.post(f"/season-applications/{made.json()['id']}/submit", headers=rep)
            ).status_code == 200
    grid = await api.client.get(f"/season-rounds/{r['id']}/grid", headers=staff)
    assert grid.status_code == 200, grid.text
    cells = {(c["facility_id"], c["weekday"]): c["wishes"] for c in grid.json()["cells"]}
    assert len(cells) == 7
    assert [w["applicant_id"] for w in cells[facility["id"], "mon"]] == [str(juniors)]
    assert [w["applicant_id"] for w in cells[facility["id"], "wed"]] == [str(seniors), str(juniors)]  # 16:00 first
    assert cells[facility["id"], "tue"] == []  # a draft is not on the grid
