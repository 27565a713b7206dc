"""Continuity with last season through the API on PostgreSQL: the department's previous published round is in
the database, and a wish for the facility, weekday and time its association held there continues it, on the
grid and in the proposal, without staff typing anything."""

from __future__ import annotations

import pytest

from shared.testing.clock import MovableClock

from ..conftest import Api
from .test_season_allocation import MONDAY_EVENING
from .test_season_proposal import apply
from .test_season_rounds import open_round, round_body, wish

pytestmark = pytest.mark.integration

NEXT_SEASON = {
    "name": "Vakiovuorot syksy 2028 – kevät 2029",
    "opens_at": "2028-03-01T08:00",
    "closes_at": "2028-03-31T16:00",
    "season_starts_on": "2028-08-14",
    "season_ends_on": "2029-05-31",
}


async def test_a_wish_for_last_seasons_slot_continues_it_on_the_grid_and_in_the_proposal(
    api: Api, clock: MovableClock
) -> None:
    last, facility, staff = await open_round(api, clock)  # 2027–2028: the holders get Monday 18–20
    holder, newcomer = await api.association(), await api.association()
    await apply(api, last["id"], holder, [wish(facility["id"], **MONDAY_EVENING, age_group="adults")])
    assert (await api.client.post(f"/season-rounds/{last['id']}/close", headers=staff)).status_code == 200
    assert (await api.client.post(f"/season-rounds/{last['id']}/proposal", headers=staff)).status_code == 200
    assert (await api.client.post(f"/season-rounds/{last['id']}/publish", headers=staff)).status_code == 200

    department = facility["department_code"]
    made = await api.client.post(
        "/season-rounds", json=round_body(department, [facility["id"]], **NEXT_SEASON), headers=staff
    )
    assert made.status_code == 201, made.text
    url = f"/season-rounds/{made.json()['id']}"
    assert (await api.client.post(f"{url}/open", headers=staff)).status_code == 200
    # the same Monday evening again: the holders (adults, 100 %) and a seniors' group (120 %) of a newcomer
    await apply(api, made.json()["id"], holder, [wish(facility["id"], **MONDAY_EVENING, age_group="adults")])
    await apply(api, made.json()["id"], newcomer, [wish(facility["id"], **MONDAY_EVENING, age_group="seniors")])
    assert (await api.client.post(f"{url}/close", headers=staff)).status_code == 200

    grid = await api.client.get(f"{url}/grid", headers=staff)
    assert grid.status_code == 200, grid.text
    [monday] = [c["wishes"] for c in grid.json()["cells"] if c["weekday"] == "mon"]
    seen = {w["applicant_id"]: (w["continues_last_season"], w["held_last_season"]) for w in monday}
    assert seen == {
        str(holder): (True, {"round_id": last["id"], "starts": "18:00", "ends": "20:00"}),
        str(newcomer): (False, None),
    }
    proposal = await api.client.post(f"{url}/proposal", headers=staff)
    assert proposal.status_code == 200, proposal.text
    [slot] = proposal.json()["slots"]
    assert (slot["applicant_id"], slot["weekday"], slot["starts"]) == (str(holder), "mon", "18:00")

    # without the bonus the seniors' weight decides: continuity was what kept the holders there
    assert (await api.client.patch(f"{url}/weights", json={"continuity_percent": 0}, headers=staff)).status_code == 200
    [slot] = (await api.client.post(f"{url}/proposal", headers=staff)).json()["slots"]
    assert slot["applicant_id"] == str(newcomer)


async def test_a_round_proposed_but_not_published_is_not_last_season(api: Api, clock: MovableClock) -> None:
    last, facility, staff = await open_round(api, clock)
    holder = await api.association()
    await apply(api, last["id"], holder, [wish(facility["id"], **MONDAY_EVENING)])
    assert (await api.client.post(f"/season-rounds/{last['id']}/close", headers=staff)).status_code == 200
    assert (await api.client.post(f"/season-rounds/{last['id']}/proposal", headers=staff)).status_code == 200
    made = await api.client.post(
        "/season-rounds",
        json=round_body(facility["department_code"], [facility["id"]], **NEXT_SEASON),
        headers=staff,
    )
    url = f"/season-rounds/{made.json()['id']}"
    assert (await api.client.post(f"{url}/open", headers=staff)).status_code == 200
    await apply(api, made.json()["id"], holder, [wish(facility["id"], **MONDAY_EVENING)])
    grid = (await api.client.get(f"{url}/grid", headers=staff)).json()
    assert not any(w["continues_last_season"] for c in grid["cells"] for w in c["wishes"])  # proposed, not published
