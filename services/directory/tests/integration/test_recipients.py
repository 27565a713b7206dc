"""/recipients: the notifier learns where to reach representatives at send time, and nobody else may ask."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from shared.testing.fixtures import Tokens

from ..conftest import Api

pytestmark = pytest.mark.integration


async def _representative(client: httpx.AsyncClient, tokens: Tokens, club: dict[str, Any], **fields: Any) -> str:
    body = {"name": "Maija Rahastonhoitaja", "role": "treasurer", "email": f"m.{uuid.uuid4().hex[:6]}@example.fi"}
    response = await client.post(
        f"/associations/{club['id']}/representatives",
        json=body | fields,
        headers=tokens.staff("culture") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_service_reads_addresses_filtered_by_association_field_and_chosen_topic(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    club = await api.register(fields_of_activity=["veterans", "culture"], languages=["sv", "fi"])
    other = await api.register(fields_of_activity=["veterans"])
    elsewhere = await api.register(fields_of_activity=["sports"])
    everything = await _representative(client, tokens, club)
    grants_only = await _representative(client, tokens, club, notifications=["grants"])
    at_other = await _representative(client, tokens, other, notifications=["bookings", "bookings"])
    await _representative(client, tokens, elsewhere)
    ours = {"association_id": [club["id"], other["id"], elsewhere["id"]]}

    by_field = await client.get(
        "/recipients", params=ours | {"field_of_activity": "veterans"}, headers=tokens.service()
    )
    assert by_field.status_code == 200, by_field.text
    assert {i["representative_id"] for i in by_field.json()["items"]} == {everything, grants_only, at_other}
    assert set(by_field.json()["items"][0]) == {"representative_id", "association_id", "email", "languages"}

    bookings = await client.get(
        "/recipients", params=ours | {"field_of_activity": "veterans", "topic": "bookings"}, headers=tokens.service()
    )
    assert {i["representative_id"] for i in bookings.json()["items"]} == {everything, at_other}

    of_club = await client.get(
        "/recipients", params={"association_id": club["id"], "topic": "grants", "limit": 1}, headers=tokens.service()
    )
    page = of_club.json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["items"][0]["languages"] == ["sv", "fi"]
    second = await client.get(
        "/recipients",
        params={"association_id": club["id"], "topic": "grants", "limit": 1, "offset": 1},
        headers=tokens.service(),
    )
    assert {page["items"][0]["representative_id"], second.json()["items"][0]["representative_id"]} == {
        everything,
        grants_only,
    }


async def test_a_representative_changes_the_kinds_of_message_and_an_unknown_kind_is_refused(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    club = await api.register()
    person = await _representative(client, tokens, club)
    path = f"/associations/{club['id']}/representatives/{person}"
    mine = tokens.association(uuid.UUID(club["id"]))
    bad = await client.patch(path, json={"notifications": ["spam"]}, headers=mine)
    assert bad.status_code == 422 and "notifications" in bad.text
    changed = await client.patch(path, json={"notifications": ["events"]}, headers=mine)
    assert changed.status_code == 200 and changed.json()["notifications"] == ["events"]
    grants = await client.get(
        "/recipients", params={"association_id": club["id"], "topic": "grants"}, headers=tokens.service()
    )
    assert grants.json()["items"] == []


async def test_deactivated_applicants_have_no_recipients(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    club = await api.register()
    await _representative(client, tokens, club)
    closed = await client.post(
        f"/associations/{club['id']}/deactivate",
        headers=tokens.staff("culture") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert closed.status_code == 200, closed.text
    found = await client.get("/recipients", params={"association_id": club["id"]}, headers=tokens.service())
    assert found.json()["items"] == []


@pytest.mark.parametrize("who", ["anonymous", "association", "staff", "admin"])
async def test_only_a_service_may_read_addresses(api: Api, client: httpx.AsyncClient, tokens: Tokens, who: str) -> None:
    club = await api.register()
    headers = {
        "anonymous": {},
        "association": tokens.association(uuid.UUID(club["id"])),
        "staff": tokens.staff("culture"),
        "admin": tokens.admin(),
    }[who]
    answer = await client.get("/recipients", params={"association_id": club["id"]}, headers=headers)
    assert answer.status_code == (401 if who == "anonymous" else 403)
    assert answer.headers["content-type"].startswith("application/problem+json")
