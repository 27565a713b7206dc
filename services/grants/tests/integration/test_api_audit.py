"""The outside API audit's findings, each checked against the grants API as it runs (the shared mechanisms
themselves are tested in shared/tests)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from openapi_spec_validator import validate

from shared.testing.asyncapi import asyncapi_errors
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock

PROBLEM = "application/problem+json"
PRINCIPLES = {"title": "Periaatteet", "body": "Avustettavan toiminnan tulee ...", "adopted_on": "2026-11-01"}


def refused(response: httpx.Response, status: int = 422) -> list[str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return [e["field"] for e in response.json().get("errors", [])]


def programme_body(department: str, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "Toiminta-avustus",
        "kind": "operating",
        "intake": "yearly_round",
        "department_code": department,
        "eligible_kinds": ["registered_association"],
    } | overrides


def round_body(clock: Clock, **overrides: Any) -> dict[str, Any]:
    return {
        "year": clock.now.year,
        "opens_at": clock.now.replace(tzinfo=None).isoformat(timespec="minutes"),
        "appropriation_cents": 100_000,
    } | overrides


# 1. text the database cannot store ------------------------------------------------------------------------
async def test_nul_anywhere_is_a_422_naming_the_field_even_for_the_public(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    assert refused(await client.get("/partnership-calls", params={"department_code": "a\x00"})) == [
        "query.department_code"
    ]
    assert refused(await client.get("/rounds/%00")) == ["path.round_id"]
    code = await api.department()
    staff = tokens.staff(code)
    assert refused(await client.post("/programmes", json=programme_body(code, name="\x00"), headers=staff)) == ["name"]
    programme = await api.programme(code)
    principles = PRINCIPLES | {"body": "Periaate\x00"}
    answer = await client.post(f"/programmes/{programme['id']}/principles", json=principles, headers=staff)
    assert refused(answer) == ["body"]
    scores = await client.put(
        f"/applications/{uuid.uuid4()}/scores", json={"scores": {"vai\x00kutus": 3}}, headers=staff
    )
    assert refused(scores) == ["scores"]


# 3. strict parsing ----------------------------------------------------------------------------------------
async def test_bodies_parse_strictly_and_query_parameters_still_parse_from_text(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    programme = await api.programme()
    staff, rounds = tokens.staff(programme["department_code"]), f"/programmes/{programme['id']}/rounds"
    for change, field in (
        ({"year": str(clock.now.year)}, "year"),
        ({"opens_at": int(clock.now.timestamp())}, "opens_at"),
        ({"appropriation_cents": "100000"}, "appropriation_cents"),
        ({"appropriation_cents": 1000.0}, "appropriation_cents"),
        ({"decision_deadline": 20271231}, "decision_deadline"),
        ({"principles_version": True}, "principles_version"),
    ):
        assert refused(await client.post(rounds, json=round_body(clock, **change), headers=staff)) == [field], change
    adopted = PRINCIPLES | {"adopted_on": 20261101}
    answer = await client.post(f"/programmes/{programme['id']}/principles", json=adopted, headers=staff)
    assert refused(answer) == ["adopted_on"]
    made = await client.post(rounds, json=round_body(clock, decision_deadline="2027-12-31"), headers=staff)
    assert made.status_code == 201, made.text
    assert (await client.get("/rounds", params={"year": str(clock.now.year), "limit": "5"})).status_code == 200
    assert (await client.get("/partnership-calls", params={"open_only": "true"})).status_code == 200


# 4. PATCH: optional, and nullable only where null clears --------------------------------------------------
async def test_a_patch_refuses_null_naming_the_field_and_its_schema_says_so(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    programme = await api.programme()
    staff = tokens.staff(programme["department_code"])
    made = await client.post(f"/programmes/{programme['id']}/rounds", json=round_body(clock), headers=staff)
    url = f"/rounds/{made.json()['id']}"
    for name in ("opens_at", "closes_at", "appropriation_cents"):
        [error] = (await client.patch(url, json={name: None}, headers=staff)).json()["errors"]
        assert error["field"] == name and "null" in error["message"]
    assert (await client.patch(url, json={"decision_deadline": None}, headers=staff)).status_code == 200
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for model, never_null, nullable in (
        ("RoundUpdate", ("opens_at", "closes_at", "appropriation_cents"), ("decision_deadline",)),
        ("AgreementUpdate", ("title", "goals", "responsible_liaison_ids", "department_code"), ("starts_on",)),
        ("DiscussionUpdate", ("held_on", "agreed_actions"), ("notes",)),
    ):
        properties = schemas[model]["properties"]
        assert "required" not in schemas[model]
        for name in never_null:
            assert "null" not in str(properties[name]), (model, name)
        for name in nullable:
            assert {"type": "null"} in properties[name]["anyOf"], (model, name)


# 5. and 6. malformed bodies, methods not allowed ----------------------------------------------------------
async def test_malformed_json_other_media_types_and_wrong_methods_get_clear_answers(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    staff = tokens.staff("culture")
    refused(await client.post("/programmes", content=b"{", headers=staff | {"Content-Type": "application/json"}), 400)
    refused(
        await client.post("/programmes", content=b"\xff\xfe", headers=staff | {"Content-Type": "application/json"}), 400
    )
    refused(
        await client.post("/programmes", content=b"<programme/>", headers=staff | {"Content-Type": "text/xml"}), 415
    )
    listing = await client.delete("/programmes")
    assert listing.status_code == 405 and listing.headers["allow"] == "GET, POST"
    one = await client.put(f"/rounds/{uuid.uuid4()}", json={})
    assert one.status_code == 405 and one.headers["allow"] == "GET, PATCH"


# 7. and 8. the documents -----------------------------------------------------------------------------------
async def test_the_openapi_document_is_valid_and_documents_each_operations_errors(client: httpx.AsyncClient) -> None:
    document: dict[str, Any] = (await client.get("/openapi.json")).json()
    validate(document)
    paths = document["paths"]
    decide = paths["/applications/{application_id}/decision"]["put"]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "415", "422"} <= decide.keys()
    for path in paths.values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert PROBLEM in response["content"], (status, operation["operationId"])
    assert paths["/rounds/{round_id}"]["get"]["security"] == [{}, {"HTTPBearer": []}]
    assert paths["/applications"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in paths["/register/decisions"]["get"]


async def test_the_asyncapi_document_validates_with_the_reference_parser(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    document = (await client.get("/asyncapi.json")).json()
    assert document["operations"] and asyncapi_errors({"grants": document}, tmp_path) == []
