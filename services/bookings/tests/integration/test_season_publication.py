"""Publishing a round through the API on PostgreSQL: every allocated slot a confirmed weekly series for the
season in one transaction, priced or free as a booking would be, a clash aborting it all with a 409 naming the
slot; one event per applicant, emitted once; the public results; an association declining a slot."""

from __future__ import annotations

import uuid

import pytest

from shared.testing.clock import MovableClock

from ..conftest import Api, field_of
from .test_season_allocation import place, proposed_round
from .test_season_rounds import probe

pytestmark = pytest.mark.integration


async def test_publishing_makes_each_slot_a_confirmed_series_and_tells_each_applicant_once(
    api: Api, clock: MovableClock
) -> None:
    s = await proposed_round(api, clock)
    url, staff, facility = f"/season-rounds/{s['round']['id']}", s["staff"], s["facility"]
    juniors, adults = s["juniors"], s["adults"]
    department = facility["department_code"]
    grant = await api.client.post(
        f"/departments/{department}/free-use",
        json={"applicant_id": str(juniors), "valid_from": "2027-09-01", "valid_until": "2028-05-31",
              "reason": "Lasten ja nuorten toiminta"},
        headers=staff,
    )  # fmt: skip
    assert grant.status_code == 201, grant.text
    [unmet] = s["report"]["unmet"]
    body = {"wish_id": unmet["wish_id"], **place(facility, "mon", "20:00", "22:00")}
    assert (await api.client.post(f"{url}/allocation/assign", json=body, headers=staff)).status_code == 200
    assert (await api.client.get(f"{url}/results")).status_code == 404  # not yet published

    # someone's request (not yet decided) holds one Monday evening: the publication is refused as a whole
    holder = await api.association()
    request = await api.book(facility, holder, starts_at="2027-10-11T20:30", ends_at="2027-10-11T21:30")
    assert request.status_code == 201, request.text
    refused = await api.client.post(f"{url}/publish", headers=staff)
    assert refused.status_code == 409, refused.text
    assert field_of(refused).startswith("slots.")
    assert "2027-10-11" in refused.json()["detail"]
    events = probe(api)
    assert await events.outbox("SeasonAllocationPublished", round_id=s["round"]["id"]) == []
    made = "SELECT count(*) FROM booking WHERE purpose = :p AND facility_id = :f"  # other tests' rounds share the name
    assert await events.scalar(made, p=s["round"]["name"], f=uuid.UUID(facility["id"])) == 0
    assert (await api.client.get(url, headers=staff)).json()["state"] == "proposed"
    rejected = await api.client.post(
        f"/bookings/{request.json()['id']}/reject", json={"reason": "Kausivuorojako."}, headers=staff
    )
    assert rejected.status_code == 200, rejected.text
    assert (await api.client.post(f"{url}/publish", headers=api.tokens.association(juniors))).status_code == 403

    published = await api.client.post(f"{url}/publish", headers=staff)
    assert published.status_code == 200, published.text
    report = published.json()
    assert report["published_at"] is not None
    series = {x["applicant_id"]: x for x in report["slots"]}
    free = (await api.client.get(f"/bookings/{series[str(juniors)]['booking_id']}", headers=staff)).json()
    paid = (await api.client.get(f"/bookings/{series[str(adults)]['booking_id']}", headers=staff)).json()
    for b in (free, paid):
        assert (b["kind"], b["state"], b["first_day"], b["last_day"]) == ("series", "confirmed", "2027-09-06",
                                                                          "2028-05-29")  # fmt: skip
        assert "2027-12-06" in b["skipped_days"]  # Independence Day: the hall is closed
        assert len(b["occurrences"]) == 39 - len(b["skipped_days"])
    assert (free["free_use_reason"], free["price_cents"]) == ("department_grant", 0)
    assert paid["free_use_reason"] is None
    assert paid["price_cents"] == 4000 * len(paid["occurrences"])  # 2 h at 20 €/h every week

    told = await events.outbox("SeasonAllocationPublished", round_id=s["round"]["id"])
    assert sorted(e["data"]["applicant_id"] for e in told) == sorted([str(juniors), str(adults)])
    for e in told:
        [slot] = e["data"]["slots"]
        assert slot["booking_id"] == series[e["data"]["applicant_id"]]["booking_id"]
        assert slot["facility_name"] == facility["name"]  # the notifier's mail names the place
        assert set(e["data"]) >= {"round_id", "department_code", "applicant_id", "slots"}
        assert "name" not in e["data"]
    again = await api.client.post(f"{url}/publish", headers=staff)
    assert again.status_code == 200 and again.json() == report
    assert len(await events.outbox("SeasonAllocationPublished", round_id=s["round"]["id"])) == 2
    for b in (free, paid):
        [confirmed] = await events.outbox("BookingConfirmed", booking_id=b["id"])
        assert confirmed["data"]["season_round_id"] == s["round"]["id"]  # told in the allocation's one mail
    changed = await api.client.post(f"{url}/slots/{series[str(adults)]['id']}/move",
                                    json=place(facility, "tue", "10:00", "12:00"), headers=staff)  # fmt: skip
    assert changed.status_code == 409

    results = await api.client.get(f"{url}/results")
    assert results.status_code == 200, results.text
    rows = [(r["association"], r["facility"], r["weekday"], r["starts"], r["ends"]) for r in results.json()["results"]]
    assert rows == [
        (f"Seura {juniors.hex[:6]} ry", facility["name"], "mon", "18:00", "20:00"),
        (f"Seura {adults.hex[:6]} ry", facility["name"], "mon", "20:00", "22:00"),
    ]


async def test_an_association_declines_its_slot_and_the_time_is_free_again(api: Api, clock: MovableClock) -> None:
    s = await proposed_round(api, clock)
    url, staff, facility = f"/season-rounds/{s['round']['id']}", s["staff"], s["facility"]
    [slot] = s["report"]["slots"]
    decline = f"{url}/slots/{slot['id']}/decline"
    juniors = api.tokens.association(s["juniors"])
    assert (await api.client.post(decline, headers=juniors)).status_code == 409  # not published yet
    published = await api.client.post(f"{url}/publish", headers=staff)
    assert published.status_code == 200, published.text
    [slot] = published.json()["slots"]
    assert (await api.client.post(decline, headers=api.tokens.association(s["adults"]))).status_code == 404
    assert (await api.client.post(decline, headers=staff)).status_code == 404

    declined = await api.client.post(decline, headers=juniors)
    assert declined.status_code == 200, declined.text
    assert [x["declined"] for x in declined.json()["slots"]] == [True]
    assert declined.json()["slots_met"] == 0
    booking = (await api.client.get(f"/bookings/{slot['booking_id']}", headers=staff)).json()
    assert booking["state"] == "cancelled" and booking["price_cents"] == 0
    assert len(await probe(api).outbox("BookingCancelled", booking_id=slot["booking_id"])) == 1
    assert (await api.client.post(decline, headers=juniors)).status_code == 409
    assert (await api.client.get(f"{url}/results")).json()["results"] == []
    other = await api.association()
    taken_again = await api.book(facility, other, starts_at="2027-09-13T18:00", ends_at="2027-09-13T20:00")
    assert taken_again.status_code == 201, taken_again.text
