"""Notifications on events: one mail per representative who chose the topic, made when the event arrives.

The recipients are resolved then, from the directory (ADR 0003): a :class:`DirectoryUnavailable` leaves the
use case without effect, so the consumer retries the event later. Each recipient gets one delivery per event —
``source`` is ``<event type>:<event id>``, and the unique ``(source, recipient_ref)`` makes a redelivered
event add nothing. The mail is rendered once, in the first language of the recipient's association the
notifier writes (Finnish by default), with the responsible liaison contact in the footer when one is named;
the deliver job (``sending.py``) sends it. Representatives who unsubscribed (``opt_out``) get none.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from notifier.adapters import rendering
from notifier.adapters.directory import Recipient
from notifier.config import Settings
from notifier.domain.delivery import DeliveryKind, NewDelivery
from notifier.domain.subscriber import digest
from notifier.service_layer.links import unsubscribe_url
from notifier.service_layer.mails import mail_domain
from notifier.service_layer.notices import CONTACT, MORE, words
from notifier.service_layer.texts import text
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.directory import MessageTopic
from shared.observability.logging import get_logger

log = get_logger(__name__)
LANGUAGES = ("fi", "sv", "en")
LOCAL_TIME = ZoneInfo("Europe/Helsinki")
MAX_SLOTS = 20


class Directory(Protocol):
    async def representatives(self, association_id: uuid.UUID, *, topic: MessageTopic) -> list[Recipient]: ...

    async def eligible(
        self, *, topic: MessageTopic, kinds: list[str], fields_of_activity: list[str]
    ) -> list[Recipient]: ...


@dataclass(frozen=True)
class Notice:
    """What to say: a notice of ``notices.NOTICES``, its values, where its link leads, whom to contact."""

    template: str
    link: str
    # A value is the same in every language, or given per language ({"fi": ..., "sv": ..., "en": ...}).
    values: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    contact: str | None = None


def language_of(languages: Iterable[str]) -> str:
    return next((lang for lang in languages if lang in LANGUAGES), "fi")


def local(at: datetime) -> str:
    return at.astimezone(LOCAL_TIME).strftime("%d.%m.%Y %H:%M")


def euros(cents: int) -> str:
    return f"{cents / 100:,.2f} €".replace(",", " ").replace(".", ",")


def slots(times: Sequence[tuple[datetime, datetime]], language: str) -> str:
    """A series as one list: its first ``MAX_SLOTS`` times, then how many more."""
    lines = [f"- {local(s)}–{e.astimezone(LOCAL_TIME).strftime('%H:%M')}" for s, e in sorted(times)[:MAX_SLOTS]]
    if len(times) > MAX_SLOTS:
        lines.append(f"- {MORE[language].format(n=len(times) - MAX_SLOTS)}")
    return "\n".join(lines)


def render(settings: Settings, notice: Notice, language: str, recipient_ref: str) -> rendering.Rendered:
    said = words(notice.template, language)
    values = {k: v if isinstance(v, str) else v.get(language, v["fi"]) for k, v in notice.values.items()}
    return rendering.mail(
        subject=said.subject.format(**values), heading=said.subject.format(**values),
        body_markdown=said.body.format(**values), language=language,
        action_url=notice.link, action_label=said.action,
        footer=f"{text(language, 'notifications_footer')} {text(language, 'footer')}",
        contact=CONTACT[language].format(contact=notice.contact) if notice.contact else None,
        unsubscribe_url=unsubscribe_url(settings, recipient_ref), unsubscribe_label=text(language, "unsubscribe"),
    )  # fmt: skip


async def notify(
    uow: NotifierUnitOfWork, *, settings: Settings, source: str, notice: Notice, recipients: Sequence[Recipient]
) -> int:
    """One delivery per recipient (once, whoever asks again); returns how many were added."""
    unique = list({r.ref: r for r in recipients}.values())
    added = 0
    async with uow:
        opted_out = await uow.opt_outs.opted_out([r.ref for r in unique])
        now, domain = uow.clock(), mail_domain(settings)
        for r in unique:
            if r.ref in opted_out:
                continue
            language = language_of(r.languages)
            mail = render(settings, notice, language, r.ref)
            added += await uow.deliveries.add(
                NewDelivery(
                    source=source, kind=DeliveryKind.NOTIFICATION, recipient_ref=r.ref,
                    recipient_digest=digest(r.email), language=language, subject=mail.subject,
                    text_body=mail.text, html_body=mail.html, address=r.email,
                ),
                domain=domain, now=now,
            )  # fmt: skip
        await uow.commit()
    log.info("notification_made", source=source, template=notice.template, deliveries=added)
    return added


async def notify_representatives(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, source: str, notice: Notice,
    association_id: uuid.UUID, topic: MessageTopic,
) -> int:  # fmt: skip
    """The association's representatives who chose ``topic``; DirectoryUnavailable when it does not answer."""
    recipients = await directory.representatives(association_id, topic=topic)
    return await notify(uow, settings=settings, source=source, notice=notice, recipients=recipients)


async def notify_eligible(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, source: str, notice: Notice,
    topic: MessageTopic, kinds: list[str], fields_of_activity: list[str],
) -> int:  # fmt: skip
    """The representatives of every active association of these kinds and fields who chose ``topic``."""
    recipients = await directory.eligible(topic=topic, kinds=kinds, fields_of_activity=fields_of_activity)
    return await notify(uow, settings=settings, source=source, notice=notice, recipients=recipients)
