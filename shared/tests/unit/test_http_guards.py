"""The request guard every service's API has: U+0000 nowhere, clear 400/405/413/415 answers, in problem+json."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from shared.testing.fixtures import Tokens

from .scratch_api import client, scratch_app

THING = {"name": "Kirkkokuoro", "on": "2027-03-31", "colour": "red"}
PROBLEM = "application/problem+json"


@pytest.fixture
async def api() -> Any:
    async with client(scratch_app()) as c:
        yield c


def fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM, response.text
    return [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**THING, "name": "Kirkko\x00kuoro"}, "name"),
        (
            {**THING, "lines": [{"label": "ok", "amount_cents": 1}, {"label": "a\x00", "amount_cents": 1}]},
            "lines.1.label",
        ),
        ({**THING, "scores": {"ok": 1, "bad\x00key": 2}}, "scores"),
        ({**THING, "na\x00me": "x"}, "body"),
    ],
)
async def test_nul_in_a_json_body_is_refused_naming_the_field(
    api: httpx.AsyncClient, tokens: Tokens, body: dict[str, Any], field: str
) -> None:
    response = await api.post("/things", json=body, headers=tokens.staff("culture"))
    assert response.status_code == 422 and fields(response) == [field]
    assert "U+0000" in response.json()["errors"][0]["message"]


async def test_nul_is_refused_for_the_anonymous_public_too_in_query_path_and_header(api: httpx.AsyncClient) -> None:
    query = await api.get("/things", params={"q": "kuoro\x00"})
    assert query.status_code == 422 and fields(query) == ["query.q"]
    path = await api.get("/labels/a%00b")
    assert path.status_code == 422 and fields(path) == ["path.label"]
    header = await api.get("/things", headers={"Idempotency-Key": "a\x00b"})
    assert header.status_code == 422 and fields(header) == ["header.idempotency-key"]


async def test_text_without_nul_passes(api: httpx.AsyncClient, tokens: Tokens) -> None:
    assert (await api.get("/things", params={"q": "Åbo ry"})).json() == {"q": "Åbo ry", "role": "anonymous"}
    assert (await api.post("/things", json=THING, headers=tokens.staff("culture"))).status_code == 201


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b'{"name": "x",', "not valid JSON"),
        (b'{"name": "\xff"}', "not valid UTF-8"),
        (b'{"count": NaN}', "not valid JSON"),
        (b'{"count": 1e999}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
async def test_a_malformed_body_is_a_clear_400(
    api: httpx.AsyncClient, tokens: Tokens, content: bytes, detail: str
) -> None:
    headers = tokens.staff("culture") | {"Content-Type": "application/json"}
    response = await api.post("/things", content=content, headers=headers)
    assert response.status_code == 400 and response.headers["content-type"] == PROBLEM
    assert detail in response.json()["detail"]


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"]
)
async def test_a_body_that_is_not_json_is_a_415(
    api: httpx.AsyncClient, tokens: Tokens, content_type: str | None
) -> None:
    headers = tokens.staff("culture") | ({"Content-Type": content_type} if content_type else {})
    response = await api.post("/things", content=b'{"name": "x"}', headers=headers)
    assert response.status_code == 415 and response.headers["content-type"] == PROBLEM


async def test_json_with_a_suffix_media_type_is_json(api: httpx.AsyncClient, tokens: Tokens) -> None:
    headers = tokens.staff("culture") | {"Content-Type": "application/merge-patch+json"}
    response = await api.patch(f"/things/{uuid.uuid4()}", content=b'{"note": "x"}', headers=headers)
    assert response.status_code == 200 and response.json() == {"note": "x"}


async def test_a_body_over_the_limit_is_a_413(api: httpx.AsyncClient, tokens: Tokens) -> None:
    big = {**THING, "name": "x" * (1024 * 1024)}
    response = await api.post("/things", json=big, headers=tokens.staff("culture"))
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM


async def test_a_method_the_path_does_not_support_is_a_405_naming_those_it_does(api: httpx.AsyncClient) -> None:
    response = await api.put(f"/things/{uuid.uuid4()}", json={})
    assert response.status_code == 405 and response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    listing = await api.delete("/things")
    assert listing.status_code == 405 and listing.headers["allow"] == "GET, POST"


async def test_an_unknown_path_is_still_a_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/nothing-here")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


async def test_routes_of_an_included_router_are_guarded_too(api: httpx.AsyncClient, tokens: Tokens) -> None:
    headers = tokens.admin() | {"Content-Type": "text/plain"}
    assert (await api.post("/labels/x/notes", content=b"{}", headers=headers)).status_code == 415
    nul = await api.post("/labels/x/notes", json={"note": "a\x00"}, headers=tokens.admin())
    assert nul.status_code == 422 and fields(nul) == ["note"]
    wrong = await api.delete("/labels/x")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
