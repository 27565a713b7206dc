"""Who reads a usage report: as for the application behind it, the grantee and the programme's department.

Staff of another department are refused (403, as for the application), and their lists leave the report out.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from shared.localtime import local_date
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_usage_reports import grant, submit


async def test_only_the_programmes_department_and_admins_read_a_report(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    assert (await submit(client, g)).status_code == 200
    url = f"/usage-reports/{g.report_id}"
    other = tokens.staff("somewhere-else")

    assert (await client.get(url, headers=g.staff)).status_code == 200
    assert (await client.get(url, headers=tokens.admin())).status_code == 200
    assert (await client.get(url, headers=g.grantee)).status_code == 200
    refused = await client.get(url, headers=other)
    assert refused.status_code == 403  # as a submitted application answers them
    assert refused.headers["content-type"] == "application/problem+json"
    assert "narrative" not in refused.text and "Leiri" not in refused.text


async def test_lists_hold_only_the_callers_departments_reports(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    due = local_date(clock.now) + timedelta(days=30)
    ours = await grant(api, clock, due=due)
    theirs = await grant(api, clock, due=due)  # another programme, another department
    assert ours.programme["department_code"] != theirs.programme["department_code"]

    async def listed(headers: dict[str, str], **params: str) -> set[str]:
        response = await client.get("/usage-reports", headers=headers, params=params | {"limit": "100"})
        assert response.status_code == 200, response.text
        return {r["id"] for r in response.json()["items"]}

    assert await listed(ours.staff, round_id=ours.round["id"]) == {str(ours.report_id)}
    assert await listed(ours.staff, round_id=theirs.round["id"]) == set()
    assert await listed(ours.staff, programme_id=theirs.programme["id"]) == set()
    assert await listed(ours.staff, applicant_id=str(theirs.applicant_id)) == set()
    assert str(theirs.report_id) not in await listed(ours.staff)
    assert await listed(tokens.staff("somewhere-else"), round_id=ours.round["id"]) == set()
    assert await listed(tokens.admin(), round_id=theirs.round["id"]) == {str(theirs.report_id)}

    clock.now += timedelta(days=40)  # both are overdue now
    overdue = await listed(ours.staff, overdue="true")
    assert str(ours.report_id) in overdue and str(theirs.report_id) not in overdue


async def test_another_departments_staff_cannot_review_or_submit(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    g = await grant(api, clock, due=local_date(clock.now) + timedelta(days=30))
    url = f"/usage-reports/{g.report_id}"
    other = tokens.staff("somewhere-else")
    body = {"spent_cents": 1, "narrative": "Vieraan osaston kirjoittama."}
    assert (await client.post(f"{url}/submit", json=body, headers=other)).status_code == 403
    assert (await submit(client, g)).status_code == 200
    assert (await client.post(f"{url}/accept", headers=other)).status_code == 403
    changes = await client.post(f"{url}/request-changes", json={"message": "Lisää kuitit."}, headers=other)
    assert changes.status_code == 403
    assert await api.scalar("SELECT state FROM usage_report WHERE id = :r", r=g.report_id) == "submitted"
