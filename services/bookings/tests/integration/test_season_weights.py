"""The round's weights through the API on PostgreSQL: the ADR's defaults, read with the round, tuned by its
department's staff until it is published (bad values refused naming the field), and recorded with the proposal
computed under them."""

from __future__ import annotations

import pytest

from shared.testing.clock import MovableClock

from ..conftest import Api, field_of
from .test_season_allocation import MONDAY_EVENING
from .test_season_proposal import apply
from .test_season_rounds import open_round, wish

pytestmark = pytest.mark.integration

AGE_GROUPS = {"children": 300, "youth": 300, "mixed": 150, "seniors": 120, "adults": 100}
DEFAULTS: dict[str, object] = {
    "age_group_percent": AGE_GROUPS,
    "priority_step_percent": 20,
    "priority_floor_percent": 30,
    "continuity_percent": 30,
    "fair_share_percent": 50,
}


async def test_staff_read_and_tune_the_weights_and_the_proposal_weighs_by_them(api: Api, clock: MovableClock) -> None:
    r, facility, staff = await open_round(api, clock)
    url = f"/season-rounds/{r['id']}"
    assert r["weights"] == DEFAULTS
    assert (await api.client.get(url)).json()["weights"] == DEFAULTS  # public, as the principles are
    weights = f"{url}/weights"
    for body, field in (
        ({"priority_step_percent": 101}, "priority_step_percent"),
        ({"priority_floor_percent": 0}, "priority_floor_percent"),
        ({"continuity_percent": 501}, "continuity_percent"),
        ({"age_group_percent": {"adults": 0}}, "age_group_percent"),
        ({"age_group_percent": {"toddlers": 100}}, "age_group_percent.toddlers.[key]"),
        ({"fair_share_percent": "50"}, "fair_share_percent"),
        ({"fair_share_percent": None}, "fair_share_percent"),
        ({"greed_percent": 5}, "greed_percent"),
    ):
        refused = await api.client.patch(weights, json=body, headers=staff)
        assert (refused.status_code, field_of(refused)) == (422, field), refused.text
    other = api.tokens.staff(await api.department())
    assert (await api.client.patch(weights, json={"continuity_percent": 0}, headers=other)).status_code == 403
    juniors, adults = await api.association(), await api.association()
    rep = api.tokens.association(juniors)
    assert (await api.client.patch(weights, json={"continuity_percent": 0}, headers=rep)).status_code == 403
    assert (await api.client.get(url)).json()["weights"] == DEFAULTS

    await apply(api, r["id"], juniors, [wish(facility["id"], **MONDAY_EVENING)])
    await apply(api, r["id"], adults, [wish(facility["id"], **MONDAY_EVENING, age_group="adults")])
    assert (await api.client.post(f"{url}/close", headers=staff)).status_code == 200
    tuned = await api.client.patch(weights, json={"age_group_percent": {"adults": 400}}, headers=staff)
    assert tuned.status_code == 200, tuned.text  # after the application period too, before publication
    expected = DEFAULTS | {"age_group_percent": AGE_GROUPS | {"adults": 400}}
    assert tuned.json()["weights"] == expected
    assert (await api.client.get(url, headers=staff)).json()["weights"] == expected

    proposal = await api.client.post(f"{url}/proposal", headers=staff)
    assert proposal.status_code == 200, proposal.text
    assert proposal.json()["weights"] == expected
    [slot] = proposal.json()["slots"]
    assert slot["applicant_id"] == str(adults)  # the contested Monday now goes to the adults
    assert (await api.client.post(f"{url}/publish", headers=staff)).status_code == 200
    late = await api.client.patch(weights, json={"continuity_percent": 0}, headers=staff)
    assert late.status_code == 409, late.text
    assert (await api.client.get(f"{url}/proposal", headers=staff)).json()["weights"] == expected
