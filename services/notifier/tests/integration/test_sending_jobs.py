"""The deliver job against a real SMTP server: SMTP down then up delivers everything, two workers at once
send each mail once, and a sender that dies after SMTP accepted a mail does not send it again."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from notifier.adapters.mime import Outgoing
from notifier.adapters.smtp import SentLog, SmtpMailer
from notifier.config import Settings
from notifier.domain.delivery import DeliveryKind, NewDelivery
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


async def test_smtp_not_listening_then_back_delivers_everything(api: Api, clock: Clock, catcher: MailCatcher) -> None:
    addresses = await pending(api, clock, 3)
    n = api.notifier
    with socket.socket() as free:  # a port nobody listens on: the SMTP server is down
        free.bind(("127.0.0.1", 0))
        down = SmtpMailer(n.settings.model_copy(update={"smtp_port": free.getsockname()[1]}))
    await deliver_due(n.uow(), clock(), settings=n.settings, mailer=down, uows=n.uow, clock=clock)
    await down.close()
    assert await states(api, addresses) == Counter(pending=3)
    error = await api.scalar("SELECT last_error FROM delivery WHERE recipient_digest = :d", d=digest(addresses[0]))
    assert error.startswith("cannot connect")

    clock.advance(seconds=n.settings.retry_delays_seconds[0] + 1)
    await deliver(api, clock)
    assert await states(api, addresses) == Counter(sent=3)
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


class Crash(BaseException):
    """The process is killed: nothing after it runs (not even the recording of what was sent)."""


class DiesAfterSmtpAccepts(SmtpMailer):
    """Sends for real, and dies right after the server accepted the mail to ``victim``."""

    def __init__(self, settings: Settings, victim: str) -> None:
        super().__init__(settings)
        self.victim = victim

    async def send(self, mail: Outgoing, *, handing_over: Callable[[], Awaitable[None]] | None = None) -> None:
        await super().send(mail, handing_over=handing_over)
        if mail.recipient == self.victim:
            raise Crash


def catcher_log(catcher: MailCatcher) -> SentLog:
    async def accepted(message_id: str) -> bool:
        return any(m["Message-ID"] == message_id for m in catcher.messages)

    return accepted


async def die_after_acceptance(api: Api, clock: Clock, address: str) -> None:
    settings = api.notifier.settings.model_copy(update={"delivery_batch_size": 1})
    dying = DiesAfterSmtpAccepts(settings, address)
    try:
        with pytest.raises(Crash):
            for _ in range(100):  # whatever else is due goes first, one a claim
                await deliver_due(api.notifier.uow(), clock(), settings=settings, mailer=dying, uows=api.notifier.uow)
    finally:
        await dying.close()
    assert await states(api, [address]) == Counter(sending=1)


@pytest.mark.parametrize("sent_log", [True, False], ids=["checked-in-the-sent-log", "no-log-to-ask"])
async def test_a_crash_after_smtp_accepted_sends_no_second_copy_on_resume(
    api: Api, clock: Clock, catcher: MailCatcher, sent_log: bool
) -> None:
    [address] = await pending(api, clock, 1)
    await die_after_acceptance(api, clock, address)
    assert len(catcher.wait_for(1, to=address)) == 1

    clock.advance(seconds=api.notifier.settings.delivery_lease_seconds + 1)  # the dead sender's lease runs out
    n = api.notifier
    resumed = SmtpMailer(n.settings, sent_log=catcher_log(catcher) if sent_log else None)
    try:
        await deliver_due(n.uow(), clock(), settings=n.settings, mailer=resumed, uows=n.uow, clock=clock)
    finally:
        await resumed.close()
    catcher.wait_for(2, to=address, timeout=0.5)
    assert len(catcher.to(address)) == 1
    row = await api.scalar(
        "SELECT state || ':' || coalesce(last_error, '') FROM delivery WHERE recipient_digest = :d", d=digest(address)
    )
    assert row == ("sent:" if sent_log else "failed:in doubt: handed to SMTP by a sender that stopped; not resent")


async def test_a_claim_whose_sender_died_before_handing_it_over_is_sent_once_on_resume(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    [address] = await pending(api, clock, 1)
    n = api.notifier
    async with n.uow() as uow:  # claimed, and the sender died before it reached this mail
        claimed = await uow.deliveries.claim(clock(), limit=10_000, lease=timedelta(seconds=60))
        await uow.commit()
    assert digest(address) in {
        await api.scalar("SELECT recipient_digest FROM delivery WHERE id = :i", i=d.id) for d in claimed
    }
    clock.advance(seconds=61)
    await deliver(api, clock)
    assert len(catcher.wait_for(1, to=address)) == 1
    assert await states(api, [address]) == Counter(sent=1)


async def test_a_mail_in_doubt_that_never_arrived_is_sent_after_the_check(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    [address] = await pending(api, clock, 1)
    n = api.notifier
    async with n.uow() as uow:  # handed over, and the connection died with the process before the server had it
        for d in await uow.deliveries.claim(clock(), limit=10_000, lease=timedelta(seconds=60)):
            await uow.deliveries.mark_handed_over(d.id, clock())
        await uow.commit()
    clock.advance(seconds=61)
    checked = SmtpMailer(n.settings, sent_log=catcher_log(catcher))
    try:
        await deliver_due(n.uow(), clock(), settings=n.settings, mailer=checked, uows=n.uow, clock=clock)
    finally:
        await checked.close()
    assert len(catcher.wait_for(1, to=address)) == 1
    assert await states(api, [address]) == Counter(sent=1)


async def test_only_the_mails_at_the_server_are_in_doubt_when_a_sender_dies(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    addresses = await pending(api, clock, 20)
    n = api.notifier
    settings = n.settings.model_copy(update={"delivery_batch_size": 500})

    async def stuck(server: object, session: object, envelope: object) -> str:  # the server never answers DATA
        await asyncio.sleep(3)
        return "451 Too slow"

    catcher.handler.handle_DATA = stuck  # type: ignore[method-assign]
    mailer = SmtpMailer(settings)
    try:
        sender = asyncio.create_task(
            deliver_due(n.uow(), clock(), settings=settings, mailer=mailer, uows=n.uow, clock=clock)
        )
        await asyncio.sleep(1.5)
        sender.cancel()  # the process dies with a whole claim in hand
        with pytest.raises(asyncio.CancelledError):
            await sender
    finally:
        del catcher.handler.handle_DATA
        await asyncio.sleep(2)
    found = await states(api, addresses)
    assert found == Counter(sending=20)
    in_doubt = await api.scalar(
        "SELECT count(*) FROM delivery WHERE state = 'sending' AND handed_over_at IS NOT NULL AND recipient_digest"
        " = ANY(:d)",
        d=[digest(a) for a in addresses],
    )
    assert 1 <= in_doubt <= settings.smtp_connections
    clock.advance(seconds=settings.delivery_lease_seconds + 1)
    await deliver(api, clock)
    assert await states(api, addresses) == Counter(sent=20 - in_doubt, failed=in_doubt)


async def test_a_mail_whose_headers_cannot_be_built_fails_alone(api: Api, clock: Clock, catcher: MailCatcher) -> None:
    addresses, bad = await pending(api, clock, 2), new_address()
    async with api.notifier.uow() as uow:
        await uow.deliveries.add(
            NewDelivery(
                source=f"test:{uuid.uuid4()}", kind=DeliveryKind.TEST, recipient_ref="staff:someone",
                recipient_digest=digest(bad), language="fi", subject="Otsikko\nBcc: other@example.org",
                text_body="x", html_body="<p>x</p>", address=bad,
            ),
            domain="pori.example", now=clock(),
        )  # fmt: skip
        await uow.commit()
    await deliver(api, clock)
    assert await states(api, [bad]) == Counter(failed=1)
    assert await states(api, addresses) == Counter(sent=2)
    assert catcher.to(bad) == []


async def test_a_mailbox_refused_for_good_fails_alone_and_is_announced_with_ids_only(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    refused, fine = await pending(api, clock, 2)
    catcher.handler.refuse_recipients[refused] = 550
    try:
        await deliver(api, clock)
    finally:
        del catcher.handler.refuse_recipients[refused]
    assert await states(api, [refused]) == Counter(failed=1)
    assert await states(api, [fine]) == Counter(sent=1)
    assert catcher.to(refused) == [] and len(catcher.wait_for(1, to=fine)) == 1
    delivery_id = await api.scalar("SELECT id FROM delivery WHERE recipient_digest = :d", d=digest(refused))
    subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(refused))
    [failed] = await api.outbox("NotificationFailed", delivery_id=str(delivery_id))
    data = failed["data"]
    assert data["reason"] == "refused" and data["smtp_code"] == 550 and data["kind"] == "confirmation"
    assert data["recipient_kind"] == "subscriber" and data["recipient_id"] == str(subscriber_id)
    assert data["issue_id"] is None and data["source_event_id"] is None
    assert refused not in str(failed) and refused.split("@")[0] not in str(failed)
    fine_id = await api.scalar("SELECT id FROM delivery WHERE recipient_digest = :d", d=digest(fine))
    assert await api.outbox("NotificationFailed", delivery_id=str(fine_id)) == []


async def test_temporary_failures_past_the_last_retry_fail_for_good_and_are_announced(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    [address] = await pending(api, clock, 1)
    delivery_id = await api.scalar("SELECT id FROM delivery WHERE recipient_digest = :d", d=digest(address))
    catcher.handler.refuse_recipients[address] = 450
    try:
        for delay in [0, *api.notifier.settings.retry_delays_seconds]:  # the first try, then each retry
            clock.advance(seconds=delay + 1)
            assert await api.outbox("NotificationFailed", delivery_id=str(delivery_id)) == []
            await deliver(api, clock)
    finally:
        del catcher.handler.refuse_recipients[address]
    assert await states(api, [address]) == Counter(failed=1)
    [failed] = await api.outbox("NotificationFailed", delivery_id=str(delivery_id))
    assert failed["data"]["reason"] == "retries_exhausted" and failed["data"]["smtp_code"] == 450
    assert failed["data"]["attempts"] == 1 + len(api.notifier.settings.retry_delays_seconds)
    clock.advance(hours=1)
    await deliver(api, clock)
    assert catcher.to(address) == []
