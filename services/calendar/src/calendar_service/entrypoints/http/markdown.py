"""Markdown typed by staff (a meeting's agenda and minutes) as safe HTML: no raw HTML, then sanitised by nh3."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def safe_html(source: str | None) -> str | None:
    return None if source is None else nh3.clean(_markdown.render(source), link_rel="noopener noreferrer")
