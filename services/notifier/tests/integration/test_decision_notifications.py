"""Grants' decisions reach the applicants when their round's decisions are published, not when they are made,
on the real broker, database and SMTP (the directory stood in for as in ``test_event_notifications``: an
``httpx.MockTransport`` answering ``GET /recipients``; the real contract is in tests/e2e).

A decision changed before publication is mailed as it stands at publication; a decision whose event arrives
after the publication that covers it (they travel in different queues) is mailed on arrival; a decision made
after a publication waits for the next.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.grants import ApplicationDecided, DecisionsPublished
from shared.testing.mail import MailCatcher

from .events import Worker, count, deliver, eventually, publish

pytestmark = pytest.mark.integration


def decided(application: uuid.UUID, round_: uuid.UUID, applicant: uuid.UUID, approved: int, at: datetime) -> Any:
    data = ApplicationDecided(
        application_id=application, round_id=round_, applicant_id=applicant, requested_cents=200_000,
        approved_cents=approved,
    )  # fmt: skip
    return Envelope.wrap(data).model_copy(update={"occurred_at": at})


def published(round_: uuid.UUID, at: datetime, programme: uuid.UUID | None = None) -> Envelope[Any]:
    return Envelope.wrap(
        DecisionsPublished(
            round_id=round_,
            programme_id=programme or uuid.uuid4(),
            year=2027,
            decisions=2,
            granted_cents=1,
            published_at=at,
        )
    )


async def mails(worker: Worker, application: uuid.UUID) -> int:
    return await count(worker, "SELECT count(*) FROM delivery WHERE source LIKE :s", s=f"%:{application}")


async def test_decisions_are_mailed_when_published_as_they_then_stand(worker: Worker, catcher: MailCatcher) -> None:
    round_, t0 = uuid.uuid4(), datetime.now(UTC) - timedelta(hours=1)
    club, other = uuid.uuid4(), uuid.uuid4()
    rep = worker.directory.add(club, ["grants"])
    other_rep = worker.directory.add(other, ["grants"], ["en"])
    a, b = uuid.uuid4(), uuid.uuid4()
    await publish(worker.exchange, decided(a, round_, club, 50_000, t0))
    await publish(worker.exchange, decided(a, round_, club, 120_000, t0 + timedelta(minutes=5)))  # changed
    await publish(worker.exchange, decided(b, round_, other, 0, t0 + timedelta(minutes=1)))

    async def recorded() -> int:
        q = "SELECT count(*) FROM grant_decision WHERE round_id = :r AND approved_cents IN (120000, 0)"
        return await count(worker, q, r=round_)

    await eventually(recorded, 2)
    assert await mails(worker, a) == 0  # not before publication

    await publish(worker.exchange, published(round_, t0 + timedelta(minutes=30)))
    await eventually(lambda: mails(worker, a), 1)
    await eventually(lambda: mails(worker, b), 1)
    await deliver(worker)
    (to_rep,) = catcher.wait_for(1, to=rep)
    (to_other,) = catcher.wait_for(1, to=other_rep)
    assert to_rep["Subject"] == "Avustuspäätös: avustus myönnetty"
    assert "1 200,00 €" in to_rep.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert to_other["Subject"] == "Grant decision"


async def test_a_decision_arriving_after_its_publication_is_mailed_on_arrival_and_a_later_one_waits(
    worker: Worker,
    catcher: MailCatcher,
) -> None:
    round_, t0, programme = uuid.uuid4(), datetime.now(UTC) - timedelta(hours=1), uuid.uuid4()
    club = uuid.uuid4()
    rep = worker.directory.add(club, ["grants"])
    contact = worker.directory.add_liaison("Pia Ohjelmavastaava", "programme_contact",
                                           subject_ref=f"grants:programme:{programme}")  # fmt: skip
    covered, later = uuid.uuid4(), uuid.uuid4()
    await publish(worker.exchange, published(round_, t0 + timedelta(minutes=10), programme))
    await publish(worker.exchange, decided(covered, round_, club, 10_000, t0))
    await eventually(lambda: mails(worker, covered), 1)

    await publish(worker.exchange, decided(later, round_, club, 20_000, t0 + timedelta(minutes=20)))
    await publish(worker.exchange, decided(covered, round_, club, 99_999, t0 + timedelta(minutes=21)))  # too late
    await eventually(lambda: mails(worker, later), 0)
    await deliver(worker)
    (first,) = catcher.wait_for(1, to=rep)
    text = first.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # The publication, kept, named its programme: the late decision's mail names the programme's contact.
    assert "100,00 €" in text and f"Yhteyshenkilö: Pia Ohjelmavastaava, {contact}" in text

    await publish(worker.exchange, published(round_, t0 + timedelta(minutes=30)))
    await eventually(lambda: mails(worker, later), 1)
    await deliver(worker)
    assert len(catcher.wait_for(2, to=rep)) == 2
    assert await mails(worker, covered) == 1
