"""Staff's hand allocation on top of the proposal, through the API on PostgreSQL: assign a wish, move a slot,
reject a wish with a reason; each checked against the other slots, the season's series and the opening hours,
and the report counted again."""

from __future__ import annotations

from typing import Any

import pytest

from shared.testing.clock import MovableClock

from ..conftest import Api, field_of
from .test_season_proposal import apply
from .test_season_rounds import open_round, wish

pytestmark = pytest.mark.integration

MONDAY_EVENING = {
    "weekdays": ["mon"],
    "weekly_count": 1,
    "earliest": "18:00",
    "latest": "20:00",
    "duration_minutes": 120,
}


async def proposed_round(api: Api, clock: MovableClock) -> dict[str, Any]:
    """A proposed round: juniors got Monday 18–20, the adults' same wish went unmet."""
    r, facility, staff = await open_round(api, clock)
    juniors, adults = await api.association(), await api.association()
    await apply(api, r["id"], juniors, [wish(facility["id"], **MONDAY_EVENING)])
    await apply(api, r["id"], adults, [wish(facility["id"], **MONDAY_EVENING, age_group="adults")])
    assert (await api.client.post(f"/season-rounds/{r['id']}/close", headers=staff)).status_code == 200
    report = await api.client.post(f"/season-rounds/{r['id']}/proposal", headers=staff)
    assert report.status_code == 200, report.text
    return {"round": r, "facility": facility, "staff": staff, "juniors": juniors, "adults": adults,
            "report": report.json()}  # fmt: skip


def place(facility: dict[str, Any], weekday: str, starts: str, ends: str) -> dict[str, str]:
    return {"facility_id": facility["id"], "weekday": weekday, "starts": starts, "ends": ends}


async def test_staff_assign_move_and_reject_by_hand_and_the_report_follows(api: Api, clock: MovableClock) -> None:
    s = await proposed_round(api, clock)
    url, staff, facility = f"/season-rounds/{s['round']['id']}", s["staff"], s["facility"]
    [unmet] = s["report"]["unmet"]
    [juniors_slot] = s["report"]["slots"]
    assert unmet["applicant_id"] == str(s["adults"]) and s["report"]["wishes_met"] == 1

    assign = f"{url}/allocation/assign"
    overlapping = await api.client.post(
        assign, json={"wish_id": unmet["wish_id"], **place(facility, "mon", "19:00", "21:00")}, headers=staff
    )
    assert overlapping.status_code == 409 and field_of(overlapping) == "starts"
    late = await api.client.post(
        assign, json={"wish_id": unmet["wish_id"], **place(facility, "mon", "21:00", "23:00")}, headers=staff
    )
    assert late.status_code == 422 and field_of(late) == "starts"  # the hall closes at 22
    other_staff = api.tokens.staff(await api.department())
    body = {"wish_id": unmet["wish_id"], **place(facility, "mon", "20:00", "22:00")}
    assert (await api.client.post(assign, json=body, headers=other_staff)).status_code == 403
    assert (await api.client.post(assign, json=body, headers=api.tokens.association(s["adults"]))).status_code == 403

    assigned = await api.client.post(assign, json=body, headers=staff)
    assert assigned.status_code == 200, assigned.text
    report = assigned.json()
    assert (report["wishes_met"], report["slots_met"], report["unmet"]) == (2, 2, [])
    assert report["share_of_weighted_demand_met"] == 1.0
    again = await api.client.post(assign, json=body, headers=staff)
    assert again.status_code == 409 and field_of(again) == "wish_id"  # it has its one weekly slot

    move = f"{url}/slots/{juniors_slot['id']}/move"
    onto_adults = await api.client.post(move, json=place(facility, "mon", "20:30", "22:00"), headers=staff)
    assert onto_adults.status_code == 409
    moved = await api.client.post(move, json=place(facility, "tue", "17:00", "19:00"), headers=staff)
    assert moved.status_code == 200, moved.text
    slots = {x["id"]: (x["weekday"], x["starts"], x["ends"]) for x in moved.json()["slots"]}
    assert slots[juniors_slot["id"]] == ("tue", "17:00", "19:00")
    unknown = await api.client.post(f"{url}/slots/{unmet['wish_id']}/move", json=place(facility, "tue", "08:00",
                                    "09:00"), headers=staff)  # fmt: skip
    assert unknown.status_code == 404

    rejected = await api.client.post(
        f"{url}/allocation/reject", json={"wish_id": unmet["wish_id"], "reason": "Ei aikuisryhmiä maanantaisin."},
        headers=staff,
    )  # fmt: skip
    assert rejected.status_code == 200, rejected.text
    report = rejected.json()
    assert [(u["wish_id"], u["reason"]) for u in report["unmet"]] == [
        (unmet["wish_id"], "Ei aikuisryhmiä maanantaisin.")
    ]
    assert (report["wishes_met"], report["slots_met"]) == (1, 1)
    assert report["share_of_weighted_demand_met"] < 1.0
    assert (await api.client.get(f"{url}/proposal", headers=staff)).json() == report
    blank = await api.client.post(f"{url}/allocation/reject", json={"wish_id": unmet["wish_id"], "reason": " "},
                                  headers=staff)  # fmt: skip
    assert blank.status_code == 422


async def test_a_slot_by_hand_leaves_the_seasons_confirmed_series_be(api: Api, clock: MovableClock) -> None:
    s = await proposed_round(api, clock)
    holder = await api.association()
    series = await api.book(
        s["facility"], holder, starts_at="2027-09-07T08:00", ends_at="2027-09-07T10:00", repeat_until="2027-11-30"
    )  # Tuesdays 8–10
    assert series.status_code == 201, series.text
    assert (await api.client.post(f"/bookings/{series.json()['id']}/confirm", headers=s["staff"])).status_code == 200
    [slot] = s["report"]["slots"]
    move = f"/season-rounds/{s['round']['id']}/slots/{slot['id']}/move"
    clash = await api.client.post(move, json=place(s["facility"], "tue", "09:00", "11:00"), headers=s["staff"])
    assert clash.status_code == 409 and "series" in clash.json()["detail"]
    fine = await api.client.post(move, json=place(s["facility"], "tue", "10:00", "12:00"), headers=s["staff"])
    assert fine.status_code == 200, fine.text
