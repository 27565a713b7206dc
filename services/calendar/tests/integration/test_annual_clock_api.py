"""The annual clock over HTTP on real PostgreSQL: staff keep it, everyone reads it, the schedule follows it."""

from __future__ import annotations

import uuid

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api, clock_entry_body

PROBLEM = "application/problem+json"


async def test_staff_keep_the_clock_and_everyone_reads_it(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    entry = await api.clock_entry("culture-x", title_fi="Yhdistysilta", month=3, weekday=1, week=2)
    assert entry["when_fi"] == "maaliskuun 2. tiistai"
    public = await client.get(f"/clock/entries/{entry['id']}")
    assert public.status_code == 200 and public.json()["title_fi"] == "Yhdistysilta"
    listed = (await client.get("/clock/entries", params={"category": "association_evening", "limit": 100})).json()
    assert entry["id"] in [e["id"] for e in listed["items"]]

    moved = await client.patch(f"/clock/entries/{entry['id']}", json={"month": 4}, headers=tokens.staff("culture-x"))
    assert moved.status_code == 200 and moved.json()["when_fi"] == "huhtikuun 2. tiistai"


async def test_only_the_responsible_department_keeps_an_entry(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    entry = await api.clock_entry("culture-y")
    url = f"/clock/entries/{entry['id']}"
    assert (await client.patch(url, json={"month": 5})).status_code == 401
    assert (await client.patch(url, json={"month": 5}, headers=tokens.staff("sports-y"))).status_code == 403
    rep = tokens.association(uuid.uuid4())
    assert (await client.patch(url, json={"month": 5}, headers=rep)).status_code == 403
    assert (await client.patch(url, json={"month": 5}, headers=tokens.admin())).status_code == 200
    # nor may staff hand their entry to another department, or create one for it
    handed = await client.patch(url, json={"responsible_department": "sports-y"}, headers=tokens.staff("culture-y"))
    assert handed.status_code == 403
    other = await client.post("/clock/entries", json=clock_entry_body("sports-y"), headers=tokens.staff("culture-y"))
    assert other.status_code == 403
    made = await client.post("/clock/entries", json=clock_entry_body("sports-y"), headers=rep)
    assert made.status_code == 403


async def test_bad_rules_are_refused_naming_the_field(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    staff = tokens.staff("culture-z")
    for change, field in (
        ({"month": 13}, "month"),
        ({"month": "3"}, "month"),
        ({"day": 31, "month": 2, "weekday": None, "week": None}, "day"),
        ({"day": 5}, "day"),  # a day and a weekday rule at once
        ({"weekday": None}, "week"),
        ({"category": "party"}, "category"),
        ({"title_fi": "  "}, "title_fi"),
        ({"responsible_department": None}, "responsible_department"),
    ):
        answer = await client.post("/clock/entries", json=clock_entry_body("culture-z", **change), headers=staff)
        assert answer.status_code == 422, (change, answer.text)
        assert answer.headers["content-type"] == PROBLEM
        assert field in [e["field"] for e in answer.json().get("errors", [])] or answer.json().get("field") == field, (
            change,
            answer.json(),
        )
    entry = await api.clock_entry("culture-z")
    [error] = (await client.patch(f"/clock/entries/{entry['id']}", json={"month": None}, headers=staff)).json()[
        "errors"
    ]
    assert error["field"] == "month"
