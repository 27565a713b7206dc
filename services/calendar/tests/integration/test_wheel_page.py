"""The annual clock as a wheel, in a real browser: Debian's headless Chromium driven by Playwright (never a
browser Playwright downloads; ``browser.py``), against the page served over HTTP from real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import Browser

from calendar_service.domain.annual_clock import Audience, Category, ClockEntry
from calendar_service.entrypoints.http.pages.clock_page import render_clock_page
from calendar_service.entrypoints.http.pages.style import CATEGORY_COLOURS
from calendar_service.service_layer.clock_picture import ClockPicture, PlacedEntry

from ..conftest import Api, Clock
from ..png import contrast, hex_rgb, read_png
from .browser import WHITE, assert_no_sideways_scroll, base_url, browser

__all__ = ["base_url", "browser"]
REFERENCE = Path(__file__).parent / "wheel_reference.png"


async def test_the_wheel_shows_twelve_months_one_mark_per_entry_and_today(
    api: Api, clock: Clock, browser: Browser, base_url: str
) -> None:
    clock.set(datetime(2027, 5, 14, 9, 0, tzinfo=UTC))
    made = [
        await api.clock_entry(category=c.value, month=i + 1, weekday=None, week=None, day=None if i % 2 else 10)
        for i, c in enumerate(Category)
    ]
    active = await api.scalar("SELECT count(*) FROM clock_entry WHERE active")
    page = await browser.new_page()
    answer = await page.goto(f"{base_url}/clock.html?year=2027")
    assert answer is not None and answer.status == 200
    assert await page.get_attribute("html", "lang") == "fi"
    assert await page.title() == "Vuosikello 2027 – Porin yhdistysyhteistyö"
    assert await page.locator("svg#wheel g.month").count() == 12
    assert await page.locator("svg#wheel g.entry").count() == active
    for entry in made:
        mark = page.locator(f'svg#wheel g.entry[data-entry-id="{entry["id"]}"]')
        assert await mark.count() == 1
        assert await mark.get_attribute("data-category") == entry["category"]
        assert await page.locator(f'#clock-list li[data-entry-id="{entry["id"]}"]').count() == 1
    assert await page.get_attribute("svg#wheel g.today", "data-date") == "2027-05-14"
    # the picture has a text alternative; the legend names every category
    assert await page.get_attribute("svg#wheel", "role") == "img"
    assert "Vuosikello 2027" in (await page.locator("svg#wheel > title").text_content() or "")
    assert await page.locator(".legend li").count() == len(Category)
    # another year has no today
    await page.goto(f"{base_url}/clock.html?year=2028")
    assert await page.locator("svg#wheel g.today").count() == 0
    await page.close()


async def test_the_list_is_reached_and_opened_with_the_keyboard(api: Api, browser: Browser, base_url: str) -> None:
    await api.clock_entry(title_fi="Näppäimistöllä löytyvä", month=1, day=15, weekday=None, week=None)
    page = await browser.new_page()
    await page.goto(f"{base_url}/clock.html")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip"
    for _ in range(10):
        await page.keyboard.press("Tab")
        if await page.evaluate("!!document.activeElement.closest('#clock-list')"):
            break
    assert await page.evaluate("document.activeElement.tagName") == "SUMMARY"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.closest('details').open") is True
    # a focused element is visibly outlined
    assert await page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    await page.close()


async def test_text_and_marks_contrast_at_least_4_5_to_1(api: Api, browser: Browser, base_url: str) -> None:
    await api.clock_entry(month=2, weekday=None, week=None)
    page = await browser.new_page()
    await page.goto(f"{base_url}/clock.html")
    colours: list[Any] = await page.evaluate(
        """[...document.querySelectorAll('body, h1, h2, h3, p, summary, th, td, a, .legend li')]
           .map(e => getComputedStyle(e).color)"""
    )
    background = WHITE
    for css in {*colours}:
        rgb = tuple(int(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        assert contrast(rgb, background) >= 4.5, css
    for colour in CATEGORY_COLOURS.values():
        assert contrast(hex_rgb(colour), WHITE) >= 4.5, colour
    await page.close()


def _entry(category: Category, month: int, day: int | None) -> PlacedEntry:
    entry = ClockEntry(
        id=uuid.UUID(int=month), title_fi=f"Merkintä {month}", category=category, audience=Audience.EVERYONE,
        month=month, day=day, responsible_department="kulttuuri",
    )  # fmt: skip
    return PlacedEntry(entry, *entry.rule.dates_in(2027))


def _fixed_page() -> str:
    entries = [_entry(c, i + 1, None if i % 2 else 12) for i, c in enumerate(Category)]
    return render_clock_page(ClockPicture(year=2027, today=date(2027, 5, 14), entries=entries, upcoming=[]))


def _close(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


async def test_the_wheel_looks_as_it_did(browser: Browser) -> None:
    """A screenshot of the wheel with fixed content against the committed reference (within a tolerance for
    anti-aliasing), and every category's colour on it. ``UPDATE_WHEEL_REFERENCE=1`` rewrites the reference."""
    page = await browser.new_page(viewport={"width": 1100, "height": 900})
    await page.set_content(_fixed_page())
    box = await page.locator("svg#wheel").bounding_box()
    assert box is not None and (box["width"], box["height"]) == (640, 640)
    clip = {"x": round(box["x"]), "y": round(box["y"]), "width": 640, "height": 640}
    shot = await page.screenshot(clip=clip)  # type: ignore[arg-type]
    await page.close()
    image = read_png(shot)
    assert (image.width, image.height) == (640, 640)
    pixels = image.all_rgb()
    for category, colour in CATEGORY_COLOURS.items():
        assert sum(1 for p in pixels if _close(p, hex_rgb(colour), 6)) >= 40, f"{category} is missing from the wheel"
    if os.environ.get("UPDATE_WHEEL_REFERENCE") or not REFERENCE.exists():
        REFERENCE.write_bytes(shot)
        raise AssertionError(f"wrote a new reference {REFERENCE.name}: look at it, commit it, and run again")
    reference = read_png(REFERENCE.read_bytes())
    assert (reference.width, reference.height) == (image.width, image.height)
    differing = sum(1 for a, b in zip(pixels, reference.all_rgb(), strict=True) if not _close(a, b))
    assert differing / len(pixels) <= 0.01, f"{differing} of {len(pixels)} pixels differ from the reference"


async def test_on_a_phones_width_the_page_does_not_scroll_sideways(
    api: Api, clock: Clock, browser: Browser, base_url: str
) -> None:
    clock.set(datetime(2027, 1, 5, 9, tzinfo=UTC))
    title = "Yhdistysyhteistyöryhmän kokoontuminen ja verkostoitumisilta kaupungintalolla"
    await api.clock_entry(title_fi=title, month=1, day=20, weekday=None, week=None)
    generated = await api.client.post("/schedule/generate", json={"year": 2027}, headers=api.tokens.staff("culture"))
    assert generated.status_code == 200, generated.text
    page = await browser.new_page(viewport={"width": 360, "height": 800})
    await page.goto(f"{base_url}/clock.html?year=2027")
    assert await page.locator("table tbody th", has_text=title).count() == 1  # in the coming schedule
    await assert_no_sideways_scroll(page)
    await page.close()
