"""Applications over HTTP: drafting, editing, submitting and withdrawing; who may see and change what."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from shared.contracts.directory import ApplicantKind
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .applying import BUDGET, REQUESTED, body, close, draft, light_budget, light_programme, submitted


async def _count(api: Api, round_id: str) -> int:
    return int(await api.scalar("SELECT count(*) FROM application WHERE round_id = :r", r=round_id))


async def test_an_association_drafts_edits_and_submits_once(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    round_ = await api.round(await api.programme(), clock)
    applicant_id = await api.applicant()
    me = api.tokens.association(applicant_id)

    made = await draft(api, round_, applicant_id)
    assert made["state"] == "draft" and made["requested_cents"] == REQUESTED and made["submitted_at"] is None
    assert made["budget"][0] == BUDGET[0] and made["attachments"][0]["size_bytes"] == 120_000
    bigger = [*BUDGET, {"kind": "expense", "description": "Kuljetukset", "amount_cents": 5_000}]
    edited = await client.patch(
        f"/applications/{made['id']}", headers=me, json={"requested_cents": 55_000, "budget": bigger}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["requested_cents"] == 55_000 and len(edited.json()["budget"]) == 4

    sent = await client.post(f"/applications/{made['id']}/submit", headers=me)
    assert sent.status_code == 200 and sent.json()["state"] == "submitted" and sent.json()["submitted_at"]
    again = await client.post(f"/applications/{made['id']}/submit", headers=me)
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    [event] = await api.outbox("ApplicationSubmitted", application_id=made["id"])
    assert event["data"]["requested_cents"] == 55_000 and event["data"]["programme_id"] == round_["programme_id"]

    late_edit = await client.patch(f"/applications/{made['id']}", headers=me, json={"purpose": "Toinen"})
    assert late_edit.status_code == 409
    mine = (await client.get("/applications", headers=me)).json()
    assert mine["total"] == 1 and mine["items"][0]["id"] == made["id"]
    assert "comments" not in (await client.get(f"/applications/{made['id']}", headers=me)).json()


async def test_bad_input_names_the_field_and_writes_nothing(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await api.programme(max_amount_cents=100_000)
    round_ = await api.round(programme, clock)
    applicant_id = await api.applicant()
    me = api.tokens.association(applicant_id)
    unknown, inactive = uuid.uuid4(), await api.applicant(active=False)
    group = await api.applicant(ApplicantKind.UNREGISTERED_GROUP)
    over = [{"kind": "expense", "description": "Kaikki", "amount_cents": 150_000}]
    cases: list[tuple[uuid.UUID, dict[str, Any], str]] = [
        (applicant_id, {"requested_cents": 40_000}, "budget"),
        (
            applicant_id,
            {"budget": [{"kind": "expense", "description": "Vuokra", "amount_cents": 0}]},
            "budget.0.amount_cents",
        ),
        (applicant_id, {"budget": [{"kind": "gift", "description": "x", "amount_cents": 1}]}, "budget.0.kind"),
        (applicant_id, {"budget": []}, "budget"),
        (applicant_id, {"purpose": "  "}, "purpose"),
        (
            applicant_id,
            {"attachments": [{"name": "video.mp4", "content_type": "video/mp4", "size_bytes": 21 * 1024 * 1024}]},
            "attachments.0.size_bytes",
        ),
        (
            applicant_id,
            {"attachments": [{"name": "x", "content_type": "not a type", "size_bytes": 1}]},
            "attachments.0.content_type",
        ),
        (applicant_id, {"requested_cents": 150_000, "budget": over}, "requested_cents"),
        (unknown, {}, "applicant_id"),
        (inactive, {}, "applicant_id"),
        (group, {}, "applicant_id"),  # the programme is for registered associations only
        (applicant_id, {"round_id": str(uuid.uuid4())}, "round_id"),
    ]
    for who, overrides, field in cases:
        response = await client.post(
            "/applications", json=body(round_["id"], who, **overrides), headers=api.tokens.association(who)
        )
        assert response.status_code in (404, 422), (field, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.json())
    assert await _count(api, round_["id"]) == 0

    made = await draft(api, round_, applicant_id)
    bad = await client.patch(f"/applications/{made['id']}", headers=me, json={"requested_cents": 1})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "budget"
    assert (await client.get(f"/applications/{made['id']}", headers=me)).json()["requested_cents"] == REQUESTED


async def test_submissions_only_while_the_round_is_open(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await api.programme()
    round_ = await api.round(programme, clock, open_now=False)
    applicant_id = await api.applicant()
    me = api.tokens.association(applicant_id)
    early = await draft(api, round_, applicant_id)  # drafting may start once the round is announced
    too_early = await client.post(f"/applications/{early['id']}/submit", headers=me)
    assert too_early.status_code == 409 and too_early.json()["errors"][0]["field"] == "round_id"

    clock.advance(minutes=2)
    await api.run_jobs(clock)
    in_time = await draft(api, round_, applicant_id)
    await close(api, clock, round_)
    too_late = await client.post(f"/applications/{in_time['id']}/submit", headers=me)
    assert too_late.status_code == 409 and too_late.json()["errors"][0]["field"] == "round_id"
    refused = await client.post("/applications", json=body(round_["id"], applicant_id), headers=me)
    assert refused.status_code == 409
    assert await api.outbox("ApplicationSubmitted", round_id=round_["id"]) == []


async def test_a_deactivated_applicant_cannot_submit_its_draft(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    round_ = await api.round(await api.programme(), clock)
    applicant_id = await api.applicant()
    made = await draft(api, round_, applicant_id)
    async with api.grants.uow() as uow:  # the directory's AssociationDeactivated arrived
        await uow.applicants.put_status(applicant_id, 2, {"active": False})
        await uow.commit()
    refused = await client.post(f"/applications/{made['id']}/submit", headers=api.tokens.association(applicant_id))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "applicant_id"


async def test_who_may_see_and_change_an_application(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    mine, theirs = await api.applicant(), await api.applicant()
    me, them = tokens.association(mine), tokens.association(theirs)
    made = await draft(api, round_, mine)
    url = f"/applications/{made['id']}"

    assert (await client.get(url)).status_code == 401
    assert (await client.post("/applications", json=body(round_["id"], mine), headers=them)).status_code == 403
    for method, path in [("GET", url), ("PATCH", url), ("POST", f"{url}/submit"), ("POST", f"{url}/withdraw")]:
        response = await client.request(
            method, path, headers=them, json={"purpose": "x"} if method == "PATCH" else None
        )
        assert response.status_code == 404, (method, path, response.text)
    assert (await client.get(url, headers=api.staff(department))).status_code == 404  # a draft is the applicant's
    assert (await client.get("/applications", headers=them)).json()["total"] == 0
    assert (await client.get("/applications", headers=me, params={"applicant_id": str(theirs)})).status_code == 403

    await client.post(f"{url}/submit", headers=me)
    assert (await client.get(url, headers=api.staff(department))).status_code == 200
    assert (await client.get(url, headers=tokens.admin())).status_code == 200
    assert (await client.get(url, headers=api.staff("elsewhere"))).status_code == 403
    assert (await client.patch(url, headers=api.staff(department), json={"purpose": "x"})).status_code == 403
    assert (await client.post(f"{url}/withdraw", headers=api.staff(department))).status_code == 403
    assert (await client.get(url, headers=them)).status_code == 404
    assert (await client.get(url, headers=me)).json()["purpose"] == made["purpose"]


async def test_withdrawal_before_the_decision(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    round_ = await api.round(await api.programme(), clock)
    applicant_id = await api.applicant()
    me = api.tokens.association(applicant_id)
    sent = await submitted(api, round_, applicant_id)
    withdrawn = await client.post(f"/applications/{sent['id']}/withdraw", headers=me)
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert (await client.post(f"/applications/{sent['id']}/withdraw", headers=me)).status_code == 409
    assert (await client.post(f"/applications/{sent['id']}/submit", headers=me)).status_code == 409
    assert len(await api.outbox("ApplicationWithdrawn", application_id=sent["id"])) == 1

    discarded = await draft(api, round_, applicant_id)
    assert (await client.post(f"/applications/{discarded['id']}/withdraw", headers=me)).status_code == 200
    assert await api.outbox("ApplicationWithdrawn", application_id=discarded["id"]) == []  # nobody knew of it


async def test_a_retried_create_makes_one_draft(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    round_ = await api.round(await api.programme(), clock)
    applicant_id = await api.applicant()
    headers = api.tokens.association(applicant_id, subject="rep-retry") | {"Idempotency-Key": "draft-1"}
    first = await client.post("/applications", json=body(round_["id"], applicant_id), headers=headers)
    second = await client.post("/applications", json=body(round_["id"], applicant_id), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and second.headers["idempotent-replayed"] == "true"
    assert first.headers["location"] == f"/applications/{first.json()['id']}"
    assert await _count(api, round_["id"]) == 1


async def test_light_grants_for_groups_and_private_persons(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await light_programme(api, fixed_cents=30_000)
    round_ = await api.round(programme, clock, appropriation_cents=90_000)
    person = await api.applicant(ApplicantKind.PRIVATE_PERSON)
    wrong = await client.post(
        "/applications",
        json=body(round_["id"], person, requested_cents=20_000, budget=light_budget(20_000)),
        headers=api.tokens.association(person),
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "requested_cents"
    sent = await submitted(api, round_, person, requested_cents=30_000, budget=light_budget(30_000))
    assert sent["state"] == "submitted"
    assert (await client.get(f"/rounds/{round_['id']}")).json()["reserved_cents"] == 30_000

    # Withdrawing gives the money back to the next in line.
    await client.post(f"/applications/{sent['id']}/withdraw", headers=api.tokens.association(person))
    assert (await client.get(f"/rounds/{round_['id']}")).json()["reserved_cents"] == 0


async def test_a_returned_light_application_holds_its_place_and_its_new_amount(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await light_programme(api, fixed_cents=None)  # at most 1 000 €
    department = programme["department_code"]
    round_ = await api.round(programme, clock, appropriation_cents=100_000)
    applicant_id = await api.applicant(ApplicantKind.UNREGISTERED_GROUP)
    me = api.tokens.association(applicant_id)
    sent = await submitted(api, round_, applicant_id, requested_cents=40_000, budget=light_budget(40_000))
    returned = await client.post(
        f"/applications/{sent['id']}/return", headers=api.staff(department), json={"message": "Lisää kuitit."}
    )
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert (await client.get(f"/applications/{sent['id']}", headers=me)).json()["completion_request"] == "Lisää kuitit."

    too_much = await client.patch(
        f"/applications/{sent['id']}", headers=me, json={"requested_cents": 100_000, "budget": light_budget(100_000)}
    )
    assert too_much.status_code == 200  # 1 000 € fits the 1 000 € appropriation exactly
    assert (await client.get(f"/rounds/{round_['id']}")).json()["reserved_cents"] == 100_000
    other = await api.applicant()
    full = await client.post(
        "/applications",
        json=body(round_["id"], other, requested_cents=10_000, budget=light_budget(10_000)),
        headers=api.tokens.association(other),
    )
    refused = await client.post(f"/applications/{full.json()['id']}/submit", headers=api.tokens.association(other))
    assert refused.status_code == 409 and "appropriation is used up" in refused.json()["detail"]

    await client.patch(
        f"/applications/{sent['id']}", headers=me, json={"requested_cents": 30_000, "budget": light_budget(30_000)}
    )
    assert (await client.get(f"/rounds/{round_['id']}")).json()["reserved_cents"] == 30_000
    clock.advance(days=1)
    again = await client.post(f"/applications/{sent['id']}/submit", headers=me)
    assert again.status_code == 200 and again.json()["submitted_at"] == sent["submitted_at"]  # keeps its place
    assert len(await api.outbox("ApplicationSubmitted", application_id=sent["id"])) == 2


async def test_a_returned_yearly_application_can_be_resubmitted_after_the_round_closes(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    round_ = await api.round(programme, clock)
    applicant_id = await api.applicant()
    me = api.tokens.association(applicant_id)
    sent = await submitted(api, round_, applicant_id)
    await close(api, clock, round_)
    staff = api.staff(programme["department_code"])
    assert (
        await client.post(f"/applications/{sent['id']}/return", headers=staff, json={"message": " "})
    ).status_code == 422
    await client.post(
        f"/applications/{sent['id']}/return", headers=staff, json={"message": "Liitä toimintasuunnitelma."}
    )
    assert len(await api.outbox("ApplicationReturnedForCompletion", application_id=sent["id"])) == 1
    attachments = [{"name": "suunnitelma.pdf", "content_type": "application/pdf", "size_bytes": 5_000}]
    assert (
        await client.patch(f"/applications/{sent['id']}", headers=me, json={"attachments": attachments})
    ).status_code == 200
    resent = await client.post(f"/applications/{sent['id']}/submit", headers=me)
    assert resent.status_code == 200 and resent.json()["state"] == "submitted"
    # A returned application cannot be returned twice without being resubmitted; submitted ones only.
    assert (
        await client.post(f"/applications/{sent['id']}/return", headers=staff, json={"message": "x"})
    ).status_code == 200
    assert (
        await client.post(f"/applications/{sent['id']}/return", headers=staff, json={"message": "x"})
    ).status_code == 409


async def test_light_grants_are_first_come_first_served_under_concurrency(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    """Room for five grants, twenty submit at once: exactly five get in, nobody overspends."""
    programme = await light_programme(api, fixed_cents=30_000)
    round_ = await api.round(programme, clock, appropriation_cents=5 * 30_000)
    applicants = [await api.applicant(ApplicantKind.PRIVATE_PERSON) for _ in range(20)]
    drafts = [await draft(api, round_, a, requested_cents=30_000, budget=light_budget(30_000)) for a in applicants]

    async def submit(application: dict[str, object], applicant_id: uuid.UUID) -> httpx.Response:
        url = f"/applications/{application['id']}/submit"
        return await client.post(url, headers=api.tokens.association(applicant_id))

    responses = await asyncio.gather(*(submit(d, a) for d, a in zip(drafts, applicants, strict=True)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 5 + [409] * 15, [r.text for r in responses if r.status_code not in (200, 409)]
    assert all("appropriation is used up" in r.json()["detail"] for r in responses if r.status_code == 409)
    after = (await client.get(f"/rounds/{round_['id']}")).json()
    assert after["reserved_cents"] == 5 * 30_000 and after["remaining_cents"] == 0
    states = await api.scalar(
        "SELECT string_agg(state, ',' ORDER BY state) FROM application WHERE round_id = :r", r=round_["id"]
    )
    assert states.split(",").count("submitted") == 5 and states.split(",").count("draft") == 15
    assert len(await api.outbox("ApplicationSubmitted", round_id=round_["id"])) == 5
