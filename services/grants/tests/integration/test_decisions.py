"""Decisions within the appropriation, and their publication: once, with usage-report obligations."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from shared.contracts.directory import ApplicantKind
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .applying import REQUESTED, close, decide, light_application, light_programme, submitted


async def _round(api: Api, round_id: str) -> dict[str, Any]:
    """The round as its department sees it: the money promised so far included."""
    return (await api.client.get(f"/rounds/{round_id}", headers=api.tokens.admin())).json()  # type: ignore[no-any-return]


async def test_a_yearly_round_is_decided_after_it_closes(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    applicant_id = await api.applicant()
    sent = await submitted(api, round_, applicant_id)

    early = await decide(api, sent, 30_000, department)
    assert early.status_code == 409 and early.json()["errors"][0]["field"] == "round_id"
    await close(api, clock, round_)

    assert (await decide(api, sent, REQUESTED + 1, department)).json()["errors"][0]["field"] == "approved_cents"
    assert (await decide(api, sent, 100, department, rationale=" ")).status_code == 422
    assert (await decide(api, sent, 100, "elsewhere")).status_code == 403
    as_rep = await client.put(
        f"/applications/{sent['id']}/decision",
        headers=tokens.association(applicant_id),
        json={"approved_cents": REQUESTED, "rationale": "Itse päätetty."},
    )
    assert as_rep.status_code == 403
    assert (await _round(api, round_["id"]))["reserved_cents"] == 0
    assert await api.outbox("ApplicationDecided", application_id=sent["id"]) == []

    made = await decide(api, sent, 30_000, department)
    assert made.status_code == 200, made.text
    assert made.json()["state"] == "decided" and made.json()["decision"]["approved_cents"] == 30_000
    assert (await _round(api, round_["id"]))["reserved_cents"] == 30_000
    changed = await decide(api, sent, 20_000, department)  # until published, a decision may be changed
    assert changed.status_code == 200
    assert (await _round(api, round_["id"]))["reserved_cents"] == 20_000
    events = await api.outbox("ApplicationDecided", application_id=sent["id"])
    assert [e["data"]["approved_cents"] for e in events] == [30_000, 20_000]
    assert events[0]["data"]["requested_cents"] == REQUESTED

    me = tokens.association(applicant_id)
    mine = (await client.get(f"/applications/{sent['id']}", headers=me)).json()
    assert mine["state"] == "decided" and mine["decision"] is None  # not public until published
    assert (await client.post(f"/applications/{sent['id']}/withdraw", headers=me)).status_code == 409


async def test_concurrent_decisions_never_exceed_the_appropriation(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    """10 000 € to give, eight decisions of 2 000 € at once: five are made, three refused."""
    programme = await api.programme()
    department = programme["department_code"]
    round_ = await api.round(programme, clock, appropriation_cents=1_000_000)
    budget = [{"kind": "expense", "description": "Toiminta", "amount_cents": 200_000}]
    sent = [
        await submitted(api, round_, await api.applicant(), requested_cents=200_000, budget=budget) for _ in range(8)
    ]
    await close(api, clock, round_)

    responses = await asyncio.gather(*(decide(api, s, 200_000, department) for s in sent))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 5 + [409] * 3, [r.text for r in responses]
    assert all(r.json()["errors"][0]["field"] == "approved_cents" for r in responses if r.status_code == 409)
    after = await _round(api, round_["id"])
    assert after["reserved_cents"] == 1_000_000 and after["remaining_cents"] == 0
    assert await api.scalar("SELECT count(*) FROM decision WHERE round_id = :r", r=round_["id"]) == 5
    assert len(await api.outbox("ApplicationDecided", round_id=round_["id"])) == 5


async def test_publishing_a_yearly_round_once_with_usage_reports(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    department = programme["department_code"]
    staff = api.staff(department)
    round_ = await api.round(programme, clock, usage_report_deadline=f"{clock.now.year + 1}-03-31")
    granted_to, refused_to, returned_to = await api.applicant(), await api.applicant(), await api.applicant()
    granted, refused = await submitted(api, round_, granted_to), await submitted(api, round_, refused_to)
    returned = await submitted(api, round_, returned_to)
    await client.post(f"/applications/{returned['id']}/return", headers=staff, json={"message": "Puuttuu liite."})

    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=staff)).status_code == 409  # still open
    await close(api, clock, round_)
    await decide(api, granted, REQUESTED, department)
    await decide(api, refused, 0, department, rationale="Ei vastaa avustusperiaatteita.")
    waiting = await client.post(f"/rounds/{round_['id']}/publish", headers=staff)
    assert waiting.status_code == 409 and "1 application" in waiting.json()["detail"]
    # Staff may decide an application the applicant never completed.
    assert (await decide(api, returned, 0, department, rationale="Hakemusta ei täydennetty.")).status_code == 200

    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff("elsewhere"))).status_code == 403
    assert (
        await client.post(f"/rounds/{round_['id']}/publish", headers=tokens.association(granted_to))
    ).status_code == 403
    published = await client.post(f"/rounds/{round_['id']}/publish", headers=staff)
    assert published.status_code == 200, published.text
    assert published.json() | {"published_at": None} == {
        "round_id": round_["id"], "round_state": "published", "published_at": None,
        "decisions": 3, "granted_cents": REQUESTED, "usage_reports": 1,
    }  # fmt: skip
    after = await _round(api, round_["id"])
    assert after["state"] == "published" and after["published_at"] is not None

    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=staff)).status_code == 409
    [event] = await api.outbox("DecisionsPublished", round_id=round_["id"])
    assert event["data"]["decisions"] == 3 and event["data"]["granted_cents"] == REQUESTED
    due = await api.scalar("SELECT due_date::text FROM usage_report WHERE application_id = :a", a=granted["id"])
    assert due == f"{clock.now.year + 1}-03-31"
    assert await api.scalar("SELECT count(*) FROM usage_report WHERE application_id = :a", a=refused["id"]) == 0

    assert (await decide(api, granted, 1, department)).status_code == 409  # published decisions are final
    mine = (await client.get(f"/applications/{granted['id']}", headers=tokens.association(granted_to))).json()
    assert mine["decision"]["approved_cents"] == REQUESTED and "decided_by" not in mine["decision"]


async def test_usage_reports_fall_due_by_the_end_of_next_june_by_default(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    sent = await submitted(api, round_, await api.applicant())
    await close(api, clock, round_)
    await decide(api, sent, 10_000, department)
    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))).status_code == 200
    due = await api.scalar("SELECT due_date::text FROM usage_report WHERE application_id = :a", a=sent["id"])
    assert due == f"{round_['year'] + 1}-06-30"


async def test_light_grants_are_decided_any_time_and_published_in_batches(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await light_programme(api, fixed_cents=None)  # at most 1 000 €
    department = programme["department_code"]
    staff = api.staff(department)
    round_ = await api.round(programme, clock, appropriation_cents=200_000)
    first = await light_application(api, round_, 80_000, kind=ApplicantKind.PRIVATE_PERSON)
    second = await light_application(api, round_, 60_000)
    assert (await _round(api, round_["id"]))["reserved_cents"] == 140_000

    assert (await decide(api, first, 50_000, department)).status_code == 200  # the round is still open
    assert (await _round(api, round_["id"]))["reserved_cents"] == 110_000  # 300 € went back
    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=staff)).json()["decisions"] == 1
    after = await _round(api, round_["id"])
    assert after["state"] == "open" and after["published_at"] is not None
    nothing_new = await client.post(f"/rounds/{round_['id']}/publish", headers=staff)
    assert nothing_new.status_code == 409
    assert (await decide(api, first, 40_000, department)).status_code == 409  # already public

    clock.advance(minutes=5)
    assert (await decide(api, second, 60_000, department)).status_code == 200
    again = await client.post(f"/rounds/{round_['id']}/publish", headers=staff)
    assert again.status_code == 200 and again.json()["decisions"] == 1 and again.json()["granted_cents"] == 60_000
    events = await api.outbox("DecisionsPublished", round_id=round_["id"])
    assert [e["data"]["decisions"] for e in events] == [1, 1]
    reports = await api.scalar("SELECT count(*) FROM usage_report WHERE application_id IN (:a, :b)",
                               a=first["id"], b=second["id"])  # fmt: skip
    assert reports == 2

    await close(api, clock, round_)
    closing = await client.post(f"/rounds/{round_['id']}/publish", headers=staff)
    assert closing.status_code == 200 and closing.json()["decisions"] == 0  # nothing new: only the state moves
    assert closing.json()["round_state"] == "published"
    assert len(await api.outbox("DecisionsPublished", round_id=round_["id"])) == 2
    assert (await _round(api, round_["id"]))["reserved_cents"] == 110_000


async def test_a_continuous_round_becomes_published_when_closed_and_all_is_public(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await light_programme(api, fixed_cents=30_000)
    department = programme["department_code"]
    round_ = await api.round(programme, clock, appropriation_cents=90_000)
    sent = await light_application(api, round_)
    await close(api, clock, round_)
    assert (await decide(api, sent, 30_000, department)).status_code == 200
    done = await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))
    assert done.status_code == 200 and done.json()["round_state"] == "published"
    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))).status_code == 409


async def test_a_withdrawn_or_unknown_application_is_not_decided(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await light_programme(api)
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    applicant_id = await api.applicant()
    sent = await light_application(api, round_)
    applicant_id = uuid.UUID(sent["applicant_id"])
    await client.post(f"/applications/{sent['id']}/withdraw", headers=api.tokens.association(applicant_id))
    assert (await decide(api, sent, 30_000, department)).status_code == 409
    assert (await decide(api, {"id": str(uuid.uuid4())}, 30_000, department)).status_code == 404
    assert (await _round(api, round_["id"]))["reserved_cents"] == 0
