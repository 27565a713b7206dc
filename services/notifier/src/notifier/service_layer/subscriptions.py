"""Subscribing with double opt-in, confirming, unsubscribing in one click, and preferences (a person's
data is exported and erased in ``privacy``).

The public use cases answer alike whether or not an address is known: ``subscribe`` returns nothing, and
sends a confirmation only where one is due (a confirmed address hears nothing; nobody learns it is there).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from notifier.adapters import rendering
from notifier.config import Settings
from notifier.domain.delivery import DeliveryKind, NewDelivery
from notifier.domain.subscriber import Interests, Language, Subscriber, SubscriberState
from notifier.service_layer.links import CONFIRM, PREFERENCES, UNSUBSCRIBE, confirm_url
from notifier.service_layer.mails import mail_domain
from notifier.service_layer.texts import text
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.errors import InvalidInput, NotFound
from shared.observability.logging import get_logger
from shared.signing import ExpiredToken, InvalidToken, read_token

log = get_logger(__name__)


def _subject(settings: Settings, purpose: str, token: str, now: datetime) -> str:
    try:
        return read_token(settings.link_signing_key, purpose, token, now=now)
    except ExpiredToken:
        raise InvalidInput("This link has expired; subscribe again for a new one.", field="token") from None
    except InvalidToken:
        raise NotFound("No such link.", field="token") from None


def check_link(*, settings: Settings, purpose: str, token: str, now: datetime) -> None:
    """Whether a link is genuine and in time, before a page offers its button: reads nothing, changes nothing."""
    ref = _subject(settings, purpose, token, now)
    if purpose != UNSUBSCRIBE:
        _subscriber_id(ref)


def _subscriber_id(ref: str) -> uuid.UUID:
    kind, _, value = ref.partition(":")
    try:
        if kind == "subscriber":
            return uuid.UUID(value)
    except ValueError:
        pass
    raise NotFound("No such link.", field="token")


async def subscribe(
    uow: NotifierUnitOfWork, *, settings: Settings, email: str, language: Language, interests: Interests, now: datetime
) -> None:
    candidate = Subscriber.new(email, language, interests)
    async with uow:
        s = await uow.subscribers.upsert_pending(candidate)
        if s.state is not SubscriberState.CONFIRMED:
            if s.id != candidate.id:  # someone subscribes the address again: the new choices count
                s.prefer(language, interests)
            n = s.ask_again()
            await uow.subscribers.save(s)
            lang = s.language.value
            rendered = rendering.mail(
                subject=text(lang, "confirm_subject"), heading=text(lang, "confirm_subject"),
                body_markdown=text(lang, "confirm_body").format(hours=settings.confirmation_valid_hours),
                action_url=confirm_url(settings, s.ref, now), action_label=text(lang, "confirm_action"),
                language=lang, footer=text(lang, "footer"),
            )  # fmt: skip
            await uow.deliveries.add(
                NewDelivery(
                    source=f"confirmation:{s.id}:{n}", kind=DeliveryKind.CONFIRMATION, recipient_ref=s.ref,
                    recipient_digest=s.email_digest, language=lang, subject=rendered.subject,
                    text_body=rendered.text, html_body=rendered.html, subscriber_id=s.id,
                ),
                domain=mail_domain(settings), now=now,
            )  # fmt: skip
        await uow.commit()
    log.info("subscription_requested")  # no address, no id: nothing that tells who


async def confirm(uow: NotifierUnitOfWork, *, settings: Settings, token: str, now: datetime) -> Subscriber:
    subscriber_id = _subscriber_id(_subject(settings, CONFIRM, token, now))
    async with uow:
        s = await uow.subscribers.get(subscriber_id, for_update=True)
        if s is None:
            raise NotFound("No such link.", field="token")
        s.confirm(now)
        await uow.subscribers.save(s)
        await uow.commit()
    log.info("subscription_confirmed", subscriber_id=str(s.id))
    return s


async def unsubscribe(uow: NotifierUnitOfWork, *, settings: Settings, token: str, now: datetime) -> str:
    """At once, without login, idempotent: a subscriber stops receiving the newsletter, a representative the
    notifications. An erased subscriber's link still answers unsubscribed."""
    ref = _subject(settings, UNSUBSCRIBE, token, now)
    async with uow:
        if ref.startswith("representative:"):
            await uow.opt_outs.add(ref)
        else:
            s = await uow.subscribers.get(_subscriber_id(ref), for_update=True)
            if s is not None:
                s.unsubscribe(now)
                await uow.subscribers.save(s)
        await uow.commit()
    log.info("unsubscribed", recipient_ref=ref)
    return "unsubscribed"


async def preferences(uow: NotifierUnitOfWork, *, settings: Settings, token: str, now: datetime) -> Subscriber:
    subscriber_id = _subscriber_id(_subject(settings, PREFERENCES, token, now))
    async with uow:
        s = await uow.subscribers.get(subscriber_id)
    if s is None:
        raise NotFound("No such link.", field="token")
    return s


async def change_preferences(
    uow: NotifierUnitOfWork, *, settings: Settings, token: str, language: Language, interests: Interests, now: datetime
) -> Subscriber:
    subscriber_id = _subscriber_id(_subject(settings, PREFERENCES, token, now))
    async with uow:
        s = await uow.subscribers.get(subscriber_id, for_update=True)
        if s is None:
            raise NotFound("No such link.", field="token")
        s.prefer(language, interests)
        await uow.subscribers.save(s)
        await uow.commit()
    return s
