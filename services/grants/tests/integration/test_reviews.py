"""Review by the responsible department: lists, internal comments, scores, the overdue-report flag."""

from __future__ import annotations

import uuid
from datetime import date

import httpx

from grants.service_layer.usage_reports import create_obligations
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .applying import draft, submitted


async def test_reviewers_list_a_rounds_submitted_applications(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    round_ = await api.round(programme, clock)
    first = await submitted(api, round_, await api.applicant(name="Porin Soutajat ry"))
    clock.advance(seconds=5)
    second = await submitted(api, round_, await api.applicant())
    await draft(api, round_, await api.applicant())  # drafts stay the applicant's own

    listed = await client.get(f"/rounds/{round_['id']}/applications", headers=staff)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 2 and [i["id"] for i in page["items"]] == [first["id"], second["id"]]
    assert page["items"][0]["applicant_name"] == "Porin Soutajat ry"
    assert page["items"][0]["overdue_usage_report"] is False and page["items"][0]["decision"] is None
    one = await client.get(f"/rounds/{round_['id']}/applications", headers=staff, params={"limit": 1, "offset": 1})
    assert [i["id"] for i in one.json()["items"]] == [second["id"]] and one.json()["total"] == 2
    only_returned = await client.get(
        f"/rounds/{round_['id']}/applications", headers=staff, params={"state": "returned"}
    )
    assert only_returned.json()["total"] == 0

    assert (await client.get(f"/rounds/{round_['id']}/applications")).status_code == 401
    assert (await client.get(f"/rounds/{round_['id']}/applications", headers=api.staff("other"))).status_code == 403
    rep = tokens.association(uuid.UUID(first["applicant_id"]))
    assert (await client.get(f"/rounds/{round_['id']}/applications", headers=rep)).status_code == 403
    assert (await client.get(f"/rounds/{round_['id']}/applications", headers=tokens.admin())).json()["total"] == 2


async def test_comments_and_scores_stay_with_the_reviewers(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await api.programme()
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    applicant_id = await api.applicant()
    me = tokens.association(applicant_id)
    sent = await submitted(api, round_, applicant_id)
    url = f"/applications/{sent['id']}"
    anna, ville = tokens.staff(department, "anna"), tokens.staff(department, "ville")

    posted = await client.post(
        f"{url}/comments", headers=anna | {"Idempotency-Key": "c-1"}, json={"body": "Budjetti on realistinen."}
    )
    replay = await client.post(
        f"{url}/comments", headers=anna | {"Idempotency-Key": "c-1"}, json={"body": "Budjetti on realistinen."}
    )
    assert posted.status_code == replay.status_code == 201 and posted.json()["id"] == replay.json()["id"]
    assert posted.json()["author"] == "anna"
    assert (await client.post(f"{url}/comments", headers=anna, json={"body": ""})).status_code == 422

    assert (
        await client.put(f"{url}/scores", headers=anna, json={"scores": {"vaikuttavuus": 4, "talous": 3}})
    ).status_code == 200
    await client.put(f"{url}/scores", headers=ville, json={"scores": {"vaikuttavuus": 2}})
    rescored = await client.put(f"{url}/scores", headers=anna, json={"scores": {"vaikuttavuus": 5}})
    assert rescored.json()["criterion_averages"] == {"talous": 3.0, "vaikuttavuus": 3.5}
    assert len(rescored.json()["scores"]) == 3 and rescored.json()["average_score"] == 3.33
    bad = await client.put(f"{url}/scores", headers=anna, json={"scores": {"talous": 6}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("scores")

    review = (await client.get(f"{url}/review", headers=ville)).json()
    assert [c["body"] for c in review["comments"]] == ["Budjetti on realistinen."]
    assert review["scores"]["criterion_averages"]["vaikuttavuus"] == 3.5 and review["budget"]

    # The applicant sees none of it, and cannot reach the reviewers' pages.
    mine = (await client.get(url, headers=me)).text
    assert "realistinen" not in mine and "vaikuttavuus" not in mine
    for path in ("review", "comments"):
        assert (await client.get(f"{url}/{path}", headers=me)).status_code == 403
    assert (await client.put(f"{url}/scores", headers=me, json={"scores": {"x": 5}})).status_code == 403
    # Other departments' staff neither.
    other = api.staff("elsewhere")
    assert (await client.get(f"{url}/review", headers=other)).status_code == 403
    assert (await client.post(f"{url}/comments", headers=other, json={"body": "x"})).status_code == 403
    assert (await client.put(f"{url}/scores", headers=other, json={"scores": {"x": 1}})).status_code == 403
    assert (await client.post(f"{url}/return", headers=other, json={"message": "x"})).status_code == 403
    assert await api.scalar("SELECT count(*) FROM review_comment WHERE application_id = :a", a=sent["id"]) == 1


async def test_a_draft_is_not_reviewed(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await api.programme()
    round_ = await api.round(programme, clock)
    made = await draft(api, round_, await api.applicant())
    staff = api.staff(programme["department_code"])
    assert (await client.get(f"/applications/{made['id']}/review", headers=staff)).status_code == 404
    assert (
        await client.post(f"/applications/{made['id']}/comments", headers=staff, json={"body": "x"})
    ).status_code == 404
    assert (await client.get(f"/applications/{uuid.uuid4()}/review", headers=staff)).status_code == 404


async def test_reviewers_see_who_owes_an_overdue_usage_report(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await api.programme()
    staff = api.staff(programme["department_code"])
    round_ = await api.round(programme, clock)
    late, punctual = await api.applicant(), await api.applicant()
    earlier = await draft(api, round_, late)  # stands in for last year's grant
    async with api.grants.uow() as uow:
        await create_obligations(uow, grants=[(uuid.UUID(earlier["id"]), late)], due_date=date(2020, 6, 30))
        await uow.commit()
    flagged = await submitted(api, round_, late)
    fine = await submitted(api, round_, punctual)

    items = {
        i["id"]: i for i in (await client.get(f"/rounds/{round_['id']}/applications", headers=staff)).json()["items"]
    }
    assert items[flagged["id"]]["overdue_usage_report"] is True
    assert items[fine["id"]]["overdue_usage_report"] is False
    review = (await client.get(f"/applications/{flagged['id']}/review", headers=staff)).json()
    assert review["overdue_usage_report"] is True
    mine = (await client.get(f"/applications/{flagged['id']}", headers=api.tokens.association(late))).json()
    assert "overdue_usage_report" not in mine
