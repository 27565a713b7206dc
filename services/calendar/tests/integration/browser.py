"""Debian's headless Chromium driven by Playwright (never a browser Playwright downloads), against the app served
over real HTTP, and the checks every page of the calendar gets there: keyboard, contrast, width, screenshot."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, Page, async_playwright

from shared.testing.processes import free_port

from ..png import contrast, read_png

CHROMIUM = "/usr/bin/chromium"
WHITE = (255, 255, 255)
TEXT = "body, h1, h2, h3, p, summary, th, td, caption, li, a, small, svg text"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (make deps does): apt-get install chromium"
    async with async_playwright() as p:
        launched = await p.chromium.launch(executable_path=CHROMIUM, args=["--font-render-hinting=none"])
        yield launched
        await launched.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def base_url(app: FastAPI) -> AsyncIterator[str]:
    """The app served over real HTTP on a free port (its container stays the tests' own)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):  # uvicorn offers no event to wait on
        if server.started:
            break
        await asyncio.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


def rgb(css: str) -> tuple[int, int, int]:
    """``rgb(r, g, b)`` or ``rgba(...)`` of a computed style."""
    r, g, b = (int(float(v)) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return r, g, b


async def assert_text_contrast(page: Page, minimum: float = 4.5) -> None:
    """Every text colour of the page (HTML ``color``; SVG text ``fill``) against the white page."""
    colours: list[str] = await page.evaluate(
        f"""[...document.querySelectorAll('{TEXT}')].map(e =>
              e instanceof SVGElement ? getComputedStyle(e).fill : getComputedStyle(e).color)"""
    )
    assert colours
    for css in set(colours):
        assert contrast(rgb(css), WHITE) >= minimum, css


async def assert_no_sideways_scroll(page: Page) -> None:
    """At the page's viewport nothing makes the whole page scroll sideways (a wide table scrolls in its own box)."""
    widths: list[int] = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


async def tab_to(page: Page, selector: str, presses: int = 20) -> None:
    """Tab until the focused element matches ``selector``, and check it is visibly outlined."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        if await page.evaluate(f"!!document.activeElement.matches({selector!r})"):
            style: dict[str, Any] = await page.evaluate(
                "(s => ({style: s.outlineStyle, width: parseFloat(s.outlineWidth)}))"
                "(getComputedStyle(document.activeElement))"
            )
            assert style["style"] == "solid" and style["width"] >= 2, style
            return
    raise AssertionError(f"{selector} is not reached with the Tab key")


def matches_reference(shot: bytes, reference: Path, *, tolerance: int = 24, share: float = 0.01) -> None:
    """A screenshot against a committed reference (within a tolerance for anti-aliasing); the environment's
    ``UPDATE_WHEEL_REFERENCE=1``, or a missing reference, writes it and fails so that someone looks at it."""
    if os.environ.get("UPDATE_WHEEL_REFERENCE") or not reference.exists():
        reference.write_bytes(shot)
        raise AssertionError(f"wrote a new reference {reference.name}: look at it, commit it, and run again")
    image, expected = read_png(shot), read_png(reference.read_bytes())
    assert (image.width, image.height) == (expected.width, expected.height)
    differing = sum(
        1 for a, b in zip(image.all_rgb(), expected.all_rgb(), strict=True)
        if any(abs(x - y) > tolerance for x, y in zip(a, b, strict=True))
    )  # fmt: skip
    assert differing / (image.width * image.height) <= share, f"{differing} pixels differ from {reference.name}"
