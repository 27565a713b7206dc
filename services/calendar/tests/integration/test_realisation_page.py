"""The yearly realisation page in a real browser (Debian's headless Chromium, ``browser.py``), served over HTTP
from real PostgreSQL to a staff member: Finnish, its tables with captions and header cells, reached with the
keyboard, legible (contrast), usable on a phone's width, and looking as it did (a screenshot of fixed content)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page

from calendar_service.domain.annual_clock import Category
from calendar_service.domain.realisation import Outcome
from calendar_service.entrypoints.http.pages.realisation_page import render_realisation_page
from calendar_service.entrypoints.http.realisation_schemas import (
    ActualRead,
    PlannedOutcomeRead,
    RealisationRead,
    RealisationTotals,
)

from ..conftest import Api, Clock
from .browser import (
    assert_no_sideways_scroll,
    assert_text_contrast,
    base_url,
    browser,
    matches_reference,
    tab_to,
)

__all__ = ["base_url", "browser"]
YEAR = 2034  # no other test plans it
REFERENCE = Path(__file__).parent / "realisation_reference.png"


async def staff_page(api: Api, browser: Browser, base_url: str, width: int = 1100) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(
        viewport={"width": width, "height": 900}, extra_http_headers=api.tokens.staff("culture")
    )
    page = await context.new_page()
    answer = await page.goto(f"{base_url}/realisation.html?year={YEAR}")
    assert answer is not None and answer.status == 200
    return context, page


async def test_the_page_shows_the_years_plan_in_a_table_and_is_used_with_the_keyboard(
    api: Api, clock: Clock, browser: Browser, base_url: str
) -> None:
    titles = [f"Suunniteltu {n} {uuid.uuid4().hex[:4]}" for n in range(3)]
    for title, (category, month) in zip(titles, [("newsletter", 3), ("event", 5), ("evaluation", 1)], strict=True):
        await api.clock_entry(title_fi=title, category=category, audience="everyone", month=month, day=10,
                              weekday=None, week=None)  # fmt: skip
    generated = await api.client.post("/schedule/generate", json={"year": YEAR}, headers=api.tokens.staff("culture"))
    assert generated.status_code == 200, generated.text
    clock.set(datetime(YEAR, 4, 1, 9, tzinfo=UTC))
    context, page = await staff_page(api, browser, base_url)
    assert await page.get_attribute("html", "lang") == "fi"
    assert await page.title() == f"Vuosikellon toteutuminen {YEAR}"
    plan = page.locator("table").first
    assert f"suunnitellut kohdat {YEAR}" in (await plan.locator("caption").text_content() or "")
    assert await plan.locator('thead th[scope="col"]').count() == 7
    for title in titles:
        assert await plan.locator('tbody th[scope="row"]', has_text=title).count() == 1
    row = plan.locator("tbody tr", has_text=titles[0])
    assert "ei toteutunut" in (await row.text_content() or "")  # March 10th: past, nothing sent
    later = plan.locator("tbody tr", has_text=titles[1])
    assert "ei vielä ajankohtainen" in (await later.text_content() or "")
    # The skip link is the first stop and takes one to the tables; a table too wide scrolls in its own box.
    await tab_to(page, "a.skip")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**#realisation", timeout=5_000)  # the skip link moves to the tables, maybe not at once
    await tab_to(page, ".table-scroll")
    assert await page.evaluate("document.activeElement.getAttribute('role')") == "region"
    await assert_text_contrast(page)
    await context.close()


async def test_on_a_phones_width_only_the_tables_scroll_sideways(api: Api, browser: Browser, base_url: str) -> None:
    context, page = await staff_page(api, browser, base_url, width=360)
    await assert_no_sideways_scroll(page)
    await context.close()


def fixed() -> RealisationRead:
    def planned(n: int, category: Category, outcome: Outcome, actual: ActualRead | None = None) -> PlannedOutcomeRead:
        day = date(2027, n, 10)
        return PlannedOutcomeRead(
            clock_entry_id=uuid.UUID(int=n), category=category, title_fi=f"Suunniteltu kohta {n}",
            planned_starts_on=day, planned_ends_on=day, outcome=outcome, actual=actual,
        )  # fmt: skip

    held = ActualRead(kind="event", source_id=uuid.UUID(int=99), category=Category.EVENT, title_fi="Infotilaisuus",
                      starts_on=date(2027, 5, 12), ends_on=date(2027, 5, 12), registrations=12, participants=20)  # fmt: skip
    opened = ActualRead(kind="grant_round", source_id=uuid.UUID(int=98), category=Category.GRANT_APPLICATION,
                        title_fi="Avustushaku: Kohdeavustukset", starts_on=date(2027, 1, 10),
                        ends_on=date(2027, 1, 31), registrations=None, participants=None)  # fmt: skip
    entries = [
        planned(1, Category.GRANT_APPLICATION, Outcome.REALISED, opened),
        planned(3, Category.NEWSLETTER, Outcome.NOT_REALISED),
        planned(5, Category.EVENT, Outcome.MOVED, held),
        planned(9, Category.EVALUATION, Outcome.NOT_TRACKED),
        planned(11, Category.ASSOCIATION_EVENING, Outcome.PENDING),
    ]
    totals = RealisationTotals(planned=5, realised=1, moved=1, not_realised=1, pending=1, not_tracked=1,
                               events_held=1, confirmed_registrations=12, participants=20, rounds_opened=1,
                               newsletters_sent=0)  # fmt: skip
    return RealisationRead(year=2027, entries=entries, unplanned=[], totals=totals)


async def test_the_page_looks_as_it_did(browser: Browser) -> None:
    """A screenshot of the page with fixed content against the committed reference (``browser.matches_reference``)."""
    page = await browser.new_page(viewport={"width": 1100, "height": 700})
    await page.set_content(render_realisation_page(fixed()))
    shot = await page.screenshot()
    await page.close()
    matches_reference(shot, REFERENCE)
