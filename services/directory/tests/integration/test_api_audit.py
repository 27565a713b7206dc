"""The outside API audit's findings, each checked against the directory as it runs (the shared mechanisms
themselves are tested in shared/tests)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from openapi_spec_validator import validate

from shared.testing.asyncapi import asyncapi_errors
from shared.testing.fixtures import Tokens

from ..conftest import Api, association

PROBLEM = "application/problem+json"


def refused(response: httpx.Response, status: int = 422) -> list[str]:
    """The fields a problem+json answer names."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return [e["field"] for e in response.json().get("errors", [])]


# 1. text the database cannot store ------------------------------------------------------------------------
async def test_nul_anywhere_is_a_422_naming_the_field_even_for_the_public(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    assert refused(await client.get("/associations", params={"q": "Soutajat\x00"})) == ["query.q"]
    assert refused(await client.get("/liaisons", params={"topic": "\x00"})) == ["query.topic"]
    assert refused(await client.get("/associations/%00")) == ["path.applicant_id"]
    staff = tokens.staff("culture")
    body = association(name="Porin\x00Soutajat")
    assert refused(await client.post("/associations", json=body, headers=staff)) == ["name"]
    body = association(fields_of_activity=["sports", "yo\x00uth"])
    assert refused(await client.post("/associations", json=body, headers=staff)) == ["fields_of_activity.1"]
    body = association() | {"na\x00me": "x"}
    assert refused(await client.post("/associations", json=body, headers=staff)) == ["body"]
    a = await api.register()
    patch = await client.patch(f"/associations/{a['id']}", json={"description": "\x00"}, headers=staff)
    assert refused(patch) == ["description"]


# 2. empty identifiers, and no database refusal as a 500 ---------------------------------------------------
async def test_an_empty_business_id_or_register_number_is_refused_naming_it(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    staff = tokens.staff("culture")
    for kind in ("unregistered_group", "private_person", "registered_association"):
        for name in ("business_id", "register_number"):
            body = association(kind=kind, business_id=None, register_number="123") | {name: " "}
            if kind != "registered_association":
                body = body | {"register_number": None, name: ""}
            assert refused(await client.post("/associations", json=body, headers=staff)) == [name], (kind, name)
    group = await api.register(kind="unregistered_group", business_id=None, register_number=None)
    for name in ("business_id", "register_number"):
        patch = await client.patch(f"/associations/{group['id']}", json={name: ""}, headers=staff)
        assert refused(patch) == [name]


async def test_a_liaison_contact_of_an_unknown_department_is_refused_not_a_500(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    body = {"kind": "department_contact", "name": "Liisa", "email": "liisa@pori.fi", "department_id": str(uuid.uuid4())}
    response = await client.post("/liaisons", json=body, headers=tokens.admin())
    assert response.status_code in (404, 409, 422) and response.headers["content-type"] == PROBLEM


# 3. strict parsing ----------------------------------------------------------------------------------------
async def test_bodies_parse_strictly_and_query_parameters_still_parse_from_text(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    staff = tokens.staff("culture")
    for change, field in (({"kind": 1}, "kind"), ({"languages": "fi"}, "languages"), ({"district": 5}, "district")):
        assert refused(await client.post("/associations", json=association(**change), headers=staff)) == [field]
    contact = {"kind": "coordinator", "name": "Kaisa", "email": "kaisa@pori.fi", "department_id": 5}
    assert refused(await client.post("/liaisons", json=contact, headers=tokens.admin())) == ["department_id"]
    a = await api.register()
    listed = await client.get("/associations", params={"include_inactive": "true", "limit": "5", "q": a["name"]})
    assert listed.status_code == 200 and listed.json()["limit"] == 5


# 4. PATCH: optional, and nullable only where null clears --------------------------------------------------
async def test_a_patch_refuses_null_naming_the_field_and_its_schema_says_so(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    a = await api.register()
    staff = tokens.staff("culture")
    for name in ("name", "kind", "fields_of_activity", "languages"):
        [error] = (await client.patch(f"/associations/{a['id']}", json={name: None}, headers=staff)).json()["errors"]
        assert error["field"] == name and "null" in error["message"]
    cleared = await client.patch(
        f"/associations/{a['id']}", json={"district": None, "business_id": None}, headers=staff
    )
    assert cleared.status_code == 200 and cleared.json()["district"] is None
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    update = schemas["ApplicantUpdate"]["properties"]
    assert "anyOf" not in update["name"] and update["name"]["type"] == "string"
    assert {"type": "null"} in update["district"]["anyOf"]
    assert "required" not in schemas["ApplicantUpdate"]
    for model, fields in (("RepresentativeUpdate", ("name", "role", "email")), ("LiaisonUpdate", ("name", "topics"))):
        for name in fields:
            assert "null" not in str(schemas[model]["properties"][name]), (model, name)


# 5. malformed bodies ---------------------------------------------------------------------------------------
async def test_malformed_json_invalid_utf8_and_other_media_types_get_clear_answers(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    staff = tokens.staff("culture")
    json_type = staff | {"Content-Type": "application/json"}
    refused(await client.post("/associations", content=b'{"name": ', headers=json_type), 400)
    refused(await client.post("/associations", content=b'{"name": "\xe4"}', headers=json_type), 400)
    form = staff | {"Content-Type": "application/x-www-form-urlencoded"}
    refused(await client.post("/associations", content=b"name=Soutajat", headers=form), 415)


# 6. 405 names the methods ----------------------------------------------------------------------------------
async def test_a_method_not_allowed_names_the_methods_the_path_supports(client: httpx.AsyncClient) -> None:
    listing = await client.delete("/associations")
    assert listing.status_code == 405 and listing.headers["allow"] == "GET, POST"
    contact = await client.put(f"/liaisons/{uuid.uuid4()}", json={})
    assert contact.status_code == 405 and contact.headers["allow"] == "DELETE, GET, PATCH"
    assert contact.headers["content-type"] == PROBLEM


# 7. and 8. the documents -----------------------------------------------------------------------------------
async def test_the_openapi_document_is_valid_and_documents_each_operations_errors(client: httpx.AsyncClient) -> None:
    document: dict[str, Any] = (await client.get("/openapi.json")).json()
    validate(document)
    paths = document["paths"]
    assert {"400", "401", "403", "409", "413", "415", "422"} <= paths["/associations"]["post"]["responses"].keys()
    assert {"401", "403", "404", "422"} <= paths["/associations/{applicant_id}"]["get"]["responses"].keys()
    for path in paths.values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert PROBLEM in response["content"], (status, operation["operationId"])
    assert paths["/associations"]["get"]["security"] == [{}, {"HTTPBearer": []}]
    assert paths["/associations"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "ProblemDetails" in document["components"]["schemas"]


async def test_the_asyncapi_document_validates_with_the_reference_parser(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    document = (await client.get("/asyncapi.json")).json()
    assert asyncapi_errors({"directory": document}, tmp_path) == []
