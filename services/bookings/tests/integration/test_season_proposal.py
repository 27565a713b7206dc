"""The allocation proposal of a closed round through the API: computed by the solver over the submitted wishes
and the facilities' opening hours, stored, and read back with its report."""

from __future__ import annotations

from typing import Any

import pytest

from bookings.domain import allocation_solver
from bookings.domain.allocation_solver import COMPETED
from shared.testing.clock import MovableClock

from ..conftest import Api
from .test_season_rounds import open_round, wish

pytestmark = pytest.mark.integration


async def apply(api: Api, round_id: str, club: Any, wishes: list[dict[str, Any]]) -> None:
    rep = api.tokens.association(club)
    made = await api.client.post(
        "/season-applications", json={"round_id": round_id, "applicant_id": str(club), "wishes": wishes}, headers=rep
    )
    assert made.status_code == 201, made.text
    assert (await api.client.post(f"/season-applications/{made.json()['id']}/submit", headers=rep)).status_code == 200


async def test_the_proposal_gives_the_contested_hours_to_children_and_says_why_the_rest_went_unmet(
    api: Api, clock: MovableClock
) -> None:
    r, facility, staff = await open_round(api, clock)
    url = f"/season-rounds/{r['id']}/proposal"
    assert (await api.client.post(url, headers=staff)).status_code == 409  # still open
    juniors, adults = await api.association(), await api.association()
    contested = {
        "weekdays": ["mon"],
        "weekly_count": 1,
        "earliest": "18:00",
        "latest": "20:00",
        "duration_minutes": 120,
    }
    await apply(api, r["id"], juniors, [wish(facility["id"], **contested)])
    await apply(api, r["id"], adults, [
        wish(facility["id"], **contested, age_group="adults"),
        wish(facility["id"], weekdays=["tue"], weekly_count=1, duration_minutes=45, age_group="adults"),
        wish(facility_kind="rehearsals", weekdays=["wed"], weekly_count=1, age_group="adults"),
    ])  # fmt: skip
    assert (await api.client.post(f"/season-rounds/{r['id']}/close", headers=staff)).status_code == 200
    assert (await api.client.get(url, headers=staff)).status_code == 404  # none yet

    other_staff = api.tokens.staff(await api.department())
    assert (await api.client.post(url, headers=other_staff)).status_code == 403
    assert (await api.client.post(url, headers=api.tokens.association(juniors))).status_code == 403

    computed = await api.client.post(url, headers=staff)
    assert computed.status_code == 200, computed.text
    report = (await api.client.get(url, headers=staff)).json()
    assert report == computed.json()
    assert report["status"] == "optimal"
    assert (report["wishes_met"], report["wishes_total"], report["slots_met"], report["slots_wished"]) == (2, 4, 2, 4)
    slots = {(s["applicant_id"], s["weekday"]): (s["starts"], s["ends"]) for s in report["slots"]}
    assert slots[str(juniors), "mon"] == ("18:00", "20:00")
    assert (str(adults), "wed") in slots  # any rehearsal room of the round: this hall
    hours = {h["applicant_id"]: h["hours_per_week"] for h in report["hours_per_association"]}
    assert hours == {str(juniors): 2.0, str(adults): 1.5}
    reasons = sorted(u["reason"] for u in report["unmet"])
    assert reasons == [
        "the length is not one the facility's rules allow",
        "the times asked for went to groups weighed higher under the round's principles",
    ]
    assert {u["applicant_id"] for u in report["unmet"]} == {str(adults)}
    assert report["weights"]["age_group_percent"]["children"] == 300
    round_ = (await api.client.get(f"/season-rounds/{r['id']}", headers=staff)).json()
    assert round_["state"] == "proposed"
    again = await api.client.post(url, headers=staff)  # computing again replaces it
    assert again.status_code == 200 and again.json()["slots"] == report["slots"]


async def test_a_round_with_no_applications_has_an_empty_proposal(api: Api, clock: MovableClock) -> None:
    r, _, staff = await open_round(api, clock)
    assert (await api.client.post(f"/season-rounds/{r['id']}/close", headers=staff)).status_code == 200
    report = (await api.client.post(f"/season-rounds/{r['id']}/proposal", headers=staff)).json()
    assert (report["wishes_total"], report["slots"], report["unmet"]) == (0, [], [])
    assert report["share_of_weighted_demand_met"] == 1.0


async def test_the_proposal_leaves_the_seasons_confirmed_weekly_series_be(api: Api, clock: MovableClock) -> None:
    r, facility, staff = await open_round(api, clock)
    holder = await api.association()
    series = await api.client.post(
        "/bookings",
        json={
            "facility_id": facility["id"],
            "applicant_id": str(holder),
            "starts_at": "2027-09-06T18:00",  # Mondays 18–20 through November
            "ends_at": "2027-09-06T20:00",
            "repeat_until": "2027-11-29",
            "accepts_terms": True,
        },
        headers=api.tokens.association(holder),
    )
    assert series.status_code == 201, series.text
    assert (await api.client.post(f"/bookings/{series.json()['id']}/confirm", headers=staff)).status_code == 200
    club = await api.association()
    await apply(api, r["id"], club, [
        wish(facility["id"], weekdays=["mon"], weekly_count=1, earliest="18:00", latest="21:00", duration_minutes=60)
    ])  # fmt: skip
    assert (await api.client.post(f"/season-rounds/{r['id']}/close", headers=staff)).status_code == 200
    report = (await api.client.post(f"/season-rounds/{r['id']}/proposal", headers=staff)).json()
    assert [(s["weekday"], s["starts"], s["ends"]) for s in report["slots"]] == [("mon", "20:00", "21:00")]


async def test_the_solvers_report_is_stored_with_the_proposal_and_served(
    api: Api, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    r, facility, staff = await open_round(api, clock)
    url = f"/season-rounds/{r['id']}/proposal"
    juniors, adults = await api.association(), await api.association()
    monday = {"weekdays": ["mon"], "weekly_count": 1, "earliest": "18:00", "latest": "20:00", "duration_minutes": 120}
    await apply(api, r["id"], juniors, [wish(facility["id"], **monday)])
    await apply(api, r["id"], adults, [wish(facility["id"], **monday, age_group="adults")])
    assert (await api.client.post(f"/season-rounds/{r['id']}/close", headers=staff)).status_code == 200

    computed = (await api.client.post(url, headers=staff)).json()
    stored = (await api.client.get(url, headers=staff)).json()
    assert stored == computed
    # 120 min × 300 % for the children's slot, and the fair-share bonus 50 × their 120 minutes (of 5,880 open)
    assert (stored["status"], stored["objective"], stored["notes"]) == ("optimal", 120 * 300 + 50 * 120, [])
    assert stored["seconds"] >= 0 and stored["weights"]["fair_share_percent"] == 50
    [unmet] = stored["unmet"]
    assert (unmet["applicant_id"], unmet["reason"]) == (str(adults), COMPETED)

    def nothing(*args: object, **kwargs: object) -> tuple[None, str]:
        return None, "greedy"  # CP-SAT finds nothing: every part keeps the greedy answer

    monkeypatch.setattr(allocation_solver, "_solve_part", nothing)
    fallback = await api.client.post(url, headers=staff)
    assert fallback.status_code == 200, fallback.text
    report = (await api.client.get(url, headers=staff)).json()
    assert report == fallback.json() and report["status"] == "greedy"
    summary, part = report["notes"]
    assert summary == "1 of 1 parts kept the greedy answer"
    assert part.startswith(f"part 1 of 1 (2 wishes of 2 associations at facilities {facility['id']}) kept the greedy")
    assert report["objective"] == stored["objective"]  # the greedy gives the children the Monday too
