"""Events and registrations over HTTP on real PostgreSQL: seats first come first served, never over the
capacity, also under concurrent registrations and cancellations; the contact is personal data."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock

PROBLEM = "application/problem+json"


async def published_event(api: Api, clock: Clock, department: str, **overrides: Any) -> dict[str, Any]:
    staff = api.tokens.staff(department)
    body = {
        "kind": "info",
        "title_fi": "Avustusinfo",
        "department_code": department,
        "starts_at": (clock.now + timedelta(days=10)).isoformat(),
        "ends_at": (clock.now + timedelta(days=10, hours=2)).isoformat(),
        "address": "Hallituskatu 12, Pori",
        "capacity": 20,
    } | overrides
    made = await api.client.post("/events", json=body, headers=staff)
    assert made.status_code == 201, made.text
    published = await api.client.post(f"/events/{made.json()['id']}/publish", headers=staff)
    assert published.status_code == 200, published.text
    return published.json()  # type: ignore[no-any-return]


def registration(association_id: uuid.UUID, participants: int = 1) -> dict[str, Any]:
    return {
        "association_id": str(association_id),
        "participants": participants,
        "contact_name": "Maija Meikäläinen",
        "contact_email": f"maija.{association_id.hex[:6]}@example.org",
    }


async def register(client: httpx.AsyncClient, tokens: Tokens, event: dict[str, Any], association_id: uuid.UUID) -> Any:
    answer = await client.post(
        f"/events/{event['id']}/registrations",
        json=registration(association_id),
        headers=tokens.association(association_id),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_50_concurrent_registrations_for_20_seats_then_concurrent_cancellations(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    event = await published_event(api, clock, "culture-r")
    associations = [uuid.uuid4() for _ in range(50)]
    answers = await asyncio.gather(*(register(client, tokens, event, a) for a in associations))
    states = [a["state"] for a in answers]
    assert states.count("confirmed") == 20 and states.count("waitlisted") == 30
    waiting = sorted(a["position"] for a in answers if a["state"] == "waitlisted")
    assert waiting == list(range(1, 31))
    taken = "SELECT seats_taken FROM calendar_event WHERE id = :e"
    assert await api.scalar(taken, e=uuid.UUID(event["id"])) == 20

    confirmed = [
        (a, uuid.UUID(x["association_id"])) for a, x in zip(answers, answers, strict=True) if a["state"] == "confirmed"
    ]
    cancelling = confirmed[:7]

    async def cancel(reg: dict[str, Any], association_id: uuid.UUID) -> int:
        answer = await client.post(f"/registrations/{reg['id']}/cancel", headers=tokens.association(association_id))
        return answer.status_code

    assert await asyncio.gather(*(cancel(r, a) for r, a in cancelling)) == [200] * 7
    listing = await client.get(
        f"/events/{event['id']}/registrations", params={"limit": 100}, headers=tokens.staff("culture-r")
    )
    items = listing.json()["items"]
    now_confirmed = [i for i in items if i["state"] == "confirmed"]
    assert len(now_confirmed) == 20 and len([i for i in items if i["state"] == "waitlisted"]) == 23
    promoted = sorted(i["id"] for i in now_confirmed if i["promoted_at"])
    first_waiting = sorted((a for a in answers if a["state"] == "waitlisted"), key=lambda a: a["position"])[:7]
    assert promoted == sorted(a["id"] for a in first_waiting)  # first come, first served
    assert await api.scalar(taken, e=uuid.UUID(event["id"])) == 20
    assert len(await api.outbox("RegistrationPromoted", event_id=event["id"])) == 7
    assert len(await api.outbox("RegistrationConfirmed", event_id=event["id"])) == 20
    [waited] = [
        a
        for a in await api.outbox("RegistrationWaitlisted", event_id=event["id"])
        if a["data"]["registration_id"] == first_waiting[0]["id"]
    ]
    assert "contact_email" not in waited["data"] and "Maija" not in str(waited)


async def test_the_line_keeps_its_order_and_cancellation_closes_at_the_cutoff(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    event = await published_event(api, clock, "culture-q", capacity=3)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    url = f"/events/{event['id']}/registrations"
    first = await client.post(url, json=registration(a, 2), headers=tokens.association(a))
    second = await client.post(url, json=registration(b, 2), headers=tokens.association(b))  # does not fit: waits
    third = await client.post(url, json=registration(c, 1), headers=tokens.association(c))  # fits, but b was first
    assert [r.json()["state"] for r in (first, second, third)] == ["confirmed", "waitlisted", "waitlisted"]
    again = await client.post(url, json=registration(a, 1), headers=tokens.association(a))
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "association_id"
    # another association's representative can neither register for a nor see its registration
    assert (await client.post(url, json=registration(a), headers=tokens.association(b))).status_code == 403
    assert (await client.get(f"/registrations/{first.json()['id']}", headers=tokens.association(b))).status_code == 404
    assert (await client.get(url, headers=tokens.staff("sports-q"))).status_code == 403
    cancelled = await client.post(f"/registrations/{first.json()['id']}/cancel", headers=tokens.association(a))
    assert cancelled.status_code == 200
    b_now = (await client.get(f"/registrations/{second.json()['id']}", headers=tokens.association(b))).json()
    c_now = (await client.get(f"/registrations/{third.json()['id']}", headers=tokens.association(c))).json()
    assert (b_now["state"], c_now["state"]) == ("confirmed", "confirmed")
    clock.advance(days=11)
    late = await client.post(f"/registrations/{second.json()['id']}/cancel", headers=tokens.association(b))
    assert late.status_code == 409 and late.headers["content-type"] == PROBLEM


async def test_drafts_are_the_departments_own_and_bad_input_names_the_field(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    staff = tokens.staff("culture-d")
    body = {
        "kind": "workshop", "title_fi": "Työpaja", "department_code": "culture-d",
        "starts_at": "2027-03-28T03:30", "ends_at": "2027-03-28T06:00",
    }  # fmt: skip
    skipped = await client.post("/events", json=body, headers=staff)
    assert skipped.status_code == 422 and skipped.json()["errors"][0]["field"] == "starts_at"
    body |= {"starts_at": "2027-03-28T10:00", "ends_at": "2027-03-28T09:00"}
    backwards = await client.post("/events", json=body, headers=staff)
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "ends_at"
    body |= {"ends_at": "2027-03-28T12:00"}
    other = await client.post("/events", json=body, headers=tokens.staff("sports-d"))
    assert other.status_code == 403
    draft = (await client.post("/events", json=body, headers=staff)).json()
    assert draft["starts_at"] == "2027-03-28T07:00:00Z"  # 10:00 in Helsinki, summer time (UTC+3)
    assert (await client.get(f"/events/{draft['id']}")).status_code == 404
    assert (await client.get(f"/events/{draft['id']}", headers=tokens.staff("sports-d"))).status_code == 404
    assert (await client.get(f"/events/{draft['id']}", headers=staff)).status_code == 200
    no_place = await client.post(f"/events/{draft['id']}/publish", headers=staff)
    assert no_place.status_code == 422 and no_place.json()["errors"][0]["field"] == "address"


async def test_a_published_event_is_on_the_schedule_and_moves_with_it(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    event = await published_event(api, clock, "culture-s")
    staff = tokens.staff("culture-s")

    async def entry() -> dict[str, Any]:
        items = (await client.get("/schedule", params={"limit": 100, "category": "event"})).json()["items"]
        [found] = [i for i in items if i["source_id"] == event["id"]]
        return found  # type: ignore[no-any-return]

    assert (await entry())["state"] == "scheduled"
    later = {
        "starts_at": (clock.now + timedelta(days=20)).isoformat(),
        "ends_at": (clock.now + timedelta(days=20, hours=2)).isoformat(),
    }
    assert (await client.post(f"/events/{event['id']}/postpone", json=later, headers=staff)).status_code == 200
    assert (await entry())["starts_at"][:10] == (clock.now + timedelta(days=20)).date().isoformat()
    assert (await client.post(f"/events/{event['id']}/cancel", headers=staff)).json()["state"] == "cancelled"
    assert (await entry())["state"] == "cancelled"
    [scheduled] = await api.outbox("EventScheduled", event_id=event["id"])
    assert scheduled["data"]["audience"] == event["audience"]  # whom the notifier tells
    assert len(await api.outbox("EventCancelled", event_id=event["id"])) == 1


async def test_the_contact_is_exported_and_erased_on_request(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    event = await published_event(api, clock, "culture-p")
    association = uuid.uuid4()
    made = await client.post(
        f"/events/{event['id']}/registrations", json=registration(association),
        headers=tokens.association(association) | {"Idempotency-Key": f"reg-{association}"},
    )  # fmt: skip
    email = registration(association)["contact_email"]
    assert (
        await client.post("/privacy/exports", json={"email": email}, headers=tokens.staff("culture-p"))
    ).status_code == 403
    exported = (await client.post("/privacy/exports", json={"email": email.upper()}, headers=tokens.admin())).json()
    assert [r["id"] for r in exported["registrations"]] == [made.json()["id"]]
    erased = (await client.post("/privacy/erasures", json={"email": email}, headers=tokens.admin())).json()
    assert erased == {"registrations": 1, "stored_replies": 1}
    after = (await client.get(f"/registrations/{made.json()['id']}", headers=tokens.association(association))).json()
    assert (after["contact_name"], after["contact_email"], after["state"]) == (None, None, "confirmed")


async def test_the_directory_forwards_privacy_requests_and_no_other_service_may(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    """ADR 0015: the directory's service token opens /privacy; other services' tokens and other roles do not."""
    event = await published_event(api, clock, "culture-q")
    association = uuid.uuid4()
    made = await client.post(
        f"/events/{event['id']}/registrations", json=registration(association), headers=tokens.association(association)
    )
    assert made.status_code == 201, made.text
    email = registration(association)["contact_email"]
    for headers, status in (
        ({}, 401),
        (tokens.service("service:notifier"), 403),
        (tokens.service("service:calendar"), 403),
        (tokens.staff("culture-q"), 403),
        (tokens.association(association), 403),
    ):
        for route in ("/privacy/exports", "/privacy/erasures"):
            refused = await client.post(route, json={"email": email}, headers=headers)
            assert refused.status_code == status, (route, headers, refused.text)
    directory = tokens.service("service:directory")
    exported = await client.post("/privacy/exports", json={"email": email}, headers=directory)
    assert exported.status_code == 200, exported.text
    assert [r["id"] for r in exported.json()["registrations"]] == [made.json()["id"]]
    erased = await client.post("/privacy/erasures", json={"email": email}, headers=directory)
    assert erased.status_code == 200 and erased.json() == {"registrations": 1, "stored_replies": 0}
    again = await client.post("/privacy/exports", json={"email": email}, headers=directory)
    assert again.json()["registrations"] == []
