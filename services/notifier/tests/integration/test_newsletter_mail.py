"""A newsletter issue fanned out and delivered through real SMTP: one mail per confirmed subscriber in the
segment, in their language, with a signed unsubscribe link and the RFC 8058 one-click headers."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest

from notifier.domain.issue import Issue
from notifier.domain.subscriber import Interests, Language, digest
from notifier.service_layer import subscriptions
from notifier.service_layer.links import confirm_url
from notifier.service_layer.sending import close_sent_issues, fan_out_due_issues
from shared.signing import read_token
from shared.testing.mail import MailCatcher

from ..conftest import Api, Clock, new_address
from .test_confirmation_mail import deliver

pytestmark = pytest.mark.integration


async def confirmed(api: Api, clock: Clock, language: Language = Language.FI, **interests: list[str]) -> str:
    n, address = api.notifier, str(new_address())
    await subscriptions.subscribe(
        n.uow(), settings=n.settings, email=address, language=language, interests=Interests(**interests), now=clock()
    )
    subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(address))
    token = parse_qs(urlsplit(confirm_url(n.settings, f"subscriber:{subscriber_id}", clock())).query)["token"][0]
    await subscriptions.confirm(n.uow(), settings=n.settings, token=token, now=clock())
    return address


async def send_issue(api: Api, clock: Clock, **fields: object) -> Issue:
    n = api.notifier
    issue = Issue(uuid.uuid4(), f"Uutiset {uuid.uuid4().hex[:6]}", "# Hei\n\nUutisia *kaikille*.", "culture", "staff")
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.validate()
    issue.send_now(clock())
    async with n.uow() as uow:
        await uow.issues.add(issue)
        await uow.commit()
    await fan_out_due_issues(n.uow(), clock(), domain="pori.example")
    return issue


async def newsletters(api: Api, catcher: MailCatcher, issue_id: object, address: str) -> list[EmailMessage]:
    """The mails of the issue to ``address``, once they have arrived: found by the Message-IDs of its deliveries
    to that address, so that other issues due at the same time (another test's, the fuzz test's) do not count."""
    ids = await api.scalar(
        "SELECT coalesce(array_agg(message_id), '{}') FROM delivery WHERE issue_id = :i AND recipient_digest = :d",
        i=issue_id,
        d=digest(address),
    )
    deadline = time.monotonic() + 10
    while True:
        found = [m for m in catcher.to(address) if m["Message-ID"] in ids]
        if len(found) >= len(ids) or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.05)


async def test_an_issue_reaches_its_segment_with_one_click_unsubscribe_headers(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    district = f"district-{uuid.uuid4().hex[:6]}"
    finn = await confirmed(api, clock, districts=[district])
    swede = await confirmed(api, clock, Language.SV, districts=[district])
    english = await confirmed(api, clock, Language.EN, districts=[district])  # no English version: Finnish
    elsewhere = await confirmed(api, clock, districts=["other"])
    issue = await send_issue(api, clock, districts=[district], subject_sv="Nyheter", body_sv="Nyheter *för alla*.")
    assert await api.scalar("SELECT recipients FROM newsletter_issue WHERE id = :i", i=issue.id) == 3
    await deliver(api, clock)

    [fi_mail], [sv_mail], [en_mail] = [await newsletters(api, catcher, issue.id, a) for a in (finn, swede, english)]
    assert await newsletters(api, catcher, issue.id, elsewhere) == []
    assert fi_mail["Subject"] == issue.subject_fi and fi_mail["Content-Language"] == "fi"
    assert sv_mail["Subject"] == "Nyheter" and sv_mail["Content-Language"] == "sv"
    assert en_mail["Subject"] == issue.subject_fi and en_mail["Content-Language"] == "en"
    html = sv_mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<em>för alla</em>" in html and "Avsluta prenumerationen" in html and 'lang="sv"' in html

    for address, mail in ((finn, fi_mail), (swede, sv_mail)):
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail["List-Id"] == "Yhdistysuutiset <yhdistysuutiset.pori.example>"
        header = re.fullmatch(r"<(http://notifier/unsubscribe\?token=[^>]+)>", str(mail["List-Unsubscribe"]))
        assert header, mail["List-Unsubscribe"]
        token = parse_qs(urlsplit(header.group(1)).query)["token"][0]
        subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(address))
        key = api.notifier.settings.link_signing_key
        assert read_token(key, "unsubscribe", token) == f"subscriber:{subscriber_id}"
        assert header.group(1) in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert address not in header.group(1)
        message_id = await api.scalar(
            "SELECT message_id FROM delivery WHERE issue_id = :i AND recipient_digest = :d",
            i=issue.id,
            d=digest(address),
        )
        assert mail["Message-ID"] == message_id

    assert await close_sent_issues(api.notifier.uow(), clock()) >= 1
    [sent] = await api.outbox("NewsletterSent", issue_id=str(issue.id))
    assert sent["data"]["recipients"] == 3 and sent["data"]["failed"] == 0
    assert all(a not in str(sent) for a in (finn, swede, english))


async def test_an_unsubscribed_address_is_not_in_the_next_fan_out(api: Api, clock: Clock) -> None:
    kind = f"kind-{uuid.uuid4().hex[:6]}"
    staying, leaving = (
        await confirmed(api, clock, association_kinds=[kind]),
        await confirmed(api, clock, association_kinds=[kind]),
    )
    subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(leaving))
    from notifier.service_layer.links import unsubscribe_url

    n = api.notifier
    token = parse_qs(urlsplit(unsubscribe_url(n.settings, f"subscriber:{subscriber_id}")).query)["token"][0]
    for _ in range(2):
        assert await subscriptions.unsubscribe(n.uow(), settings=n.settings, token=token, now=clock()) == "unsubscribed"
    issue = await send_issue(api, clock, association_kinds=[kind])
    assert await api.scalar("SELECT recipients FROM newsletter_issue WHERE id = :i", i=issue.id) == 1
    assert staying
