"""The mail of a delivery: a newsletter issue rendered once per language, every mail with its own Message-ID,
signed links and the RFC 8058 one-click unsubscribe headers.

An issue's Markdown, Jinja2 templates and sanitiser run once per language of a fan-out (``newsletter_template``)
with placeholders where each recipient's signed links go; a recipient's mail is the template with its links and
address put in (``message``). The placeholders hold a NUL, which no stored text can contain (PostgreSQL refuses
it), so an issue's own words are never taken for one.
"""

from __future__ import annotations

from notifier.adapters import rendering
from notifier.adapters.mime import MailTemplate, Outgoing
from notifier.config import Settings
from notifier.domain.delivery import Delivery, DeliveryKind
from notifier.domain.issue import Issue
from notifier.domain.subscriber import Language
from notifier.service_layer.links import preferences_url, unsubscribe_url
from notifier.service_layer.texts import text

UNSUBSCRIBE, PREFERENCES = "\x00unsubscribe-url\x00", "\x00preferences-url\x00"


def mail_domain(settings: Settings) -> str:
    return settings.mail_from.rsplit("@", 1)[-1].strip(" >") or "notifier.local"


def _newsletter(
    settings: Settings, issue: Issue, language: str, unsubscribe: str, preferences: str
) -> rendering.Rendered:
    lang, subject, body = issue.content(Language(language))
    return rendering.mail(
        subject=subject, heading=subject, body_markdown=body, language=lang.value,
        footer=text(lang.value, "footer"),
        unsubscribe_url=unsubscribe, unsubscribe_label=text(lang.value, "unsubscribe"),
        preferences_url=preferences, preferences_label=text(lang.value, "preferences"),
    )  # fmt: skip


def newsletter_mail(settings: Settings, issue: Issue, language: str, recipient_ref: str) -> rendering.Rendered:
    """The issue as one recipient reads it (a preview, a test mail)."""
    return _newsletter(
        settings, issue, language, unsubscribe_url(settings, recipient_ref), preferences_url(settings, recipient_ref)
    )


def template(settings: Settings, kind: DeliveryKind, language: str, rendered: rendering.Rendered) -> MailTemplate:
    """What every mail of this kind, language and content shares; ValueError for a header it cannot carry."""
    headers, per_recipient = [], []
    if kind is not DeliveryKind.CONFIRMATION:
        per_recipient.append(("List-Unsubscribe", f"<{UNSUBSCRIBE}>"))
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    if kind is DeliveryKind.NEWSLETTER:
        headers.append(("List-Id", f"Yhdistysuutiset <yhdistysuutiset.{mail_domain(settings)}>"))
    return MailTemplate(
        sender=settings.mail_from, subject=rendered.subject, text=rendered.text, html=rendered.html,
        language=language, headers=headers, per_recipient=per_recipient,
    )  # fmt: skip


def newsletter_template(settings: Settings, issue: Issue, language: str) -> MailTemplate:
    """The issue in ``language`` for all its recipients, with placeholders for their links."""
    return template(
        settings, DeliveryKind.NEWSLETTER, language, _newsletter(settings, issue, language, UNSUBSCRIBE, PREFERENCES)
    )


def stored_template(settings: Settings, d: Delivery) -> MailTemplate:
    """A mail rendered when its delivery was made (a confirmation, a notification, a test mail)."""
    rendered = rendering.Rendered(d.subject or "", d.text_body or "", d.html_body or "")
    return template(settings, d.kind, d.language, rendered)


def message(settings: Settings, d: Delivery, mail: MailTemplate) -> Outgoing:
    """The mail to ``d``'s recipient: its stable Message-ID, its own signed links; ValueError if it cannot be."""
    links = {UNSUBSCRIBE: unsubscribe_url(settings, d.recipient_ref)}
    if d.kind is DeliveryKind.NEWSLETTER:
        links[PREFERENCES] = preferences_url(settings, d.recipient_ref)
    return mail.mail(to=d.address or "", message_id=d.message_id, links=links)
