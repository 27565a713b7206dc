"""The answer page an invitation's link leads to, in a real browser (Debian's headless Chromium): the token in
the link's fragment answers once; the second try is refused and the page says so; a draft is not found."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import httpx
from playwright.async_api import Browser

from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_survey_invitations import all_invitations
from .test_surveys import opened_survey, survey_body
from .test_wheel_page import base_url, browser

__all__ = ["base_url", "browser"]


async def test_the_link_answers_once_in_a_browser(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock, browser: Browser, base_url: str
) -> None:
    survey_id, _ = await opened_survey(api, clock, f"dept-{uuid.uuid4().hex[:6]}", invitations=1)
    [invitation] = await all_invitations(client, tokens, survey_id, limit=10)
    link = urlsplit(invitation["answer_url"])
    followed = f"{base_url}{link.path}#{link.fragment}"
    page = await browser.new_page()
    shown = await page.goto(followed)
    assert shown is not None and shown.status == 200 and await page.get_attribute("html", "lang") == "fi"
    assert await page.locator("fieldset").count() == 3 and await page.locator("textarea").count() == 1
    await page.check('input[name="overall"][value="4"]')
    await page.check('input[name="topics"][value="tilat"]')
    await page.fill("textarea", "Hyvä tilaisuus <b>kiitos</b>")
    await page.click("button[type=submit]")
    await page.wait_for_function("document.getElementById('said').textContent.includes('Kiitos')")
    count = "SELECT count(*) FROM feedback_answer WHERE survey_id = :s"
    assert await api.scalar(count, s=uuid.UUID(survey_id)) == 1
    stored = "SELECT answers FROM feedback_answer WHERE survey_id = :s"
    assert await api.scalar(stored, s=uuid.UUID(survey_id)) == {
        "overall": 4, "topics": ["tilat"], "comments": "Hyvä tilaisuus <b>kiitos</b>"
    }  # fmt: skip

    await page.goto(f"{base_url}/clock.html")
    await page.goto(followed)  # the same link again
    await page.check('input[name="overall"][value="2"]')
    await page.click("button[type=submit]")
    await page.wait_for_function("document.getElementById('said').textContent.includes('jo vastattu')")
    assert await api.scalar(count, s=uuid.UUID(survey_id)) == 1

    await page.goto(f"{base_url}{link.path}")  # no token
    assert "puuttuu" in (await page.text_content("#said") or "")
    await page.close()


async def test_a_drafts_answer_page_is_not_found(client: httpx.AsyncClient, tokens: Tokens, clock: Clock) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    body = survey_body(clock, department)
    made = await client.post("/surveys", json=body, headers=tokens.staff(department))
    survey_id = made.json()["id"]
    assert (await client.get(f"/surveys/{survey_id}/answer")).status_code == 404
    assert (await client.get(f"/surveys/{uuid.uuid4()}/answer")).status_code == 404
    assert (await client.get("/surveys/nope/answer")).status_code == 422
