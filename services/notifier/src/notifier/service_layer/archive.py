"""The public archive of sent issues: an HTML list, each issue's page in its language, and an Atom feed.

Only sent issues appear, and nothing of their sending: no recipients, no counts, no addresses.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from notifier.adapters import rendering
from notifier.config import Settings
from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Language
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.errors import NotFound
from shared.localtime import local_date

WORDS: dict[str, dict[str, str]] = {
    "fi": {"archive": "Yhdistysuutiset: arkisto", "intro": "Lähetetyt Yhdistysuutiset, uusin ensin.",
           "empty": "Yhtään numeroa ei ole vielä lähetetty.", "older": "Vanhemmat", "sent": "lähetetty",
           "back": "Kaikki numerot", "feed": "Atom-syöte"},
    "sv": {"archive": "Föreningsnytt: arkiv", "intro": "Utskickade nummer av Föreningsnytt, det senaste först.",
           "empty": "Inga nummer har skickats ännu.", "older": "Äldre", "sent": "skickat",
           "back": "Alla nummer", "feed": "Atom-flöde"},
    "en": {"archive": "Association News: archive", "intro": "The issues of Association News sent, newest first.",
           "empty": "No issue has been sent yet.", "older": "Older", "sent": "sent",
           "back": "All issues", "feed": "Atom feed"},
}  # fmt: skip
SUMMARY_LENGTH = 300


def issue_url(settings: Settings, issue: Issue, language: Language) -> str:
    lang, _, _ = issue.content(language)
    return f"{settings.public_base_url}/archive/{issue.id}?language={lang.value}"


def _day(moment: datetime | None) -> str:
    return local_date(moment).isoformat() if moment else ""


async def archive_page(
    uow: NotifierUnitOfWork, *, settings: Settings, language: Language, limit: int, offset: int
) -> str:
    async with uow:
        issues, total = await uow.issues.sent(limit, offset)
    words = WORDS[language.value]
    items = [
        {"url": issue_url(settings, i, language), "title": i.content(language)[1],
         "note": f"({words['sent']} {_day(i.sent_at)})"}
        for i in issues
    ]  # fmt: skip
    if offset + limit < total:
        older = f"{settings.public_base_url}/archive?language={language.value}&offset={offset + limit}&limit={limit}"
        items.append({"url": older, "title": words["older"], "note": ""})
    return rendering.page(
        title=words["archive"], lines=[words["intro"] if issues else words["empty"]], items=items,
        language=language.value, feed_url=f"{settings.public_base_url}/archive.atom?language={language.value}",
        feed_label=words["feed"],
    )  # fmt: skip


async def _sent_issue(uow: NotifierUnitOfWork, issue_id: uuid.UUID) -> Issue:
    async with uow:
        issue = await uow.issues.get(issue_id)
    if issue is None or issue.state is not IssueState.SENT:
        raise NotFound("No such issue in the archive.", field="issue_id")
    return issue


async def issue_page(uow: NotifierUnitOfWork, *, settings: Settings, issue_id: uuid.UUID, language: Language) -> str:
    """The issue in ``language`` (in Finnish where it has no such version), its Markdown sanitised."""
    issue = await _sent_issue(uow, issue_id)
    lang, subject, body = issue.content(language)
    words = WORDS[lang.value]
    back = {"url": f"{settings.public_base_url}/archive?language={lang.value}", "title": words["back"], "note": ""}
    return rendering.page(
        title=subject, lines=[f"{words['sent'].capitalize()} {_day(issue.sent_at)}"],
        body_html=rendering.markdown_html(body), items=[back], language=lang.value,
    )  # fmt: skip


def _summary(markdown: str) -> str:
    text = " ".join(markdown.replace("#", " ").replace("*", "").split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


async def feed(uow: NotifierUnitOfWork, *, settings: Settings, language: Language, now: datetime) -> str:
    """An Atom feed (RFC 4287) of the latest sent issues."""
    async with uow:
        issues, _ = await uow.issues.sent(50, 0)
    items = []
    for i in issues:
        _, subject, body = i.content(language)
        items.append({
            "id": i.id, "title": subject, "url": issue_url(settings, i, language),
            "updated": (i.sent_at or now).isoformat(), "summary": _summary(body),
            "html": rendering.markdown_html(body),
        })  # fmt: skip
    updated = max((i.sent_at for i in issues if i.sent_at), default=now).isoformat()
    return rendering.atom(
        base_url=settings.public_base_url, language=language.value, items=items, updated=updated,
        title=WORDS[language.value]["archive"],
    )  # fmt: skip
