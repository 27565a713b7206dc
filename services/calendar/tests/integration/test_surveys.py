"""Feedback surveys over HTTP on real PostgreSQL: one answer per invitation, answers that join to nothing of
the invitation, results withheld under five answers, and who may do what."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx

from calendar_service.service_layer.surveys import close_due_surveys
from shared import directory_copy as copies
from shared.contracts.directory import ApplicantKind
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_registrations import published_event, register

PROBLEM = "application/problem+json"
QUESTIONS = [
    {"key": "overall", "kind": "scale", "text_fi": "Yleisarvosana", "required": True},
    {"key": "format", "kind": "single_choice", "text_fi": "Paras muoto", "options": ["paikan päällä", "etänä"]},
    {"key": "topics", "kind": "multiple_choice", "text_fi": "Aiheet", "options": ["avustukset", "tilat"]},
    {"key": "comments", "kind": "free_text", "text_fi": "Terveiset"},
]


def survey_body(clock: Clock, department: str, **overrides: Any) -> dict[str, Any]:
    return {
        "title_fi": "Vuoden arviointi",
        "department_code": department,
        "audience": "all_associations",
        "year": 2026,
        "opens_at": (clock.now - timedelta(hours=1)).isoformat(),
        "closes_at": (clock.now + timedelta(days=14)).isoformat(),
        "questions": QUESTIONS,
    } | overrides


async def opened_survey(
    api: Api, clock: Clock, department: str, invitations: int = 6, **overrides: Any
) -> tuple[str, list[str]]:
    """An open survey of an event with this many confirmed registrations (the yearly evaluation invites every
    association the test database's copy holds, which other tests add to)."""
    staff = api.tokens.staff(department)
    event = await published_event(api, clock, department, capacity=None)
    for _ in range(invitations):
        await register(api.client, api.tokens, event, uuid.uuid4())
    body = survey_body(clock, department, audience="event_participants", event_id=event["id"], year=None) | overrides
    made = await api.client.post("/surveys", json=body, headers=staff)
    assert made.status_code == 201, made.text
    opened = await api.client.post(f"/surveys/{made.json()['id']}/open", json={}, headers=staff)
    assert opened.status_code == 200, opened.text
    assert len(opened.json()["issued"]) == invitations
    return made.json()["id"], [i["token"] for i in opened.json()["issued"]]


async def opened_yearly(api: Api, clock: Clock, department: str) -> tuple[str, list[str]]:
    """An open yearly evaluation: it invites every active association of the copy (two are added first)."""
    for _ in range(2):
        await known_association(api)
    staff = api.tokens.staff(department)
    made = await api.client.post("/surveys", json=survey_body(clock, department), headers=staff)
    assert made.status_code == 201, made.text
    opened = await api.client.post(f"/surveys/{made.json()['id']}/open", json={}, headers=staff)
    assert opened.status_code == 200, opened.text
    return made.json()["id"], [i["token"] for i in opened.json()["issued"]]


async def known_association(api: Api, **overrides: Any) -> uuid.UUID:
    """An association in the calendar's copy, as the directory's events put it there."""
    association_id = uuid.uuid4()
    values: dict[str, Any] = {"kind": ApplicantKind.REGISTERED_ASSOCIATION, "active": True} | overrides
    await copies.copy_applicant(
        api.calendar.uow(),
        applicant_id=association_id,
        name=None,
        fields_of_activity=["kulttuuri"],
        revision=1,
        **values,
    )
    return association_id


async def answer(client: httpx.AsyncClient, survey_id: str, token: str, **answers: Any) -> httpx.Response:
    body = {"token": token, "answers": {"overall": 4} | answers}
    return await client.post(f"/surveys/{survey_id}/answers", json=body)


async def test_an_event_survey_invites_each_confirmed_registration_once_and_announces_no_token(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    event = await published_event(api, clock, department, capacity=2)
    registrations = [await register(client, tokens, event, uuid.uuid4()) for _ in range(3)]  # one waits
    staff = tokens.staff(department)
    body = survey_body(clock, department, audience="event_participants", event_id=event["id"], year=None)
    made = await client.post("/surveys", json=body, headers=staff)
    assert made.status_code == 201, made.text
    survey_id = made.json()["id"]
    counted = await client.post(f"/surveys/{survey_id}/open", json={"invitations": 3}, headers=staff)
    assert counted.status_code == 422 and counted.json()["errors"][0]["field"] == "invitations"
    opened = await client.post(f"/surveys/{survey_id}/open", json={}, headers=staff)
    assert opened.status_code == 200, opened.text
    confirmed = {r["id"] for r in registrations if r["state"] == "confirmed"}
    assert {i["registration_id"] for i in opened.json()["issued"]} == confirmed
    assert opened.json()["invitations"] == 2
    again = await client.post(f"/surveys/{survey_id}/open", json={}, headers=staff)
    assert again.status_code == 409

    [announced] = await api.outbox("FeedbackSurveyOpened", survey_id=survey_id)
    assert announced["data"]["event_id"] == event["id"] and announced["data"]["invitations"] == 2
    assert announced["data"]["audience"] == "event_participants" and "closes_at" in announced["data"]
    for issued in opened.json()["issued"]:
        assert issued["token"] not in str(announced)
        stored = "SELECT count(*) FROM feedback_invitation WHERE token_hash = :t"
        assert await api.scalar(stored, t=issued["token"]) == 0  # only its hash is kept

    closed = await client.post(f"/surveys/{survey_id}/close", headers=staff)
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    [ended] = await api.outbox("FeedbackSurveyClosed", survey_id=survey_id)
    assert ended["data"]["answers"] == 0


async def test_one_answer_per_invitation_and_an_unknown_token_is_just_not_found(
    api: Api, client: httpx.AsyncClient, clock: Clock
) -> None:
    survey_id, issued = await opened_survey(api, clock, f"dept-{uuid.uuid4().hex[:6]}", invitations=3)
    _, other_issued = await opened_survey(api, clock, f"dept-{uuid.uuid4().hex[:6]}", invitations=1)
    racing = await asyncio.gather(*(answer(client, survey_id, issued[0]) for _ in range(6)))
    assert sorted(r.status_code for r in racing) == [201] + [409] * 5
    used = next(r for r in racing if r.status_code == 409)
    assert used.headers["content-type"].startswith(PROBLEM) and used.json()["errors"][0]["field"] == "token"

    unknown = await answer(client, survey_id, "not-a-token")
    wrong_survey = await answer(client, survey_id, other_issued[0])
    no_survey = await answer(client, str(uuid.uuid4()), issued[1])
    assert unknown.status_code == wrong_survey.status_code == no_survey.status_code == 404
    assert unknown.json()["detail"] == wrong_survey.json()["detail"] == no_survey.json()["detail"]
    assert unknown.json()["errors"] == wrong_survey.json()["errors"]

    bad = await answer(client, survey_id, issued[1], overall=9)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)
    assert bad.json()["errors"][0]["field"] == "answers.overall"
    assert (await answer(client, survey_id, issued[1], format="kirjeitse")).json()["errors"][0]["field"] == (
        "answers.format"
    )
    for odd in ('{"overall": 3, "\\ud800": 1}', '{"overall": 3, "comments": "\\ud800"}'):  # lone surrogates
        raw = f'{{"token": "{issued[1]}", "answers": {odd}}}'
        json_body = {"content-type": "application/json"}
        refused = await client.post(f"/surveys/{survey_id}/answers", content=raw, headers=json_body)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"].startswith("answers.")
    assert (await answer(client, survey_id, issued[1])).status_code == 201  # a refused answer used nothing
    count = "SELECT count(*) FROM feedback_answer WHERE survey_id = :s"
    assert await api.scalar(count, s=uuid.UUID(survey_id)) == 2

    staff = api.tokens.staff(
        (await client.get(f"/surveys/{survey_id}", headers=api.tokens.admin())).json()["department_code"]
    )
    assert (await client.post(f"/surveys/{survey_id}/close", headers=staff)).status_code == 200
    closed = await answer(client, survey_id, issued[2])
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]


async def test_an_answer_holds_nothing_that_joins_to_its_invitation(
    api: Api, client: httpx.AsyncClient, clock: Clock
) -> None:
    survey_id, issued = await opened_survey(api, clock, f"dept-{uuid.uuid4().hex[:6]}", invitations=8)
    columns = "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns "
    columns += "WHERE table_name = 'feedback_answer'"
    assert await api.scalar(columns) == "answered_on,answers,id,survey_id"
    answered_on = "SELECT data_type FROM information_schema.columns WHERE table_name = 'feedback_answer' "
    assert await api.scalar(answered_on + "AND column_name = 'answered_on'") == "date"
    for token in issued[:4]:
        assert (await answer(client, survey_id, token)).status_code == 201

    s = uuid.UUID(survey_id)
    # The only thing an answer's row shares with an invitation's is the transaction that wrote them: every
    # invitation of the survey is rewritten by each answer, so an answer's transaction either wrote all of them
    # (the latest answer) or none left (the earlier ones): it singles out no invitation.
    sharing = """
        SELECT count(i.token_hash) FROM feedback_answer a
        LEFT JOIN feedback_invitation i ON i.xmin = a.xmin AND i.survey_id = a.survey_id
        WHERE a.survey_id = :s GROUP BY a.id ORDER BY 1
    """
    async with api.engine.connect() as conn:
        from sqlalchemy import text

        shared_counts = [r[0] for r in await conn.execute(text(sharing), {"s": s})]
        by_order = "SELECT token_hash, used FROM feedback_invitation WHERE survey_id = :s ORDER BY ctid"
        physical = [r[1] for r in await conn.execute(text(by_order), {"s": s})]
    assert shared_counts == [0, 0, 0, 8]
    assert physical.count(True) == 4  # used ones are known (who has answered), not which answer is whose
    assert await api.scalar("SELECT count(*) FROM feedback_invitation WHERE survey_id = :s AND used", s=s) == 4


async def test_results_are_aggregates_withheld_under_five_and_free_text_is_for_staff(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    staff = tokens.staff(department)
    survey_id, issued = await opened_survey(api, clock, department, invitations=7)
    for token, value in zip(issued[:4], (1, 2, 3, 4), strict=True):
        assert (await answer(client, survey_id, token, overall=value, comments=f"kiitos {value}")).status_code == 201
    few = (await client.get(f"/surveys/{survey_id}/results", headers=staff)).json()
    assert few["answers"] == 4 and few["suppressed"]
    assert all(q["suppressed"] and q["counts"] is None and q["texts"] is None for q in few["questions"])
    few_csv = await client.get(f"/surveys/{survey_id}/results.csv", headers=staff)
    assert few_csv.status_code == 200 and "kiitos" not in few_csv.text
    assert all(row.endswith(",true,,,,") for row in few_csv.text.split("\r\n")[1:-1])  # counts withheld

    await answer(client, survey_id, issued[4], overall=5, comments="=HYPERLINK(1)", format="etänä")
    full = (await client.get(f"/surveys/{survey_id}/results", headers=staff)).json()
    overall, format_, _, comments = full["questions"]
    assert not full["suppressed"] and overall["counts"] == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}
    assert overall["mean"] == 3.0 and format_["suppressed"] and format_["counts"] is None  # one answered it
    assert comments["texts"] == ["=HYPERLINK(1)", "kiitos 1", "kiitos 2", "kiitos 3", "kiitos 4"]
    sheet = (await client.get(f"/surveys/{survey_id}/results.csv", headers=staff)).text
    assert sheet.startswith("question_key,question,kind") and "'=HYPERLINK(1)" in sheet

    association = tokens.association(uuid.uuid4())
    assert (await client.get(f"/surveys/{survey_id}/results", headers=association)).status_code == 403  # open
    assert (await client.post(f"/surveys/{survey_id}/close", headers=staff)).status_code == 200
    public = (await client.get(f"/surveys/{survey_id}/results", headers=association)).json()
    assert public["questions"][0]["counts"] == overall["counts"] and public["questions"][3]["texts"] is None
    assert "kiitos" not in (await client.get(f"/surveys/{survey_id}/results.csv", headers=association)).text
    assert (await client.get(f"/surveys/{survey_id}/results")).status_code == 401
    assert (await client.get(f"/surveys/{survey_id}/results", headers=tokens.service())).status_code == 403


async def test_who_may_write_open_and_close_a_survey(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    body = survey_body(clock, department)
    assert (await client.post("/surveys", json=body)).status_code == 401
    assert (await client.post("/surveys", json=body, headers=tokens.association(uuid.uuid4()))).status_code == 403
    assert (await client.post("/surveys", json=body, headers=tokens.staff("elsewhere"))).status_code == 403
    backwards = body | {"closes_at": body["opens_at"]}
    refused = await client.post("/surveys", json=backwards, headers=tokens.staff(department))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "closes_at"
    made = await client.post("/surveys", json=body, headers=tokens.staff(department))
    survey_id = made.json()["id"]

    other = tokens.staff("elsewhere")
    assert (await client.get(f"/surveys/{survey_id}", headers=other)).status_code == 404  # a draft is theirs
    assert (await client.patch(f"/surveys/{survey_id}", json={"title_fi": "X"}, headers=other)).status_code == 404
    changed = await client.patch(f"/surveys/{survey_id}", json={"title_fi": "Arviointi"}, headers=tokens.admin())
    assert changed.status_code == 200 and changed.json()["title_fi"] == "Arviointi"
    counted = await client.post(f"/surveys/{survey_id}/open", json={"invitations": 2}, headers=tokens.staff(department))
    assert counted.status_code == 422 and counted.json()["errors"][0]["field"] == "invitations"  # no count taken
    invited = await known_association(api)
    inactive = await known_association(api, active=False)
    person = await known_association(api, kind=ApplicantKind.PRIVATE_PERSON)
    opened = await client.post(f"/surveys/{survey_id}/open", json={}, headers=tokens.staff(department))
    assert opened.status_code == 200, opened.text
    associations = {i["association_id"] for i in opened.json()["issued"]}
    assert str(invited) in associations and not {str(inactive), str(person)} & associations
    assert all(i["registration_id"] is None for i in opened.json()["issued"])
    assert opened.json()["invitations"] == len(opened.json()["issued"])
    assert (await client.get(f"/surveys/{survey_id}", headers=other)).status_code == 200
    assert (await client.post(f"/surveys/{survey_id}/close", headers=other)).status_code == 403
    late = await client.patch(f"/surveys/{survey_id}", json={"title_fi": "Y"}, headers=tokens.staff(department))
    assert late.status_code == 409


async def test_the_results_page_shows_staff_a_table_and_a_chart_per_question(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    survey_id, issued = await opened_survey(api, clock, department, invitations=6)
    page = await client.get(f"/surveys/{survey_id}/results.html", headers=tokens.staff(department))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="fi">' in page.text and "tuloksia ei eritellä" in page.text and "<svg" not in page.text
    for token, value in zip(issued[:5], (5, 4, 4, 3, 5), strict=True):
        await answer(client, survey_id, token, overall=value, comments="<script>alert(1)</script>")
    page = await client.get(f"/surveys/{survey_id}/results.html", headers=tokens.staff(department))
    assert page.text.count("<table>") == 1 and page.text.count("<svg") == 1  # the scale; one chose a format
    assert '<th scope="row">5</th><td>2</td><td>40 %</td>' in page.text and "Keskiarvo 4,20" in page.text
    assert 'aria-hidden="true"' in page.text and "<caption>" in page.text
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
    assert (await client.get(f"/surveys/{survey_id}/results.html")).status_code == 401
    association = tokens.association(uuid.uuid4())
    assert (await client.get(f"/surveys/{survey_id}/results.html", headers=association)).status_code == 403


async def test_a_survey_whose_time_is_up_is_closed_by_the_worker_once(
    api: Api, client: httpx.AsyncClient, clock: Clock
) -> None:
    survey_id, issued = await opened_yearly(api, clock, f"dept-{uuid.uuid4().hex[:6]}")
    assert (await answer(client, survey_id, issued[0])).status_code == 201
    clock.advance(days=15)
    late = await answer(client, survey_id, issued[1])
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert await close_due_surveys(api.calendar.uow(), clock.now) >= 1
    assert await close_due_surveys(api.calendar.uow(), clock.now) == 0
    state = "SELECT state FROM feedback_survey WHERE id = :s"
    assert await api.scalar(state, s=uuid.UUID(survey_id)) == "closed"
    [ended] = await api.outbox("FeedbackSurveyClosed", survey_id=survey_id)
    assert ended["data"]["answers"] == 1 and ended["data"]["event_id"] is None
