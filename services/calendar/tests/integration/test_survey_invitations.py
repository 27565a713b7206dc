"""The service-only reads on real PostgreSQL: an open survey's invitations with their links (the same tokens,
derived again), a registrant's contact, who may read them (a service token only) and bad input."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_registrations import published_event, register, registration
from .test_surveys import answer, known_association, opened_survey, survey_body

PROBLEM = "application/problem+json"


def forbidden_roles(tokens: Tokens, department: str) -> list[dict[str, str]]:
    return [tokens.admin(), tokens.staff(department), tokens.association(uuid.uuid4())]


def token_of(answer_url: str, survey_id: str) -> str:
    link = urlsplit(answer_url)
    assert link.path == f"/surveys/{survey_id}/answer" and link.fragment.startswith("token=")
    assert not link.query  # the token never reaches a server log
    return link.fragment.removeprefix("token=")


async def all_invitations(client: httpx.AsyncClient, tokens: Tokens, survey_id: str, limit: int) -> list[Any]:
    found: list[Any] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        page = await client.get(f"/surveys/{survey_id}/invitations", params=params, headers=tokens.service())
        assert page.status_code == 200, page.text
        found += page.json()["items"]
        if (cursor := page.json()["next_cursor"]) is None:
            return found


async def test_an_open_surveys_invitations_are_handed_again_page_by_page_to_a_service(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    survey_id, issued = await opened_survey(api, clock, department, invitations=5)
    handed = await all_invitations(client, tokens, survey_id, limit=2)
    assert len(handed) == 5 and len({h["invitation_id"] for h in handed}) == 5
    assert {token_of(h["answer_url"], survey_id) for h in handed} == set(issued)  # the same tokens again
    assert all(h["registration_id"] and h["association_id"] is None for h in handed)
    assert handed[0]["answer_url"].startswith(api.calendar.settings.public_url)

    first = token_of(handed[0]["answer_url"], survey_id)
    assert (await answer(client, survey_id, first)).status_code == 201
    assert (await answer(client, survey_id, first)).status_code == 409
    again = await all_invitations(client, tokens, survey_id, limit=100)
    assert again == handed  # nothing tells which were answered

    for headers in [*forbidden_roles(tokens, department), {}]:
        refused = await client.get(f"/surveys/{survey_id}/invitations", headers=headers)
        assert refused.status_code == (401 if not headers else 403), refused.text
        assert refused.headers["content-type"].startswith(PROBLEM)

    staff = tokens.staff(department)
    assert (await client.post(f"/surveys/{survey_id}/close", headers=staff)).status_code == 200
    closed = await client.get(f"/surveys/{survey_id}/invitations", headers=tokens.service())
    assert closed.status_code == 409 and closed.headers["content-type"].startswith(PROBLEM)


async def test_the_yearly_evaluations_invitations_name_their_associations(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    invited = {await known_association(api) for _ in range(3)}
    made = await client.post("/surveys", json=survey_body(clock, department), headers=tokens.staff(department))
    survey_id = made.json()["id"]
    draft = await client.get(f"/surveys/{survey_id}/invitations", headers=tokens.service())
    assert draft.status_code == 409
    opened = await client.post(f"/surveys/{survey_id}/open", json={}, headers=tokens.staff(department))
    assert opened.status_code == 200, opened.text
    handed = await all_invitations(client, tokens, survey_id, limit=100)
    assert {uuid.UUID(h["association_id"]) for h in handed} >= invited
    assert all(h["registration_id"] is None for h in handed)
    assert len(handed) == opened.json()["invitations"]


async def test_bad_input_to_the_invitations_read_is_named(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    survey_id, _ = await opened_survey(api, clock, f"dept-{uuid.uuid4().hex[:6]}", invitations=1)
    service = tokens.service()
    for params, field in (
        ({"cursor": "not-a-cursor"}, "query.cursor"), ({"limit": 0}, "query.limit"), ({"limit": 501}, "query.limit"),
        ({"limit": "many"}, "query.limit"), ({"cursor": "x" * 101}, "query.cursor"),
    ):  # fmt: skip
        bad = await client.get(f"/surveys/{survey_id}/invitations", params=params, headers=service)
        assert bad.status_code == 422, (params, bad.text)
        assert bad.json()["errors"][0]["field"] == field
    assert (await client.get("/surveys/not-a-uuid/invitations", headers=service)).status_code == 422
    unknown = await client.get(f"/surveys/{uuid.uuid4()}/invitations", headers=service)
    assert unknown.status_code == 404


async def test_a_registrants_contact_is_read_by_a_service_only_and_is_gone_after_erasure(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    event = await published_event(api, clock, department)
    association_id = uuid.uuid4()
    body = registration(association_id) | {"contact_language": "sv"}
    made = await client.post(
        f"/events/{event['id']}/registrations", json=body, headers=tokens.association(association_id)
    )
    assert made.status_code == 201, made.text
    assert made.json()["contact_language"] == "sv"
    registration_id = made.json()["id"]
    found = await client.get("/recipients", params={"registration_id": registration_id}, headers=tokens.service())
    assert found.status_code == 200, found.text
    assert found.json() == {"items": [{"email": body["contact_email"], "name": "Maija Meikäläinen", "language": "sv"}]}
    default = await register(client, tokens, event, uuid.uuid4())
    assert default["contact_language"] == "fi"

    for headers in [*forbidden_roles(tokens, department), tokens.association(association_id)]:
        refused = await client.get("/recipients", params={"registration_id": registration_id}, headers=headers)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith(PROBLEM)
    assert (await client.get("/recipients", params={"registration_id": registration_id})).status_code == 401
    for params in ({}, {"registration_id": "nope"}):
        bad = await client.get("/recipients", params=params, headers=tokens.service())
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.registration_id"
    bad_language = registration(uuid.uuid4()) | {"contact_language": "de"}
    refused = await client.post(
        f"/events/{event['id']}/registrations", json=bad_language, headers=tokens.association(uuid.uuid4())
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "contact_language"

    nobody = await client.get("/recipients", params={"registration_id": str(uuid.uuid4())}, headers=tokens.service())
    assert nobody.status_code == 200 and nobody.json() == {"items": []}
    erased = await client.post("/privacy/erasures", json={"email": body["contact_email"]}, headers=tokens.admin())
    assert erased.status_code == 200, erased.text
    gone = await client.get("/recipients", params={"registration_id": registration_id}, headers=tokens.service())
    assert gone.status_code == 200 and gone.json() == {"items": []}
