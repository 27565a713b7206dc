"""The premises terms of a partnership agreement over HTTP: the department sets them while preparing it, its
parties and the public read them, and signing tells bookings (the event's ``premises``) for the agreement's term."""

from __future__ import annotations

import uuid

import httpx
import pytest

from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_partnerships import _ok, department, proposal, term

pytestmark = pytest.mark.integration


async def test_signing_tells_the_premises_terms_the_department_set(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    code, applicant = await department(api), await api.applicant()
    staff, hall, gym = api.staff(code), uuid.uuid4(), uuid.uuid4()
    body = proposal(
        applicant, department_code=code, responsible_liaison_ids=[str(uuid.uuid4())],
        premises={"free_use": True, "facility_ids": [str(hall)]},
    )  # fmt: skip
    made = await _ok(await client.post("/partnerships", json=body, headers=staff), 201)
    assert made["premises"] == {"free_use": True, "facility_ids": [str(hall)]}
    url = f"/partnerships/{made['id']}"
    await _ok(await client.post(f"{url}/prepare", headers=staff))
    changed = await _ok(
        await client.patch(
            url, json={"premises": {"free_use": True, "facility_ids": [str(hall), str(gym)]}}, headers=staff
        )
    )
    assert changed["premises"]["facility_ids"] == [str(hall), str(gym)]
    await _ok(await client.post(f"{url}/approve", headers=staff))
    settled = await client.patch(url, json={"premises": None}, headers=staff)
    assert settled.status_code == 409 and settled.json()["errors"][0]["field"] == "premises"

    active = await _ok(await client.post(f"{url}/sign", json=term(clock), headers=staff))
    assert active["premises"] == changed["premises"]
    [event] = await api.outbox("PartnershipAgreementSigned", agreement_id=made["id"])
    assert event["data"] == {
        "agreement_id": made["id"],
        "applicant_id": str(applicant),
        "department_code": code,
        **term(clock),  # the terms apply for the agreement's own term
        "premises": {"free_use": True, "facility_ids": [str(hall), str(gym)]},
    }
    public = await _ok(await client.get(url))
    assert public["premises"] == changed["premises"]


async def test_no_facilities_named_means_all_premises_and_cleared_terms_say_nothing(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    code = await department(api)
    staff = api.staff(code)
    everything = {"free_use": True}
    body = proposal(
        await api.applicant(), department_code=code, responsible_liaison_ids=[str(uuid.uuid4())], premises=everything
    )
    made = await _ok(await client.post("/partnerships", json=body, headers=staff), 201)
    assert made["premises"] == {"free_use": True, "facility_ids": []}
    url = f"/partnerships/{made['id']}"
    cleared = await _ok(await client.patch(url, json={"premises": None}, headers=staff))
    assert cleared["premises"] is None
    await _ok(await client.patch(url, json={"premises": everything}, headers=staff))
    for move in ("prepare", "approve"):
        await _ok(await client.post(f"{url}/{move}", headers=staff))
    await _ok(await client.post(f"{url}/sign", json=term(clock), headers=staff))
    [event] = await api.outbox("PartnershipAgreementSigned", agreement_id=made["id"])
    assert event["data"]["premises"] == {"free_use": True, "facility_ids": []}


async def test_bad_premises_terms_name_the_field_and_the_association_cannot_set_them(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code, applicant = await department(api), await api.applicant()
    rep, staff, hall = tokens.association(applicant), api.staff(code), str(uuid.uuid4())
    cases = [
        (staff, {"free_use": True, "facility_ids": [hall, hall]}, "premises.facility_ids.1"),
        (staff, {"free_use": True, "facility_ids": ["not-an-id"]}, "premises.facility_ids.0"),
        (staff, {"free_use": "yes"}, "premises.free_use"),
        (staff, {"facility_ids": [hall]}, "premises.free_use"),
        (rep, {"free_use": True}, "premises"),
    ]
    for headers, premises, field in cases:
        body = proposal(applicant, department_code=code, premises=premises)
        response = await client.post("/partnerships", json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert field in [e["field"] for e in response.json()["errors"]], (field, response.json())
    assert await api.scalar("SELECT count(*) FROM partnership_agreement WHERE department_code = :c", c=code) == 0

    made = await _ok(
        await client.post("/partnerships", json=proposal(applicant, department_code=code), headers=rep), 201
    )
    assert made["premises"] is None
    refused = await client.patch(f"/partnerships/{made['id']}", json={"premises": {"free_use": True}}, headers=rep)
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "premises"
    twice = await client.patch(
        f"/partnerships/{made['id']}",
        json={"premises": {"free_use": True, "facility_ids": [hall, hall]}},
        headers=staff,
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "premises.facility_ids.1"
    assert (await _ok(await client.get(f"/partnerships/{made['id']}", headers=staff)))["premises"] is None
