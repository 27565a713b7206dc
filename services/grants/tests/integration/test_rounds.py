"""Rounds: created by the responsible department, opened and closed on time by the scheduler, exactly once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx

from grants.bootstrap import jobs
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock


async def test_a_round_needs_adopted_principles(api: Api, client: httpx.AsyncClient) -> None:
    await api.department("culture")
    made = await client.post(
        "/programmes",
        headers=api.staff("culture"),
        json={
            "name": "Projektiavustus",
            "kind": "project",
            "intake": "yearly_round",
            "department_code": "culture",
            "eligible_kinds": ["registered_association", "unregistered_group"],
        },
    )
    assert made.status_code == 201
    response = await client.post(
        f"/programmes/{made.json()['id']}/rounds",
        headers=api.staff("culture"),
        json={
            "year": 2027,
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-02-28T16:00",
            "appropriation_cents": 5_000_000,
        },
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "programme_id"


async def test_local_times_are_helsinki_times_and_rounds_record_their_principles(
    api: Api, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    made = await client.post(
        f"/programmes/{programme['id']}/rounds",
        headers=staff,
        json={
            "year": 2030,
            "opens_at": "2030-01-10T09:00",
            "closes_at": "2030-07-01T16:00",
            "appropriation_cents": 5_000_000,
        },
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["opens_at"] == "2030-01-10T07:00:00Z"  # winter time, UTC+2
    assert body["closes_at"] == "2030-07-01T13:00:00Z"  # summer time, UTC+3
    principles = (await client.get(f"/programmes/{programme['id']}/principles")).json()
    assert body["principles_version_id"] == principles[-1]["id"]
    again = await client.post(
        f"/programmes/{programme['id']}/rounds",
        headers=staff,
        json={
            "year": 2030,
            "opens_at": "2030-03-01T09:00",
            "appropriation_cents": 1,
        },
    )
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "year"


async def test_a_local_time_the_clock_change_skips_or_repeats_is_refused_and_nothing_is_made(
    api: Api, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    staff, rounds = api.staff(programme["department_code"]), f"/programmes/{programme['id']}/rounds"
    body = {"year": 2031, "opens_at": "2031-01-10T09:00", "appropriation_cents": 1_000}
    for change, words in (
        ({"opens_at": "2031-03-30T03:30"}, "does not exist"),  # the last Sunday of March, 03:00 -> 04:00
        ({"closes_at": "2031-10-26T03:15:00"}, "happens twice"),  # the last Sunday of October, 04:00 -> 03:00
    ):
        answer = await client.post(rounds, json=body | change, headers=staff)
        assert answer.status_code == 422, answer.text
        [error] = answer.json()["errors"]
        assert error["field"] == next(iter(change)) and words in error["message"] and "offset" in error["message"]
    listed = await client.get("/rounds", params={"year": "2031", "programme_id": programme["id"]}, headers=staff)
    assert listed.json()["items"] == []
    made = await client.post(rounds, json=body | {"closes_at": "2031-10-26T03:15:00+02:00"}, headers=staff)
    assert made.status_code == 201, made.text
    assert made.json()["closes_at"] == "2031-10-26T01:15:00Z"  # the second 03:15, in winter time
    moved = await client.patch(f"/rounds/{made.json()['id']}", json={"opens_at": "2031-03-30T03:00"}, headers=staff)
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "opens_at"


async def test_only_the_responsible_department_runs_its_programme(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    other = tokens.staff("somewhere-else")
    response = await client.post(
        f"/programmes/{programme['id']}/rounds",
        headers=other,
        json={
            "year": 2031,
            "opens_at": "2031-01-10T09:00",
            "appropriation_cents": 5_000_000,
        },
    )
    assert response.status_code == 403
    assert (
        await client.post(
            "/programmes",
            headers=other,
            json={
                "name": "X",
                "kind": "event",
                "intake": "yearly_round",
                "department_code": programme["department_code"],
                "eligible_kinds": ["registered_association"],
            },
        )
    ).status_code == 403


async def test_a_draft_is_the_departments_own_until_scheduled(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    made = await client.post(
        f"/programmes/{programme['id']}/rounds",
        headers=staff,
        json={
            "year": 2032,
            "opens_at": "2032-01-10T09:00",
            "appropriation_cents": 5_000_000,
        },
    )
    draft = made.json()
    url, mine = f"/rounds/{draft['id']}", {"programme_id": programme["id"]}
    drafts = mine | {"state": "draft"}
    # Its department and admins read it back, and find it in the list, with or without state=draft.
    for who, headers in {"department": staff, "admin": tokens.admin()}.items():
        read = await client.get(url, headers=headers)
        assert read.status_code == 200 and read.json()["state"] == "draft", who
        assert read.json()["remaining_cents"] == 5_000_000, who
        for params in (mine, drafts):
            listed = (await client.get("/rounds", params=params, headers=headers)).json()
            assert [r["id"] for r in listed["items"]] == [draft["id"]] and listed["total"] == 1, (who, params)
    # The public, an association and other departments are told it does not exist.
    strangers = {"public": {}, "association": tokens.association(uuid.uuid4()), "other": api.staff("elsewhere")}
    for who, headers in strangers.items():
        assert (await client.get(url, headers=headers)).status_code == 404, who
        for params in (mine, drafts):
            assert (await client.get("/rounds", params=params, headers=headers)).json()["total"] == 0, (who, params)
    other = api.staff("elsewhere")
    assert (await client.patch(url, headers=other, json={"appropriation_cents": 1})).status_code == 404
    assert (await client.post(f"{url}/schedule", headers=other)).status_code == 404
    # Another department's drafts stay out of a department's own list.
    elsewhere = await api.programme("elsewhere")
    theirs = await client.post(
        f"/programmes/{elsewhere['id']}/rounds",
        headers=other,
        json={"year": 2032, "opens_at": "2032-01-10T09:00", "appropriation_cents": 1},
    )
    assert theirs.status_code == 201
    listed = (await client.get("/rounds", params={"state": "draft", "limit": 100}, headers=staff)).json()
    assert theirs.json()["id"] not in [r["id"] for r in listed["items"]]
    # Once scheduled, everyone sees it.
    assert (await client.post(f"{url}/schedule", headers=staff)).status_code == 200
    assert (await client.get(url)).json()["state"] == "scheduled"
    assert (await client.get("/rounds", params=mine)).json()["total"] == 1


async def test_a_retried_scheduling_schedules_once(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    body = {
        "year": clock.now.year,
        "opens_at": (clock.now + timedelta(days=1)).isoformat(),
        "closes_at": (clock.now + timedelta(days=20)).isoformat(),
        "appropriation_cents": 1_000,
    }
    key = {"Idempotency-Key": f"round-{uuid.uuid4()}"}
    first, second = [
        await client.post(f"/programmes/{programme['id']}/rounds", json=body, headers=staff | key) for _ in range(2)
    ]
    assert first.status_code == second.status_code == 201 and first.json()["id"] == second.json()["id"]
    assert first.headers["location"].endswith(first.json()["id"])
    url = f"/rounds/{first.json()['id']}/schedule"
    again = {"Idempotency-Key": f"schedule-{uuid.uuid4()}"}
    scheduled = [await client.post(url, headers=staff | again) for _ in range(2)]
    assert [r.status_code for r in scheduled] == [200, 200] and scheduled[1].headers["idempotent-replayed"] == "true"
    assert len(await api.outbox("GrantRoundScheduled", round_id=first.json()["id"])) == 1
    assert (await client.post(url, headers=staff)).status_code == 409  # without the key: a second attempt


async def test_the_scheduler_opens_and_closes_a_round_on_time_exactly_once(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    round_ = await api.round(programme, clock, open_now=False)
    assert round_["state"] == "scheduled"
    assert len(await api.outbox("GrantRoundScheduled", round_id=round_["id"])) == 1

    await api.run_jobs(clock)  # not yet time
    assert (await client.get(f"/rounds/{round_['id']}")).json()["state"] == "scheduled"

    clock.advance(minutes=2)
    # Three workers wake at once: the round opens once, with one event.
    await asyncio.gather(*(run_jobs_once(api.grants, jobs(api.grants), clock.now) for _ in range(3)))
    opened = (await client.get(f"/rounds/{round_['id']}")).json()
    assert opened["state"] == "open" and opened["opened_at"] is not None
    [event] = await api.outbox("GrantRoundOpened", round_id=round_["id"])
    assert event["data"]["eligible_kinds"] == ["registered_association"] and event["data"]["fields_of_activity"] == [
        "culture"
    ]

    clock.now = clock.now + timedelta(days=21)
    await asyncio.gather(*(run_jobs_once(api.grants, jobs(api.grants), clock.now) for _ in range(3)))
    assert (await client.get(f"/rounds/{round_['id']}")).json()["state"] == "closed"
    [closed] = await api.outbox("GrantRoundClosed", round_id=round_["id"])
    assert closed["data"]["applications_submitted"] == 0
    await api.run_jobs(clock)
    assert len(await api.outbox("GrantRoundOpened", round_id=round_["id"])) == 1
    assert len(await api.outbox("GrantRoundClosed", round_id=round_["id"])) == 1


async def test_a_scheduled_round_can_still_move_but_an_open_one_cannot(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    round_ = await api.round(programme, clock, open_now=False)
    moved = await client.patch(f"/rounds/{round_['id']}", headers=staff, json={"appropriation_cents": 2_000_000})
    assert moved.status_code == 200 and moved.json()["remaining_cents"] == 2_000_000
    clock.advance(minutes=2)
    await api.run_jobs(clock)
    late = await client.patch(f"/rounds/{round_['id']}", headers=staff, json={"appropriation_cents": 3_000_000})
    assert late.status_code == 409


async def test_bad_round_input_names_the_field(api: Api, client: httpx.AsyncClient) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    cases = [
        ({"year": 2033, "opens_at": "2034-01-10T09:00", "appropriation_cents": 1}, "opens_at"),
        (
            {"year": 2033, "opens_at": "2033-02-10T09:00", "closes_at": "2033-01-10T09:00", "appropriation_cents": 1},
            "closes_at",
        ),
        ({"year": 2033, "opens_at": "2033-01-10T09:00", "appropriation_cents": 0}, "appropriation_cents"),
        (
            {"year": 2033, "opens_at": "2033-01-10T09:00", "appropriation_cents": 5, "principles_version": 9},
            "principles_version",
        ),
    ]
    for body, field in cases:
        response = await client.post(f"/programmes/{programme['id']}/rounds", headers=staff, json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.json())
    assert await api.scalar("SELECT count(*) FROM grant_round WHERE programme_id = :p", p=programme["id"]) == 0


async def test_a_yearly_rounds_promised_money_is_public_only_once_published(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    round_ = await api.round(programme, clock)
    public = (await client.get(f"/rounds/{round_['id']}")).json()
    assert public["remaining_cents"] is None and public["reserved_cents"] is None
    listed = (await client.get("/rounds", params={"programme_id": programme["id"]})).json()["items"]
    assert listed[0]["remaining_cents"] is None
    own = (await client.get(f"/rounds/{round_['id']}", headers=api.staff(programme["department_code"]))).json()
    assert own["remaining_cents"] == 1_000_000


async def test_a_light_grants_remaining_appropriation_is_public_all_along(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme(
        kind="light",
        intake="continuous",
        eligible_kinds=["private_person", "unregistered_group"],
        fixed_amount_cents=30_000,
    )
    round_ = await api.round(programme, clock)
    assert (await client.get(f"/rounds/{round_['id']}")).json()["remaining_cents"] == 1_000_000
