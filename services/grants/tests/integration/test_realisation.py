"""The yearly realisation summary: appropriation, granted and reported per programme, public, JSON and CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import text

from shared.localtime import local_date

from ..conftest import Api, Clock
from .test_usage_reports import Grant, grant, start_of_local_day, submit


async def four_grants(api: Api, clock: Clock, **programme: Any) -> tuple[dict[str, Any], list[Grant]]:
    """A programme's round with three approved grants and one rejected application, reports due in 30 days."""
    made = await api.programme(**programme)
    round_ = await api.round(made, clock, appropriation_cents=1_000_000)
    due = local_date(clock.now) + timedelta(days=30)
    grants = [
        await grant(api, clock, due=due, programme=made, round_=round_, approved_cents=cents)
        for cents in (300_000, 200_000, 100_000, 0)
    ]
    await publish(api, round_["id"])
    return made, grants


async def publish(api: Api, round_id: str) -> None:
    """What publishing does to the round (the decisions slice's use case): its decisions become public."""
    async with api.grants.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE grant_round SET published_at = now(), "
                "state = CASE WHEN state = 'closed' THEN 'published' ELSE state END WHERE id = :r"
            ),
            {"r": round_id},
        )


async def test_the_summary_adds_up_appropriation_grants_and_reports(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme, (checked, late, missing, rejected) = await four_grants(api, clock)
    year = clock.now.year
    assert (await submit(client, checked, spent_cents=290_000)).status_code == 200
    accepted = await client.post(f"/usage-reports/{checked.report_id}/accept", headers=checked.staff)
    assert accepted.status_code == 200
    clock.now = start_of_local_day(local_date(clock.now) + timedelta(days=31))
    await api.run_jobs(clock)  # the round closes; the missing report is followed up
    await publish(api, checked.round["id"])  # all decided: the round's decisions are published as a whole
    assert (await submit(client, late, spent_cents=150_000)).json()["late"] is True

    response = await client.get(f"/realisation/{year}", params={"programme_id": programme["id"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["year"] == year and body["as_of"] == local_date(clock.now).isoformat()
    [row] = body["programmes"]
    assert row == {
        "programme_id": programme["id"],
        "programme_name": programme["name"],
        "programme_kind": "operating",
        "department_code": programme["department_code"],
        "round_id": checked.round["id"],
        "round_state": "published",
        "appropriation_cents": 1_000_000,
        "granted_cents": 600_000,
        "grants": 3,
        "reported_cents": 290_000,  # accepted reports only
        "awaiting_review_cents": 150_000,
        "reports": 3,
        "reports_submitted": 2,
        "reports_accepted": 1,
        "reports_late": 1,
        "reports_overdue": 1,
    }
    assert body["totals"] == {k: v for k, v in row.items() if k in body["totals"]}
    for someone in (checked, late, missing, rejected):  # the financial statement names no one
        assert str(someone.applicant_id) not in response.text and str(someone.application_id) not in response.text


async def test_every_programme_of_the_year_is_listed_and_drafts_are_not(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    first, _ = await four_grants(api, clock)
    second = await api.programme()
    undecided = await api.round(second, clock, appropriation_cents=500_000)
    await grant(api, clock, due=local_date(clock.now), round_=undecided, programme=second, published=False)
    draft = await api.programme()
    made = await client.post(
        f"/programmes/{draft['id']}/rounds",
        headers=api.staff(draft["department_code"]),
        json={
            "year": clock.now.year,
            "opens_at": (clock.now + timedelta(days=1)).isoformat(),
            "appropriation_cents": 1,
        },
    )
    assert made.status_code == 201
    rows = {r["programme_id"]: r for r in (await client.get(f"/realisation/{clock.now.year}")).json()["programmes"]}
    assert rows[first["id"]]["granted_cents"] == 600_000
    assert rows[second["id"]]["appropriation_cents"] == 500_000
    assert rows[second["id"]]["grants"] == 0 and rows[second["id"]]["granted_cents"] == 0  # not published yet
    assert rows[second["id"]]["reports"] == 0 and rows[second["id"]]["reported_cents"] == 0
    assert draft["id"] not in rows
    other_year = await client.get(f"/realisation/{clock.now.year + 3}", params={"programme_id": first["id"]})
    assert other_year.json()["programmes"] == [] and other_year.json()["totals"]["appropriation_cents"] == 0


async def test_the_summary_is_also_csv_with_a_header_row(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme, _ = await four_grants(api, clock, name="=HYPERLINK(1) Kulttuuriavustus")
    year = clock.now.year
    params = {"programme_id": programme["id"]}
    by_query = await client.get(f"/realisation/{year}", params=params | {"format": "csv"})
    by_header = await client.get(f"/realisation/{year}", params=params, headers={"Accept": "text/csv"})
    for response in (by_query, by_header):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert f"realisation-{year}.csv" in response.headers["content-disposition"]
    assert by_query.text == by_header.text
    header, *rows = list(csv.reader(io.StringIO(by_query.text)))
    assert header[:3] == ["year", "programme_id", "programme_name"] and "reported_cents" in header
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["year"] == str(year) and values["programme_id"] == programme["id"]
    assert values["programme_name"] == "'=HYPERLINK(1) Kulttuuriavustus"  # never a formula in a spreadsheet
    assert values["granted_cents"] == "600000" and values["reports"] == "3"


async def test_anyone_may_read_it_and_bad_requests_name_the_field(api: Api, client: httpx.AsyncClient) -> None:
    assert (await client.get("/realisation/2026")).status_code == 200  # no token: the public
    unknown = await client.get("/realisation/2026", params={"programme_id": str(uuid.uuid4())})
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "programme_id"
    for path, params, field in [
        ("/realisation/1999", {}, "path.year"),
        ("/realisation/2026", {"format": "xlsx"}, "query.format"),
        ("/realisation/2026", {"programme_id": "x"}, "query.programme_id"),
    ]:
        response = await client.get(path, params=params)
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field], response.json()
