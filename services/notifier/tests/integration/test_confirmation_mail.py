"""Subscribing sends the confirmation through real SMTP: the deliver job hands it to the catcher, once, with
the confirmation link in the subscriber's language and a Message-ID that is the delivery's own."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from notifier.domain.subscriber import Interests, Language, digest
from notifier.service_layer import subscriptions
from notifier.service_layer.sending import deliver_due
from shared.signing import read_token
from shared.testing.mail import MailCatcher

from ..conftest import Api, Clock, new_address

pytestmark = pytest.mark.integration


async def subscribe(api: Api, clock: Clock, address: str, language: Language = Language.FI) -> None:
    n = api.notifier
    await subscriptions.subscribe(
        n.uow(), settings=n.settings, email=address, language=language, interests=Interests(["sport"]), now=clock()
    )


async def deliver(api: Api, clock: Clock) -> int:
    n = api.notifier
    return await deliver_due(n.uow(), clock(), settings=n.settings, mailer=n.mailer, uows=n.uow, clock=clock)


def link(body: str, path: str) -> str:
    found = re.search(rf"http://notifier{path}\?token=[^\s\"<]+", body)
    assert found, body
    return found.group(0)


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        (Language.FI, "Vahvista Yhdistysuutisten tilaus"),
        (Language.SV, "Bekräfta din prenumeration på Föreningsnytt"),
        (Language.EN, "Confirm your subscription to Association News"),
    ],
)
async def test_subscribing_sends_one_confirmation_in_the_subscribers_language(
    api: Api, clock: Clock, catcher: MailCatcher, language: Language, subject: str
) -> None:
    address = new_address()
    await subscribe(api, clock, address.upper(), language)
    rows = await api.scalar(
        "SELECT count(*) FROM delivery WHERE recipient_digest = :d AND kind = 'confirmation' AND state = 'pending'",
        d=digest(address),
    )
    assert rows == 1

    assert await deliver(api, clock) >= 1
    [mail] = catcher.wait_for(1, to=address)
    assert mail["Subject"] == subject and mail["Content-Language"] == language.value
    assert mail["To"] == address
    assert "List-Unsubscribe" not in mail  # a confirmation is not list mail: nothing to unsubscribe from yet
    message_id = await api.scalar("SELECT message_id FROM delivery WHERE recipient_digest = :d", d=digest(address))
    assert mail["Message-ID"] == message_id and re.fullmatch(r"<[0-9a-f-]{36}@pori\.example>", message_id)

    text_part = mail.get_body(("plain",))
    html_part = mail.get_body(("html",))
    assert text_part is not None and html_part is not None
    url = link(text_part.get_content(), "/confirm")
    assert url.replace("&", "&amp;") in html_part.get_content() or url in html_part.get_content()
    token = parse_qs(urlsplit(url).query)["token"][0]
    subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(address))
    assert read_token(api.notifier.settings.link_signing_key, "confirm", token, now=clock()) == (
        f"subscriber:{subscriber_id}"
    )
    # Sent is recorded and the address forgotten by the delivery; a second run sends nothing more.
    state = await api.scalar(
        "SELECT state || ':' || (address IS NULL) FROM delivery WHERE message_id = :m", m=message_id
    )
    assert state == "sent:true"
    await deliver(api, clock)
    assert len(catcher.to(address)) == 1


async def test_a_confirmed_address_hears_nothing_and_a_pending_one_gets_a_new_link(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    pending, confirmed = new_address(), new_address()
    for address in (pending, confirmed):
        await subscribe(api, clock, address)
    await deliver(api, clock)
    mail = catcher.wait_for(1, to=confirmed)[0]
    token = parse_qs(urlsplit(link(mail.get_body(("plain",)).get_content(), "/confirm")).query)  # type: ignore[union-attr]
    await subscriptions.confirm(
        api.notifier.uow(), settings=api.notifier.settings, token=token["token"][0], now=clock()
    )

    for address in (pending, confirmed):
        await subscribe(api, clock, address, Language.SV)
    await deliver(api, clock)
    assert len(catcher.wait_for(2, to=pending)) == 2 and catcher.to(pending)[1]["Content-Language"] == "sv"
    assert len(catcher.to(confirmed)) == 1
    language = await api.scalar("SELECT language FROM subscriber WHERE email_digest = :d", d=digest(confirmed))
    assert language == "fi"  # an unconfirmed request does not change a confirmed subscriber's choices


async def test_the_delivery_keeps_no_address_and_the_log_no_person(api: Api, clock: Clock) -> None:
    address = new_address()
    await subscribe(api, clock, address)
    async with api.notifier.engine.connect() as conn:
        row = (
            (await conn.execute(text("SELECT * FROM delivery WHERE recipient_digest = :d"), {"d": digest(address)}))
            .mappings()
            .one()
        )
    assert address not in str({k: v for k, v in row.items() if k not in ("text_body", "html_body")})
