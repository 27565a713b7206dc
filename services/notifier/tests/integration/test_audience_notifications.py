"""An event for grantees or partners end to end inside the notifier: a real ``EventScheduled`` on the real
broker, the worker asking grants who is in the audience and the directory where their representatives are
(both stood in for by ``httpx.MockTransport``: ``events.Grants``, ``events.Directory``), the deliveries in real
PostgreSQL and the mails through real SMTP into the catcher. A grants that does not answer makes nothing: the
consumer tries the event again, and it is told once grants is back."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from shared.contracts.calendar import EventAudience, EventKind, EventScheduled
from shared.testing.mail import MailCatcher

from .events import Worker, deliver, deliveries, eventually, publish

pytestmark = pytest.mark.integration


def scheduled(audience: EventAudience) -> EventScheduled:
    return EventScheduled(
        event_id=uuid.uuid4(), kind=EventKind.INFO, title="Käyttöselvitys tutuksi", online=True,
        starts_at=datetime(2027, 3, 2, 15, tzinfo=UTC), ends_at=datetime(2027, 3, 2, 16, tzinfo=UTC),
        facility_id=None, capacity=None, department_code="culture", revision=1, audience=audience,
    )  # fmt: skip


async def test_an_event_for_grantees_reaches_the_grantees_representatives_who_chose_events_once(
    worker: Worker, catcher: MailCatcher
) -> None:
    # 150 grantees: two pages of grants' answer, two questions of 100 and 50 associations to the directory.
    grantees = [uuid.uuid4() for _ in range(150)]
    worker.grants.audiences["grantees"] = [str(g) for g in grantees]
    first, last = worker.directory.add(grantees[0], ["events"]), worker.directory.add(grantees[-1], ["events"], ["sv"])
    grants_only = worker.directory.add(grantees[1], ["grants"])
    partner = uuid.uuid4()
    worker.grants.audiences["partners"] = [str(partner)]
    not_a_grantee = worker.directory.add(partner, ["events"])

    envelope = await publish(worker.exchange, scheduled(EventAudience.GRANTEES))
    await eventually(deliveries(worker, envelope), 2)
    await publish(worker.exchange, envelope)  # redelivered
    await asyncio.sleep(0.3)
    await deliver(worker)
    (to_first,) = catcher.wait_for(1, to=first)
    (to_last,) = catcher.wait_for(1, to=last)
    assert to_first["Subject"] == "Uusi tilaisuus: Käyttöselvitys tutuksi"
    assert to_last["Subject"] == "Nytt evenemang: Käyttöselvitys tutuksi"
    assert catcher.to(grants_only) == [] and catcher.to(not_a_grantee) == []
    assert await deliveries(worker, envelope)() == 2


async def test_an_event_for_partners_waits_for_grants_to_answer(worker: Worker, catcher: MailCatcher) -> None:
    partner = uuid.uuid4()
    worker.grants.audiences["partners"] = [str(partner)]
    rep = worker.directory.add(partner, ["events"])
    worker.grants.down = True
    envelope = await publish(worker.exchange, scheduled(EventAudience.PARTNERS))

    async def asked_again() -> bool:
        return worker.grants.calls >= 2

    await eventually(asked_again, True)  # tried, failed, and retried by the consumer
    assert await deliveries(worker, envelope)() == 0
    assert worker.directory.calls == 0 and catcher.to(rep) == []

    worker.grants.down = False
    await eventually(deliveries(worker, envelope), 1)
    await deliver(worker)
    (mail,) = catcher.wait_for(1, to=rep)
    assert str(envelope.data.event_id) in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
