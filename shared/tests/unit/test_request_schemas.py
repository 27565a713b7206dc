"""``RequestModel``: strict parsing of JSON bodies, and PATCH fields that are optional without being nullable."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from shared.http.schemas import NOT_BLANK_PATTERN
from shared.testing.fixtures import Tokens

from .scratch_api import ThingCreate, ThingUpdate, client, scratch_app

THING = {"name": "Kirkkokuoro", "on": "2027-03-31", "colour": "red"}


@pytest.fixture
async def api() -> Any:
    async with client(scratch_app()) as c:
        yield c


async def test_dates_datetimes_enums_uuids_ints_and_bools_parse_from_their_json_form(
    api: httpx.AsyncClient, tokens: Tokens
) -> None:
    owner = str(uuid.uuid4())
    body = THING | {
        "at": "2027-03-31T16:00:00+03:00",
        "owner_id": owner,
        "count": 3,
        "urgent": True,
        "lines": [{"label": "Vuokra", "amount_cents": 12_50}],
        "scores": {"impact": 4},
    }
    response = await api.post("/things", json=body, headers=tokens.staff("culture"))
    assert response.status_code == 201, response.text
    assert response.json() == body | {"name": "Kirkkokuoro", "at": "2027-03-31T13:00:00Z"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"on": 20270331}, "on"),
        ({"on": 1_800_000_000}, "on"),
        ({"on": "2027-03-31T00:00:00"}, "on"),
        ({"at": 1_800_000_000}, "at"),
        ({"at": "1800000000"}, "at"),
        ({"count": "3"}, "count"),
        ({"count": 3.0}, "count"),
        ({"count": True}, "count"),
        ({"urgent": "true"}, "urgent"),
        ({"urgent": 1}, "urgent"),
        ({"name": 5}, "name"),
        ({"colour": "green"}, "colour"),
        ({"owner_id": 5}, "owner_id"),
        ({"lines": [{"label": "x", "amount_cents": "1"}]}, "lines.0.amount_cents"),
        ({"scores": {"impact": "4"}}, "scores.impact"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_a_value_of_the_wrong_json_type_is_refused_naming_the_field(
    api: httpx.AsyncClient, tokens: Tokens, change: dict[str, Any], field: str
) -> None:
    response = await api.post("/things", json=THING | change, headers=tokens.staff("culture"))
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_models_built_in_python_take_python_values() -> None:
    import datetime as dt

    thing = ThingCreate(name="x", on=dt.date(2027, 3, 31), colour="red", owner_id=uuid.uuid4())  # type: ignore[arg-type]
    assert thing.on == dt.date(2027, 3, 31) and thing.colour == "red"


async def test_a_patch_leaves_out_what_it_keeps_and_refuses_null_where_a_field_cannot_be_cleared(
    api: httpx.AsyncClient, tokens: Tokens
) -> None:
    url, me = f"/things/{uuid.uuid4()}", tokens.admin()
    assert (await api.patch(url, json={}, headers=me)).json() == {}
    assert (await api.patch(url, json={"note": None}, headers=me)).json() == {"note": None}
    refused = await api.patch(url, json={"name": None}, headers=me)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "name" and error["message"].startswith("Must not be null")


def test_the_schema_of_a_patch_says_which_fields_may_be_null() -> None:
    schema = ThingUpdate.model_json_schema()
    assert schema["properties"]["name"]["type"] == "string" and "default" not in schema["properties"]["name"]
    assert schema["properties"]["name"]["pattern"] == NOT_BLANK_PATTERN
    assert {"type": "null"} in schema["properties"]["note"]["anyOf"]
    assert "required" not in schema
    assert ThingUpdate.model_validate({}).fields() == {}


def test_not_blank_says_in_the_schema_what_stripping_refuses() -> None:
    """Exactly the characters ``str.strip`` removes, and U+0000, cannot be the one character of text."""
    import re

    pattern = re.compile(NOT_BLANK_PATTERN)
    wrong = [hex(c) for c in range(0x110000) if bool(pattern.match(chr(c))) != (c != 0 and not chr(c).isspace())]
    assert wrong == []
    assert pattern.match(" Kuoro\u3000") and not pattern.match(" \u3000\t")


@pytest.mark.parametrize(
    ("at", "words"),
    [("2027-03-28T03:30", "does not exist"), ("2027-10-31T03:30:00", "happens twice")],
)
async def test_a_local_time_that_is_not_one_moment_is_refused_asking_for_an_offset(
    api: httpx.AsyncClient, tokens: Tokens, at: str, words: str
) -> None:
    response = await api.post("/things", json=THING | {"at": at}, headers=tokens.staff("culture"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["field"] == "at" and words in error["message"] and "offset" in error["message"]


@pytest.mark.parametrize(
    ("at", "stored"),
    [
        ("2027-03-28T04:30", "2027-03-28T01:30:00Z"),
        ("2027-03-28T03:30:00+02:00", "2027-03-28T01:30:00Z"),
        ("2027-10-31T03:30:00+02:00", "2027-10-31T01:30:00Z"),
        ("2027-10-31T03:30:00+03:00", "2027-10-31T00:30:00Z"),
        ("2027-01-15T12:00:00", "2027-01-15T10:00:00Z"),
    ],
)
async def test_a_time_that_is_one_moment_is_taken_as_that_moment(
    api: httpx.AsyncClient, tokens: Tokens, at: str, stored: str
) -> None:
    response = await api.post("/things", json=THING | {"at": at}, headers=tokens.staff("culture"))
    assert response.status_code == 201, response.text
    assert response.json()["at"] == stored
