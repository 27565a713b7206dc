"""A feedback survey's results page in a real browser (Debian's headless Chromium, ``browser.py``), served over
HTTP from real PostgreSQL to the department's staff: per question a table and the same as a chart (hidden from
assistive technology beside the table it repeats) whose labels all fit in it, the small group not broken down,
reached with the keyboard, legible, usable on a phone's width, and looking as it did (a screenshot)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page

from calendar_service.domain.survey import Question, QuestionKind, Survey, SurveyAudience, SurveyState
from calendar_service.domain.survey_results import tally
from calendar_service.entrypoints.http.pages.results_page import render_results_page

from ..conftest import Api, Clock
from .browser import (
    assert_no_sideways_scroll,
    assert_text_contrast,
    base_url,
    browser,
    matches_reference,
    tab_to,
)
from .test_surveys import answer, opened_survey

__all__ = ["base_url", "browser"]
REFERENCE = Path(__file__).parent / "results_reference.png"
LONG = "Paikan päällä kaupungintalon juhlasalissa"  # longer than a chart's label column
QUESTIONS: list[dict[str, Any]] = [
    {"key": "overall", "kind": "scale", "text_fi": "Yleisarvosana", "required": True},
    {"key": "format", "kind": "single_choice", "text_fi": "Paras muoto", "options": [LONG, "etänä", "molemmat"]},
    {"key": "comments", "kind": "free_text", "text_fi": "Terveiset"},
]


async def survey_with_answers(api: Api, clock: Clock, department: str, answers: int) -> str:
    """An event's survey with six invitations (its confirmed registrations), ``answers`` of them answered."""
    survey_id, tokens = await opened_survey(api, clock, department, 6, questions=QUESTIONS, title_fi="Vuoden arviointi")
    for n, token in enumerate(tokens[:answers]):
        given = await answer(api.client, survey_id, token, overall=1 + n % 5, format=[LONG, "etänä"][n % 2],
                             comments=f"Kiitos {n}")  # fmt: skip
        assert given.status_code == 201, given.text
    return survey_id


async def results_page(
    api: Api, browser: Browser, base_url: str, survey_id: str, department: str, width: int = 1100
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(
        viewport={"width": width, "height": 900}, extra_http_headers=api.tokens.staff(department)
    )
    page = await context.new_page()
    answered = await page.goto(f"{base_url}/surveys/{survey_id}/results.html")
    assert answered is not None and answered.status == 200
    return context, page


async def test_each_question_has_a_table_and_a_chart_whose_labels_fit(
    api: Api, clock: Clock, browser: Browser, base_url: str
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    survey_id = await survey_with_answers(api, clock, department, answers=5)
    context, page = await results_page(api, browser, base_url, survey_id, department)
    assert await page.get_attribute("html", "lang") == "fi"
    assert await page.title() == "Vuoden arviointi – tulokset"
    assert await page.locator("main h2").count() == len(QUESTIONS)
    assert await page.locator("table").count() == 2 and await page.locator("figure svg").count() == 2
    for section in await page.locator("main section").all():
        table, chart = section.locator("table"), section.locator("figure svg")
        if not await table.count():
            continue
        assert await table.locator("caption").count() == 1
        assert await chart.get_attribute("aria-hidden") == "true"
        assert await chart.locator("rect").count() == await table.locator("tbody tr").count()
    # Every label, count and bar lies inside its chart: nothing is cut off at an edge.
    outside: list[Any] = await page.evaluate(
        """[...document.querySelectorAll('figure svg')].flatMap(svg => {
             const view = svg.viewBox.baseVal;
             return [...svg.querySelectorAll('text, rect')].map(e => [e.textContent, e.getBBox()])
               .filter(([, b]) => b.x < 0 || b.y < 0 || b.x + b.width > view.width || b.y + b.height > view.height)
               .map(([t, b]) => `${t} at ${b.x}..${b.x + b.width}`);
           })"""
    )
    assert outside == []
    shown = await page.locator("figure svg text", has_text="Paikan").text_content()
    assert shown is not None and shown.startswith("Paikan päällä")
    assert await page.locator(".free-text li").count() == 5  # staff see the free text
    await tab_to(page, "a.skip")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**#results", timeout=5_000)  # the skip link moves to the results, maybe not at once
    await tab_to(page, ".table-scroll")
    await assert_text_contrast(page)
    await context.close()


async def test_a_small_group_is_not_broken_down_and_a_phones_width_scrolls_no_page_sideways(
    api: Api, clock: Clock, browser: Browser, base_url: str
) -> None:
    department = f"dept-{uuid.uuid4().hex[:6]}"
    few = await survey_with_answers(api, clock, department, answers=2)
    context, page = await results_page(api, browser, base_url, few, department)
    assert "tuloksia ei eritellä" in (await page.locator("header").text_content() or "")
    assert await page.locator("table").count() == 0 and await page.locator("svg").count() == 0
    await context.close()
    enough = await survey_with_answers(api, clock, department, answers=5)
    context, page = await results_page(api, browser, base_url, enough, department, width=360)
    await assert_no_sideways_scroll(page)
    await context.close()


def fixed() -> str:
    opens = datetime(2027, 1, 10, 9, tzinfo=UTC)
    questions = [
        Question("overall", QuestionKind.SCALE, "Yleisarvosana", required=True),
        Question("format", QuestionKind.SINGLE_CHOICE, "Paras muoto", [LONG, "etänä", "molemmat"]),
        Question("comments", QuestionKind.FREE_TEXT, "Terveiset"),
    ]
    survey = Survey(
        id=uuid.UUID(int=1), title_fi="Vuoden arviointi", department_code="kulttuuri",
        audience=SurveyAudience.ALL_ASSOCIATIONS, opens_at=opens, closes_at=opens + timedelta(days=14),
        questions=questions, year=2026, state=SurveyState.CLOSED, invitations=12,
    )  # fmt: skip
    answers = [{"overall": 1 + n % 5, "format": [LONG, "etänä", "molemmat"][n % 3], "comments": f"Kiitos {n}"}
               for n in range(8)]  # fmt: skip
    return render_results_page(tally(survey, answers, with_free_text=True))


async def test_the_page_looks_as_it_did(browser: Browser) -> None:
    """A screenshot of the page with fixed content against the committed reference (``browser.matches_reference``)."""
    page = await browser.new_page(viewport={"width": 900, "height": 1500})
    await page.set_content(fixed())
    shot = await page.screenshot()
    await page.close()
    matches_reference(shot, REFERENCE)
