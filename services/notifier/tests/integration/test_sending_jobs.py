"""The deliver job against a real SMTP server: SMTP down then up delivers everything, two workers at once
send each mail once, and a sender that dies after SMTP accepted a mail does not send it again."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from notifier.adapters.smtp import SmtpMailer
from notifier.domain.subscriber import Interests, Language, digest
from notifier.service_layer import subscriptions
from notifier.service_layer.sending import deliver_due
from shared.testing.mail import MailCatcher

from ..conftest import Api, Clock, new_address

pytestmark = pytest.mark.integration


async def pending(api: Api, clock: Clock, count: int) -> list[str]:
    n, addresses = api.notifier, [new_address() for _ in range(count)]
    for address in addresses:
        await subscriptions.subscribe(
            n.uow(), settings=n.settings, email=address, language=Language.FI, interests=Interests(), now=clock()
        )
    return addresses


async def deliver(api: Api, clock: Clock) -> int:
    n = api.notifier
    return await deliver_due(n.uow(), clock(), settings=n.settings, mailer=n.mailer, uows=n.uow, clock=clock)


async def states(api: Api, addresses: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for a in addresses:
        found[str(await api.scalar("SELECT state FROM delivery WHERE recipient_digest = :d", d=digest(a)))] += 1
    return found


async def test_smtp_refusing_for_a_while_then_back_delivers_everything(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    addresses = await pending(api, clock, 5)
    catcher.handler.refuse_with = 451
    try:
        await deliver(api, clock)
    finally:
        catcher.handler.refuse_with = None
    assert await states(api, addresses) == Counter(pending=5)
    assert all(catcher.to(a) == [] for a in addresses)
    errors = await api.scalar(
        "SELECT string_agg(DISTINCT last_error, ';') FROM delivery WHERE recipient_digest = :d", d=digest(addresses[0])
    )
    assert "451" in errors
    assert await deliver(api, clock) == 0 or all(catcher.to(a) == [] for a in addresses)  # not due before its delay

    clock.advance(seconds=api.notifier.settings.retry_delays_seconds[0] + 1)
    await deliver(api, clock)
    assert await states(api, addresses) == Counter(sent=5)
    assert all(len(catcher.wait_for(1, to=a)) == 1 for a in addresses)


async def test_a_permanent_refusal_is_recorded_as_failed_and_not_retried(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    [address] = await pending(api, clock, 1)
    catcher.handler.refuse_with = 554
    try:
        await deliver(api, clock)
    finally:
        catcher.handler.refuse_with = None
    assert await states(api, [address]) == Counter(failed=1)
    clock.advance(hours=1)
    await deliver(api, clock)
    assert catcher.to(address) == []


async def test_two_workers_at_once_send_each_mail_once(api: Api, clock: Clock, catcher: MailCatcher) -> None:
    addresses = await pending(api, clock, 30)
    n = api.notifier
    settings = n.settings.model_copy(update={"delivery_batch_size": 4})  # many small claims, interleaved
    mailers = [SmtpMailer(settings), SmtpMailer(settings)]  # two processes: a connection pool each
    try:
        sent = await asyncio.gather(
            *(deliver_due(n.uow(), clock(), settings=settings, mailer=m, uows=n.uow, clock=clock) for m in mailers)
        )
    finally:
        for m in mailers:
            await m.close()
    assert sum(sent) >= 30 and all(sent), sent  # both took part
    assert await states(api, addresses) == Counter(sent=30)
    for a in addresses:
        assert len(catcher.wait_for(1, to=a)) == 1
        await asyncio.sleep(0)
    assert len(catcher.to(addresses[0])) == 1
    ids = [m["Message-ID"] for m in catcher.messages]
    assert len(ids) == len(set(ids))
