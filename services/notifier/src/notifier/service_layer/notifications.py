"""Notifications on events: one mail per representative who chose the topic (or to a registration's contact
person, from the calendar), made when the event arrives.

The recipients are resolved then, from the directory or the calendar, and an event's audience from grants
(ADR 0003): a :class:`DirectoryUnavailable`, :class:`CalendarUnavailable` or :class:`GrantsUnavailable` leaves
the use case without effect, so the consumer retries the event later. Each recipient gets one delivery per event —
``source`` is ``<event type>:<event id>``, and the unique ``(source, recipient_ref)`` makes a redelivered
event add nothing. The mail is rendered once, in the first language of the recipient's association the
notifier writes (Finnish by default), with the responsible liaison contact in the footer when one is named;
the deliver job (``sending.py``) sends it. Representatives who unsubscribed (``opt_out``) get none.

A notice that names who is ``responsible`` (its object's ``subject_ref``, its department) gets that liaison
contact from the directory's public liaison directory, asked once per event when there is someone to tell.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from notifier.adapters import rendering
from notifier.adapters.calendar import Registrant, SurveyInvitation
from notifier.adapters.directory import Contact, Recipient
from notifier.config import Settings
from notifier.domain.delivery import DeliveryKind, NewDelivery
from notifier.domain.subscriber import digest
from notifier.service_layer.links import unsubscribe_url
from notifier.service_layer.mails import mail_domain
from notifier.service_layer.notices import CONTACT, MORE, WEEKDAYS, words
from notifier.service_layer.texts import text
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.bookings import SeasonSlot
from shared.contracts.directory import MessageTopic
from shared.observability.logging import get_logger

log = get_logger(__name__)
LANGUAGES = ("fi", "sv", "en")
LOCAL_TIME = ZoneInfo("Europe/Helsinki")
MAX_SLOTS = 20


class Addressee(Protocol):
    """Whom a mail is for: a representative (from the directory) or a registrant (from the calendar)."""

    @property
    def ref(self) -> str: ...

    @property
    def email(self) -> str: ...

    @property
    def languages(self) -> tuple[str, ...]: ...


class Directory(Protocol):
    async def representatives(self, association_id: uuid.UUID, *, topic: MessageTopic) -> list[Recipient]: ...

    async def representatives_of(
        self, association_ids: list[uuid.UUID], *, topic: MessageTopic
    ) -> dict[uuid.UUID, list[Recipient]]: ...

    async def eligible(
        self, *, topic: MessageTopic, kinds: list[str], fields_of_activity: list[str]
    ) -> list[Recipient]: ...

    async def contact(self, *, subject_ref: str | None, department_code: str | None) -> Contact | None: ...


@dataclass(frozen=True)
class Responsible:
    """Whose liaison contact a notice names: the one of its object (``grants:programme:<id>``), else its
    department's, else the liaison coordinator (the directory's order)."""

    subject_ref: str | None = None
    department_code: str | None = None


class Calendar(Protocol):
    async def invitations(self, survey_id: uuid.UUID) -> list[SurveyInvitation]: ...

    async def registrant(self, registration_id: uuid.UUID) -> list[Registrant]: ...


class Grants(Protocol):
    """Who holds a grant and who is a partner, as applicant ids (grants' ``/audiences``)."""

    async def grantees(self) -> list[uuid.UUID]: ...

    async def partners(self) -> list[uuid.UUID]: ...


@dataclass(frozen=True)
class Notice:
    """What to say: a notice of ``notices.NOTICES``, its values, where its link leads, whom to contact."""

    template: str
    link: str
    # A value is the same in every language, or given per language ({"fi": ..., "sv": ..., "en": ...}).
    values: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    contact: str | None = None
    responsible: Responsible | None = None


def language_of(languages: Iterable[str]) -> str:
    return next((lang for lang in languages if lang in LANGUAGES), "fi")


def local(at: datetime) -> str:
    return at.astimezone(LOCAL_TIME).strftime("%d.%m.%Y %H:%M")


def day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def euros(cents: int) -> str:
    return f"{cents / 100:,.2f} €".replace(",", " ").replace(".", ",")


def slots(times: Sequence[tuple[datetime, datetime]], language: str) -> str:
    """A series as one list: its first ``MAX_SLOTS`` times, then how many more."""
    lines = [f"- {local(s)}–{e.astimezone(LOCAL_TIME).strftime('%H:%M')}" for s, e in sorted(times)[:MAX_SLOTS]]
    if len(times) > MAX_SLOTS:
        lines.append(f"- {MORE[language].format(n=len(times) - MAX_SLOTS)}")
    return "\n".join(lines)


def season_slots(slots: Sequence[SeasonSlot], language: str) -> str:
    """A published allocation's weekly slots, one a line: weekday, local time, facility, the season's days."""
    names = WEEKDAYS.get(language, WEEKDAYS["fi"])
    lines = [
        f"- {names.get(s.weekday, s.weekday)} {s.starts}–{s.ends}{f', {s.facility_name}' if s.facility_name else ''}"
        f" ({day(s.first_day)}–{day(s.last_day)})"
        for s in sorted(slots, key=lambda s: (list(names).index(s.weekday) if s.weekday in names else 7, s.starts))
    ]  # fmt: skip
    return "\n".join(lines)


def span(starts_at: datetime, ends_at: datetime) -> str:
    """``12.01.2027 17:00–19:00``, or with the end's date when it ends on another local day."""
    start, end = starts_at.astimezone(LOCAL_TIME), ends_at.astimezone(LOCAL_TIME)
    return f"{local(start)}–{end.strftime('%H:%M') if end.date() == start.date() else local(end)}"


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
    uow: NotifierUnitOfWork, *, settings: Settings, source: str, notice: Notice, recipients: Sequence[Addressee]
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
    return await _tell(uow, settings=settings, directory=directory, source=source, notice=notice, recipients=recipients)


async def notify_eligible(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, source: str, notice: Notice,
    topic: MessageTopic, kinds: list[str], fields_of_activity: list[str],
) -> int:  # fmt: skip
    """The representatives of every active association of these kinds and fields who chose ``topic``."""
    recipients = await directory.eligible(topic=topic, kinds=kinds, fields_of_activity=fields_of_activity)
    return await _tell(uow, settings=settings, directory=directory, source=source, notice=notice, recipients=recipients)


async def notify_associations(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, source: str, notice: Notice,
    association_ids: Sequence[uuid.UUID], topic: MessageTopic,
) -> int:  # fmt: skip
    """The representatives of these associations who chose ``topic`` (the directory is asked 100 at a time and
    answers for active ones only), each once, as ``notify`` makes every delivery."""
    found = await directory.representatives_of(list(association_ids), topic=topic) if association_ids else {}
    recipients = [r for people in found.values() for r in people]
    return await _tell(uow, settings=settings, directory=directory, source=source, notice=notice, recipients=recipients)


async def _tell(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, source: str, notice: Notice,
    recipients: Sequence[Recipient],
) -> int:  # fmt: skip
    """The notice, with its responsible liaison contact, to each representative once."""
    notice = await with_contact(directory, notice, recipients)
    return await notify(uow, settings=settings, source=source, notice=notice, recipients=recipients)


async def notify_registrant(
    uow: NotifierUnitOfWork, *, settings: Settings, calendar: Calendar, source: str, notice: Notice,
    registration_id: uuid.UUID,
) -> int:  # fmt: skip
    """The registration's contact person, in the language they chose; CalendarUnavailable when it does not
    answer. Nobody after erasure."""
    recipients = await calendar.registrant(registration_id)
    return await notify(uow, settings=settings, source=source, notice=notice, recipients=recipients)


async def with_contact(directory: Directory, notice: Notice, recipients: Sequence[Recipient]) -> Notice:
    """The notice with its responsible liaison contact for the footer, when it names one and has readers."""
    if notice.responsible is None or notice.contact is not None or not recipients:
        return notice
    found = await directory.contact(
        subject_ref=notice.responsible.subject_ref, department_code=notice.responsible.department_code
    )
    return replace(notice, contact=found.line()) if found else notice
