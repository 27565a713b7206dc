"""Mails and pages from Jinja2 templates (autoescaped), and Markdown rendered to sanitised HTML (markdown-it-py
with raw HTML off, then nh3, the Ammonia sanitiser) and kept as plain text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import nh3
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

_env = Environment(
    loader=PackageLoader("notifier", "templates"),
    autoescape=select_autoescape(["html", "j2", "xml"], default=True),
    keep_trailing_newline=True,
)
_text_env = Environment(loader=PackageLoader("notifier", "templates"), autoescape=False, keep_trailing_newline=True)
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_html(source: str) -> str:
    return nh3.clean(_markdown.render(source), link_rel="noopener noreferrer")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def mail(*, subject: str, heading: str, body_markdown: str, **fields: Any) -> Rendered:
    values = {"subject": subject, "heading": heading, **fields}
    html = _env.get_template("mail.html.j2").render(body_html=Markup(markdown_html(body_markdown)), **values)
    text = _text_env.get_template("mail.txt.j2").render(body_text=body_markdown, **values)
    return Rendered(subject, text, html)


def page(**fields: Any) -> str:
    body = fields.pop("body_html", "")
    return _env.get_template("page.html.j2").render(body_html=Markup(body), **fields)


def atom(**fields: Any) -> str:
    return _env.get_template("archive.atom.j2").render(**fields)
