"""Partnership agreements over HTTP and the scheduler: who sees and moves what, calls, signing, yearly
discussions that fall due once, agreements that end by themselves once, and the public register."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from grants.bootstrap import jobs
from grants.domain.partnership import add_years
from grants.entrypoints.http.routes import partnerships, programmes, rounds
from shared.contracts.directory import ApplicantKind
from shared.localtime import end_of_local_day, local_date
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock

pytestmark = pytest.mark.integration


async def department(api: Api) -> str:
    """A department as the directory's event would have put it into grants' copy."""
    code: str = await api.department()
    return code


def proposal(applicant_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "applicant_id": str(applicant_id),
        "title": "Kaupunginosien kesätapahtumat",
        "goals": "Kolme avointa tapahtumaa vuodessa Meri-Porissa.",
    } | overrides


def term(clock: Clock, years: int = 3) -> dict[str, str]:
    starts_on = local_date(clock.now)
    return {"starts_on": starts_on.isoformat(), "ends_on": (add_years(starts_on, years) - timedelta(1)).isoformat()}


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    """The JSON body of a response that had ``status``."""
    assert response.status_code == status, response.text
    return response.json()


async def signed(api: Api, clock: Clock, *, years: int = 3, code: str | None = None) -> dict[str, Any]:
    """An agreement on the city staff's initiative, prepared, approved and signed today for ``years``."""
    code = code or await department(api)
    staff, client = api.staff(code), api.client
    body = proposal(await api.applicant(), department_code=code, responsible_liaison_ids=[str(uuid.uuid4())])
    made = await _ok(await client.post("/partnerships", json=body, headers=staff), 201)
    await _ok(await client.post(f"/partnerships/{made['id']}/prepare", headers=staff))
    await _ok(await client.post(f"/partnerships/{made['id']}/approve", headers=staff))
    active: dict[str, Any] = await _ok(
        await client.post(f"/partnerships/{made['id']}/sign", json=term(clock, years), headers=staff)
    )
    return active


async def run_concurrently(api: Api, clock: Clock, workers: int = 3) -> None:
    await asyncio.gather(*(run_jobs_once(api.grants, jobs(api.grants), clock.now) for _ in range(workers)))


# -- the path of an agreement ----------------------------------------------------------------------------------
async def test_an_association_proposes_and_the_department_brings_it_into_force(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code, applicant = await department(api), await api.applicant(name="Porin Kaupunginosaseura ry")
    rep, staff = tokens.association(applicant), api.staff(code)
    made = await _ok(
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep), 201
    )
    assert made["initiative"] == "association" and made["state"] == "proposed"
    assert made["applicant_name"] == "Porin Kaupunginosaseura ry" and made["discussion_due_dates"] == []
    edited = await _ok(
        await client.patch(f"/partnerships/{made['id']}", json={"goals": "Neljä tapahtumaa."}, headers=rep)
    )
    assert edited["goals"] == "Neljä tapahtumaa." and edited["version"] == 2

    await _ok(await client.post(f"/partnerships/{made['id']}/prepare", headers=staff))
    late = await client.patch(f"/partnerships/{made['id']}", json={"goals": "Viisi."}, headers=rep)
    assert late.status_code == 409
    person = str(uuid.uuid4())
    await _ok(
        await client.patch(f"/partnerships/{made['id']}", json={"responsible_liaison_ids": [person]}, headers=staff)
    )
    approved = await _ok(await client.post(f"/partnerships/{made['id']}/approve", headers=staff))
    assert approved["state"] == "approved"
    assert (await client.get(f"/partnerships/{made['id']}")).status_code == 404  # not yet in force

    active = await _ok(await client.post(f"/partnerships/{made['id']}/sign", json=term(clock), headers=staff))
    assert active["state"] == "active" and active["signed_at"] is not None and len(active["discussion_due_dates"]) == 3
    [event] = await api.outbox("PartnershipAgreementSigned", agreement_id=made["id"])
    assert event["data"] == {
        "agreement_id": made["id"],
        "applicant_id": str(applicant),
        "department_code": code,
        **term(clock),
        "premises": None,  # the agreement says nothing of premises (test_partnership_premises)
    }
    public = await _ok(await client.get(f"/partnerships/{made['id']}"))
    assert public["applicant_name"] == "Porin Kaupunginosaseura ry" and public["responsible_liaison_ids"] == [person]
    # Signing twice signs once.
    assert (await client.post(f"/partnerships/{made['id']}/sign", headers=staff)).status_code == 409
    assert len(await api.outbox("PartnershipAgreementSigned", agreement_id=made["id"])) == 1


async def test_an_elected_officials_initiative_is_recorded_by_staff(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code, applicant = await department(api), await api.applicant()
    body = proposal(applicant, department_code=code, initiative="elected_official")
    made = await _ok(await client.post("/partnerships", json=body, headers=api.staff(code)), 201)
    assert made["initiative"] == "elected_official"
    posing = await client.post("/partnerships", json=body, headers=tokens.association(applicant))
    assert posing.status_code == 422 and posing.json()["errors"][0]["field"] == "initiative"
    staff_as_association = proposal(applicant, department_code=code, initiative="association")
    refused = await client.post("/partnerships", json=staff_as_association, headers=api.staff(code))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "initiative"


async def test_wrong_transitions_conflict_and_a_proposal_can_be_withdrawn(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code, applicant = await department(api), await api.applicant()
    rep, staff = tokens.association(applicant), api.staff(code)
    first = await _ok(
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep), 201
    )
    for move in ("approve", "sign", "end"):
        assert (await client.post(f"/partnerships/{first['id']}/{move}", headers=staff)).status_code == 409, move
    assert (await client.delete(f"/partnerships/{first['id']}", headers=staff)).status_code == 403
    assert (await client.delete(f"/partnerships/{first['id']}", headers=rep)).status_code == 204
    assert (await client.get(f"/partnerships/{first['id']}", headers=rep)).status_code == 404

    second = await _ok(
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep), 201
    )
    await _ok(await client.post(f"/partnerships/{second['id']}/prepare", headers=staff))
    assert (await client.delete(f"/partnerships/{second['id']}", headers=rep)).status_code == 409
    no_reason = await client.post(f"/partnerships/{second['id']}/reject", headers=staff, json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    reason = {"reason": "Toiminta kuuluu jo toisen kumppanuuden piiriin."}
    rejected = await _ok(await client.post(f"/partnerships/{second['id']}/reject", headers=staff, json=reason))
    assert rejected["state"] == "rejected" and rejected["rejection_reason"] == reason["reason"]
    [event] = await api.outbox("PartnershipAgreementRejected", agreement_id=second["id"])
    assert "reason" not in event["data"]
    for move in ("prepare", "approve", "reject", "sign", "end"):  # a rejected proposal moves no further
        moved = await client.post(
            f"/partnerships/{second['id']}/{move}", headers=staff, json=reason if move == "reject" else {}
        )
        assert moved.status_code == 409, move
    assert (await client.get(f"/partnerships/{second['id']}", headers=rep)).json()["state"] == "rejected"


async def test_a_proposal_is_handed_to_the_department_of_its_domain(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    wrong, right, applicant = await department(api), await department(api), await api.applicant()
    made = await _ok(
        await client.post(
            "/partnerships", json=proposal(applicant, department_code=wrong), headers=tokens.association(applicant)
        ),
        201,
    )
    moved = await client.patch(f"/partnerships/{made['id']}", json={"department_code": right}, headers=api.staff(wrong))
    assert (await _ok(moved))["department_code"] == right
    assert (await client.get(f"/partnerships/{made['id']}", headers=api.staff(wrong))).status_code == 404
    await _ok(await client.post(f"/partnerships/{made['id']}/prepare", headers=api.staff(right)))
    nowhere = await client.patch(
        f"/partnerships/{made['id']}", json={"department_code": "no-such"}, headers=api.staff(right)
    )
    assert nowhere.status_code == 422 and nowhere.json()["errors"][0]["field"] == "department_code"


# -- who sees and moves what -----------------------------------------------------------------------------------
async def test_proposals_are_the_parties_own(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    code, applicant, stranger = await department(api), await api.applicant(), await api.applicant()
    rep, other_rep = tokens.association(applicant), tokens.association(stranger)
    made = await _ok(
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep), 201
    )
    url = f"/partnerships/{made['id']}"
    readers = {"own": rep, "department": api.staff(code), "admin": tokens.admin()}
    strangers = {"anonymous": {}, "other association": other_rep, "other department": api.staff("elsewhere")}
    for who, headers in readers.items():
        assert (await client.get(url, headers=headers)).status_code == 200, who
        listed = (await client.get("/partnerships", params={"department_code": code}, headers=headers)).json()
        assert [a["id"] for a in listed["items"]] == [made["id"]], who
    for who, headers in strangers.items():
        assert (await client.get(url, headers=headers)).status_code == 404, who
        listed = (await client.get("/partnerships", params={"department_code": code}, headers=headers)).json()
        assert listed["total"] == 0, who
    assert (await client.patch(url, json={"title": "Meidän"}, headers=other_rep)).status_code == 404
    assert (await client.delete(url, headers=other_rep)).status_code == 404
    assert (await client.post(f"{url}/prepare", headers=api.staff("elsewhere"))).status_code == 404
    assert (await client.post(f"{url}/prepare", headers=rep)).status_code == 403  # the association cannot prepare
    assert (await client.post(f"{url}/prepare")).status_code == 401
    assert (await client.post("/partnerships", json=proposal(applicant, department_code=code))).status_code == 401
    # Nobody proposes for someone else: an association for another, staff for another department.
    foreign = await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=other_rep)
    assert foreign.status_code == 403 and foreign.json()["errors"][0]["field"] == "applicant_id"
    other_staff = await client.post(
        "/partnerships", json=proposal(applicant, department_code=code), headers=api.staff("x")
    )
    assert other_staff.status_code == 403


async def test_an_agreement_in_force_is_public_but_only_its_parties_act_on_it(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code = await department(api)
    active = await signed(api, clock, code=code)
    url, stranger = f"/partnerships/{active['id']}", tokens.association(uuid.uuid4())
    assert (await client.get(url, headers=stranger)).status_code == 200
    assert (await client.patch(url, json={"title": "x"}, headers=stranger)).status_code == 403
    assert (await client.patch(url, json={"title": "x"}, headers=api.staff("elsewhere"))).status_code == 403
    assert (await client.post(f"{url}/end", headers=api.staff("elsewhere"))).status_code == 403
    assert (await client.get(f"{url}/discussions", headers=stranger)).status_code == 403
    assert (await client.get(f"{url}/discussions", headers=api.staff("elsewhere"))).status_code == 403
    assert (await client.get(f"{url}/discussions")).status_code == 401
    assert (
        await client.get(f"{url}/discussions", headers=tokens.association(uuid.UUID(active["applicant_id"])))
    ).status_code == 200
    # The department keeps the responsible persons current; the signed text stays as signed.
    person = str(uuid.uuid4())
    kept = await client.patch(url, json={"responsible_liaison_ids": [person]}, headers=api.staff(code))
    assert (await _ok(kept))["responsible_liaison_ids"] == [person]
    frozen = await client.patch(url, json={"goals": "Toiset"}, headers=api.staff(code))
    assert frozen.status_code == 409 and frozen.json()["errors"][0]["field"] == "goals"


async def test_the_public_register_lists_only_agreements_in_force(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code = await department(api)
    staff = api.staff(code)
    active = await signed(api, clock, code=code)
    ended = await signed(api, clock, code=code)
    await _ok(await client.post(f"/partnerships/{ended['id']}/end", headers=staff))
    applicant = await api.applicant()
    rep = tokens.association(applicant)
    for _ in range(2):
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep)
    listed = await _ok(await client.get("/partnerships", params={"department_code": code}))
    assert [a["id"] for a in listed["items"]] == [active["id"]] and listed["total"] == 1
    entry = listed["items"][0]
    assert entry["applicant_name"].startswith("Seura") and entry["title"] and entry["goals"]
    assert entry["starts_on"] and entry["ends_on"] and "created_by" not in entry
    asked_for_more = await client.get("/partnerships", params={"department_code": code, "state": ["proposed", "ended"]})
    assert asked_for_more.json()["total"] == 0
    everything = await _ok(
        await client.get("/partnerships", params={"department_code": code, "limit": 2}, headers=staff)
    )
    assert everything["total"] == 4 and len(everything["items"]) == 2
    own = await _ok(
        await client.get("/partnerships", params={"department_code": code, "state": "proposed"}, headers=rep)
    )
    assert own["total"] == 2


# -- calls -------------------------------------------------------------------------------------------------------
async def test_associations_apply_to_a_call_while_it_is_open(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code = await department(api)
    staff = api.staff(code)
    closes = local_date(clock.now) + timedelta(days=30)
    body = {
        "department_code": code,
        "title": "Kumppanuushaku 2027",
        "fields_of_activity": ["Culture"],
        "closes_at": f"{closes}T16:00",
    }
    assert (await client.post("/partnership-calls", json=body, headers=api.staff("elsewhere"))).status_code == 403
    assert (
        await client.post("/partnership-calls", json=body, headers=tokens.association(uuid.uuid4()))
    ).status_code == 403
    call = await _ok(await client.post("/partnership-calls", json=body, headers=staff), 201)
    assert call["is_open"] and call["fields_of_activity"] == ["culture"]
    [announced] = await api.outbox("PartnershipCallAnnounced", call_id=call["id"])
    assert announced["data"]["department_code"] == code
    listed = await _ok(await client.get("/partnership-calls", params={"department_code": code, "open_only": True}))
    assert [c["id"] for c in listed["items"]] == [call["id"]]

    applicant = await api.applicant()
    rep = tokens.association(applicant)
    applied = await _ok(
        await client.post("/partnerships", json=proposal(applicant, call_id=call["id"]), headers=rep), 201
    )
    assert applied["initiative"] == "call" and applied["department_code"] == code and applied["call_id"] == call["id"]
    again = await client.post("/partnerships", json=proposal(applicant, call_id=call["id"]), headers=rep)
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "call_id"
    elsewhere = await client.post(
        "/partnerships", json=proposal(applicant, call_id=call["id"], department_code="other"), headers=rep
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "department_code"

    clock.now = end_of_local_day(closes) + timedelta(seconds=1)
    latecomer = await api.applicant()
    late = await client.post(
        "/partnerships", json=proposal(latecomer, call_id=call["id"]), headers=tokens.association(latecomer)
    )
    assert late.status_code == 409 and late.json()["errors"][0]["field"] == "call_id"
    assert not (await _ok(await client.get(f"/partnership-calls/{call['id']}")))["is_open"]
    listed = await _ok(await client.get("/partnership-calls", params={"department_code": code, "open_only": True}))
    assert listed["total"] == 0


# -- input, idempotency ------------------------------------------------------------------------------------------
async def test_bad_input_names_the_field_and_leaves_nothing_behind(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code, applicant = await department(api), await api.applicant()
    rep, staff = tokens.association(applicant), api.staff(code)
    person = await api.applicant(ApplicantKind.PRIVATE_PERSON)
    group = await api.applicant(ApplicantKind.UNREGISTERED_GROUP)
    cases = [
        (rep, proposal(applicant, department_code="no-such-department"), "department_code"),
        (rep, proposal(applicant), "department_code"),
        (rep, proposal(applicant, department_code=code, title=" "), "title"),
        (
            rep,
            proposal(applicant, department_code=code, responsible_liaison_ids=[str(uuid.uuid4())]),
            "responsible_liaison_ids",
        ),
        (rep, proposal(applicant, department_code=code, starts_on="2027-01-01", ends_on="2033-01-01"), "ends_on"),
        (rep, proposal(applicant, department_code=code, call_id=str(uuid.uuid4())), "call_id"),
        (staff, proposal(uuid.uuid4(), department_code=code), "applicant_id"),
        (staff, proposal(person, department_code=code), "applicant_id"),
        (staff, proposal(group, department_code=code), "applicant_id"),
    ]
    for headers, body, field in cases:
        response = await client.post("/partnerships", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.json())
    assert await api.scalar("SELECT count(*) FROM partnership_agreement WHERE department_code = :c", c=code) == 0

    made = await _ok(
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep), 201
    )
    cleared = await client.patch(f"/partnerships/{made['id']}", json={"title": None}, headers=rep)
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "title"
    url = f"/partnerships/{made['id']}"
    await client.post(f"{url}/prepare", headers=staff)
    assert (await client.post(f"{url}/approve", headers=staff)).json()["errors"][0][
        "field"
    ] == "responsible_liaison_ids"
    await client.patch(url, json={"responsible_liaison_ids": [str(uuid.uuid4())]}, headers=staff)
    await _ok(await client.post(f"{url}/approve", headers=staff))
    too_long = await client.post(f"{url}/sign", json=term(clock, years=6), headers=staff)
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "ends_on"
    unsigned = await _ok(await client.get(url, headers=staff))
    assert unsigned["state"] == "approved" and unsigned["starts_on"] is None
    assert await api.outbox("PartnershipAgreementSigned", agreement_id=made["id"]) == []


async def test_a_retried_proposal_creates_one_agreement(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    code, applicant = await department(api), await api.applicant()
    rep = tokens.association(applicant)
    headers = rep | {"Idempotency-Key": f"proposal-{uuid.uuid4()}"}
    body = proposal(applicant, department_code=code)
    first, second = await asyncio.gather(*(client.post("/partnerships", json=body, headers=headers) for _ in range(2)))
    assert first.status_code == second.status_code == 201 and first.json()["id"] == second.json()["id"]
    assert "true" in (first.headers.get("idempotent-replayed"), second.headers.get("idempotent-replayed"))
    assert await api.scalar("SELECT count(*) FROM partnership_agreement WHERE applicant_id = :a", a=applicant) == 1


async def test_every_mutating_post_of_programmes_rounds_and_partnerships_takes_the_key(
    client: httpx.AsyncClient,
) -> None:
    routers = (programmes.router, rounds.router, partnerships.router)
    posts = {
        r.path for router in routers for r in router.routes if isinstance(r, APIRoute) and "POST" in (r.methods or ())
    }
    assert len(posts) == 12
    paths: dict[str, Any] = (await client.get("/openapi.json")).json()["paths"]
    for path in sorted(posts):
        parameters = paths[path]["post"].get("parameters", [])
        assert [p["in"] for p in parameters if p["name"] == "Idempotency-Key"] == ["header"], path


async def test_a_retried_signing_signs_once(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    code, applicant = await department(api), await api.applicant()
    staff = api.staff(code)
    body = proposal(applicant, department_code=code, responsible_liaison_ids=[str(uuid.uuid4())])
    made = await _ok(await client.post("/partnerships", json=body, headers=staff), 201)
    for move in ("prepare", "approve"):
        await _ok(await client.post(f"/partnerships/{made['id']}/{move}", headers=staff))
    key = staff | {"Idempotency-Key": f"sign-{uuid.uuid4()}"}
    url = f"/partnerships/{made['id']}/sign"
    first, second = [await client.post(url, json=term(clock), headers=key) for _ in range(2)]
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert len(await api.outbox("PartnershipAgreementSigned", agreement_id=made["id"])) == 1


# -- on time, by itself ------------------------------------------------------------------------------------------
async def test_yearly_discussions_fall_due_once_and_are_held_together(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    active = await signed(api, clock)
    url, staff = f"/partnerships/{active['id']}", api.staff(active["department_code"])
    rep = tokens.association(uuid.UUID(active["applicant_id"]))
    first, second, third = (date.fromisoformat(d) for d in active["discussion_due_dates"])
    start = end_of_local_day(first - timedelta(days=31)) - timedelta(hours=1)  # the evening before the notice

    clock.now = start
    await run_concurrently(api, clock)
    assert await api.outbox("PartnershipDiscussionDue", agreement_id=active["id"]) == []
    clock.advance(hours=2)  # the notice day, 30 days before the first year's last day
    await run_concurrently(api, clock)
    await run_concurrently(api, clock)
    [due] = await api.outbox("PartnershipDiscussionDue", agreement_id=active["id"])
    assert due["data"]["due_on"] == first.isoformat() and due["data"]["applicant_id"] == active["applicant_id"]
    assert due["data"]["department_code"] == active["department_code"]
    [listed] = await _ok(await client.get(f"{url}/discussions", headers=rep))
    assert listed["id"] == due["data"]["discussion_id"] and listed["held_on"] is None

    clock.advance(days=10)
    held_on = local_date(clock.now).isoformat()
    actions = [
        {
            "action": "Syystapahtuman suunnittelu",
            "owner": "yhdistys",
            "due_on": (first + timedelta(days=60)).isoformat(),
        }
    ]
    body = {"held_on": held_on, "notes": "Hyvä vuosi.", "agreed_actions": actions}
    recorded = await _ok(await client.post(f"{url}/discussions", json=body, headers=staff), 201)
    assert recorded["id"] == listed["id"] and recorded["due_on"] == first.isoformat()
    # Held together: the association reads the notes and the agreed actions too.
    [read] = await _ok(await client.get(f"{url}/discussions", headers=rep))
    assert read["notes"] == "Hyvä vuosi." and read["agreed_actions"] == actions
    assert (await client.post(f"{url}/discussions", json=body, headers=rep)).status_code == 403
    twice = await client.post(f"{url}/discussions", json=body | {"due_on": first.isoformat()}, headers=staff)
    assert twice.status_code == 409
    corrected = await client.patch(
        f"{url}/discussions/{read['id']}", json={"notes": "Erinomainen vuosi."}, headers=staff
    )
    assert (await _ok(corrected))["notes"] == "Erinomainen vuosi."

    # Another discussion in the first year does not count for the second.
    too_soon = await client.post(f"{url}/discussions", json={"held_on": held_on}, headers=staff)
    assert too_soon.status_code == 422 and too_soon.json()["errors"][0]["field"] == "held_on"
    # The second year's discussion is held early in that year: nobody is reminded of it.
    clock.now = end_of_local_day(first + timedelta(days=20))
    early_on = local_date(clock.now).isoformat()
    early = await _ok(await client.post(f"{url}/discussions", json={"held_on": early_on}, headers=staff), 201)
    assert early["due_on"] == second.isoformat() and early["due_notice_sent_at"] is None
    clock.now = end_of_local_day(second)
    await run_concurrently(api, clock)
    [only_first] = await api.outbox("PartnershipDiscussionDue", agreement_id=active["id"])
    assert only_first == due
    clock.now = end_of_local_day(third - timedelta(days=30))
    await run_concurrently(api, clock)
    dues = await api.outbox("PartnershipDiscussionDue", agreement_id=active["id"])
    assert [d["data"]["due_on"] for d in dues] == [first.isoformat(), third.isoformat()]
    wrong_year = await client.post(
        f"{url}/discussions", json={"held_on": held_on, "due_on": "2020-01-01"}, headers=staff
    )
    assert wrong_year.status_code == 422 and wrong_year.json()["errors"][0]["field"] == "due_on"


async def test_agreements_end_by_themselves_once_when_their_term_is_over(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    active = await signed(api, clock, years=1)
    ends_on = date.fromisoformat(active["ends_on"])
    clock.now = end_of_local_day(ends_on)
    await run_concurrently(api, clock)
    assert (await _ok(await client.get(f"/partnerships/{active['id']}")))["state"] == "active"  # its last day
    clock.advance(seconds=1)
    await run_concurrently(api, clock, workers=4)
    await run_concurrently(api, clock)
    [ended] = await api.outbox("PartnershipAgreementEnded", agreement_id=active["id"])
    assert ended["data"]["ended_on"] == ends_on.isoformat()
    assert (await client.get(f"/partnerships/{active['id']}")).status_code == 404  # no longer in force
    mine = await _ok(
        await client.get(f"/partnerships/{active['id']}", headers=tokens.association(uuid.UUID(active["applicant_id"])))
    )
    assert mine["state"] == "ended" and mine["ended_on"] == ends_on.isoformat()
    # The department may still record the last year's discussion.
    staff = api.staff(active["department_code"])
    held = await client.post(
        f"/partnerships/{active['id']}/discussions", json={"held_on": ends_on.isoformat()}, headers=staff
    )
    assert (await _ok(held, 201))["due_on"] == ends_on.isoformat()


async def test_the_department_may_end_an_agreement_early_and_only_once(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    active = await signed(api, clock)
    staff = api.staff(active["department_code"])
    clock.advance(days=40)
    ended, again = await asyncio.gather(
        *(client.post(f"/partnerships/{active['id']}/end", headers=staff) for _ in range(2))
    )
    assert sorted([ended.status_code, again.status_code]) == [200, 409]
    [event] = await api.outbox("PartnershipAgreementEnded", agreement_id=active["id"])
    assert event["data"]["ended_on"] == local_date(clock.now).isoformat()
    await run_concurrently(api, clock)
    assert len(await api.outbox("PartnershipAgreementEnded", agreement_id=active["id"])) == 1
