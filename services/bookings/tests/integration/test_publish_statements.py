"""Publishing a round sends a constant number of statements, however many slots it has: everything a slot's
series is planned from is read for all slots at once, and the series and their occurrences are inserted in one
statement each (the exclusion constraint still guards the insert). Run with ``-s`` to see the statements."""

from __future__ import annotations

from typing import Any

import pytest

from shared.testing.clock import MovableClock
from shared.testing.statements import count_statements

from ..conftest import Api
from .test_season_proposal import apply
from .test_season_rounds import round_body, wish

pytestmark = pytest.mark.integration

CEILING = 17  # statements for publishing a round, whatever its number of slots (measured: 17 for 2 and 20)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def _proposed(api: Api, clock: MovableClock, slots: int) -> tuple[str, dict[str, str]]:
    """A proposed round of ``slots`` associations, each given one hour at one of two halls (one with a weekly
    quota, one association with free use): every path of a slot's planning is taken."""
    department = await api.department()
    quota = {"window_opens_days": 365, "window_closes_hours": 24, "weekly_quota_minutes": 120}
    halls = [await api.facility(department), await api.facility(department, rules=quota)]
    staff = api.tokens.staff(department)
    body = round_body(department, [h["id"] for h in halls])
    made = await api.client.post("/season-rounds", json=body, headers=staff)
    assert made.status_code == 201, made.text
    round_id = made.json()["id"]
    assert (await api.client.post(f"/season-rounds/{round_id}/open", headers=staff)).status_code == 200
    for i in range(slots):
        club = await api.association()
        hour = 8 + i // 14
        one = {"weekdays": [DAYS[i % 7]], "weekly_count": 1, "earliest": f"{hour:02d}:00",
               "latest": f"{hour + 1:02d}:00", "duration_minutes": 60}  # fmt: skip
        await apply(api, round_id, club, [wish(halls[i % 2]["id"], **one)])
        if i == 0:
            grant = {"applicant_id": str(club), "valid_from": "2027-09-01", "valid_until": "2028-05-31",
                     "reason": "Nuorisotyö"}  # fmt: skip
            made_grant = await api.client.post(f"/departments/{department}/free-use", json=grant, headers=staff)
            assert made_grant.status_code == 201, made_grant.text
    assert (await api.client.post(f"/season-rounds/{round_id}/close", headers=staff)).status_code == 200
    proposal = await api.client.post(f"/season-rounds/{round_id}/proposal", headers=staff)
    assert len(proposal.json()["slots"]) == slots, proposal.text
    return round_id, staff


async def _publish(api: Api, round_id: str, staff: dict[str, str]) -> tuple[int, Any]:
    with count_statements(api.bookings.engine) as sent:
        published = await api.client.post(f"/season-rounds/{round_id}/publish", headers=staff)
    assert published.status_code == 200, published.text
    print(f"\npublishing {len(published.json()['slots'])} slots: {sent.total} statements\n{sent.report()}")
    return sent.total, published.json()


async def test_publishing_sends_as_many_statements_for_twenty_slots_as_for_two(api: Api, clock: MovableClock) -> None:
    small, staff = await _proposed(api, clock, 2)
    large, _ = await _proposed(api, clock, 20)
    few, _ = await _publish(api, small, staff)
    many, report = await _publish(api, large, api.tokens.staff((await api.client.get(
        f"/season-rounds/{large}", headers=staff)).json()["department_code"]))  # fmt: skip
    assert few == many <= CEILING, (few, many)
    assert len({s["booking_id"] for s in report["slots"]}) == 20


async def test_the_slots_of_one_association_at_a_hall_share_its_weekly_quota(api: Api, clock: MovableClock) -> None:
    department = await api.department()
    hall = await api.facility(department, rules={"window_opens_days": 365, "weekly_quota_minutes": 90})
    staff = api.tokens.staff(department)
    made = await api.client.post("/season-rounds", json=round_body(department, [hall["id"]]), headers=staff)
    url = f"/season-rounds/{made.json()['id']}"
    assert (await api.client.post(f"{url}/open", headers=staff)).status_code == 200
    club = await api.association()
    twice = {"weekdays": ["mon", "wed"], "weekly_count": 2, "earliest": "17:00", "latest": "18:00",
             "duration_minutes": 60}  # fmt: skip
    await apply(api, made.json()["id"], club, [wish(hall["id"], **twice)])
    assert (await api.client.post(f"{url}/close", headers=staff)).status_code == 200
    proposal = (await api.client.post(f"{url}/proposal", headers=staff)).json()
    [given] = proposal["slots"]  # the solver keeps to the quota: one hour of the two
    [unmet] = proposal["unmet"]
    other_day = "wed" if given["weekday"] == "mon" else "mon"
    body = {"wish_id": unmet["wish_id"], "facility_id": hall["id"], "weekday": other_day, "starts": "17:00",
            "ends": "18:00"}  # fmt: skip
    assert (await api.client.post(f"{url}/allocation/assign", json=body, headers=staff)).status_code == 200
    refused = await api.client.post(f"{url}/publish", headers=staff)  # by hand past the quota: refused, named
    assert refused.status_code == 409, refused.text
    assert "over the weekly quota of 90 minutes" in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"].startswith("slots.")
    assert (await api.client.get(url, headers=staff)).json()["state"] == "proposed"
