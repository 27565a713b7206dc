"""The schedule over HTTP on real PostgreSQL: generated from the clock once however often asked, its newsletter
dates announced to the notifier."""

from __future__ import annotations

import uuid

import httpx

from calendar_service.service_layer.schedule import generate_year
from shared.testing.fixtures import Tokens

from ..conftest import Api


async def test_generating_a_year_twice_gives_one_set(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    year = 2090 + uuid.uuid4().int % 10  # a year no other test generates
    entry = await api.clock_entry("culture-g", month=9, weekday=3, week=1, title_fi="Yhdistysilta syksy")
    staff = tokens.staff("culture-g")
    first = await client.post("/schedule/generate", json={"year": year}, headers=staff)
    assert first.status_code == 200 and first.json()["written"] >= 1
    again = await client.post("/schedule/generate", json={"year": year}, headers=staff)
    assert again.json() == {"year": year, "written": 0}
    items = (await client.get("/schedule", params={"year": year, "limit": 100})).json()["items"]
    planned = [i for i in items if i["clock_entry_id"] == entry["id"]]
    assert len(planned) == 1 and planned[0]["state"] == "planned" and planned[0]["kind"] == "clock"
    assert planned[0]["starts_on"][5:7] == "09"
    count = await api.scalar("SELECT count(*) FROM schedule_entry WHERE clock_entry_id = :e", e=uuid.UUID(entry["id"]))
    assert count == 1


async def test_only_staff_generate_and_bad_years_are_refused(client: httpx.AsyncClient, tokens: Tokens) -> None:
    assert (await client.post("/schedule/generate", json={"year": 2027})).status_code == 401
    rep = tokens.association(uuid.uuid4())
    assert (await client.post("/schedule/generate", json={"year": 2027}, headers=rep)).status_code == 403
    bad = await client.post("/schedule/generate", json={"year": "2027"}, headers=tokens.admin())
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "year"
    assert (await client.get("/schedule", params={"year": 1999})).status_code == 422


async def test_generating_announces_the_clocks_newsletter_dates_once_and_staff_regenerating_again(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    year = 2080 + uuid.uuid4().int % 10
    entry = await api.clock_entry(
        "culture-n", category="newsletter", audience="everyone", month=5, day=18, weekday=None, week=None
    )
    assert await generate_year(api.calendar.uow(), year=year) >= 1  # as the worker's job does
    assert await generate_year(api.calendar.uow(), year=year) == 0
    [planned] = await api.outbox("NewsletterDatePlanned", clock_entry_id=entry["id"], year=str(year))
    assert planned["data"]["planned_on"] == f"{year}-05-18" and planned["data"]["title_fi"] == entry["title_fi"]
    again = await client.post("/schedule/generate", json={"year": year}, headers=tokens.staff("culture-n"))
    assert again.json() == {"year": year, "written": 0}
    announced = await api.outbox("NewsletterDatePlanned", clock_entry_id=entry["id"], year=str(year))
    assert len(announced) == 2 and announced[1]["data"] == planned["data"]
