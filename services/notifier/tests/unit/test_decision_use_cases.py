"""Grants' decisions mailed at publication, on the fake unit of work and directory: a decision is not mailed
when made, is mailed as it stands when its round's decisions are published, and once; one arriving after the
publication that covers it is mailed on arrival; a directory that is down leaves the decision waiting."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from notifier.adapters.directory import Contact, DirectoryUnavailable
from notifier.config import Settings
from notifier.domain.grant_decision import GrantDecision, Publication
from notifier.service_layer import decisions
from shared.contracts.directory import MessageTopic

from ..fakes import FakeDirectory, FakeNotifierUnitOfWork

pytestmark = pytest.mark.unit
SETTINGS = Settings(grants_public_url="https://avustukset.example")
T0 = datetime(2027, 4, 1, 9, tzinfo=UTC)
PUBLISHED = Publication("DecisionsPublished:e1", uuid.uuid4())


def decision(
    round_: uuid.UUID, applicant: uuid.UUID, approved: int, minutes: int, app: uuid.UUID | None = None
) -> GrantDecision:
    return GrantDecision(app or uuid.uuid4(), round_, applicant, 300_000, approved, T0 + timedelta(minutes=minutes))


async def test_a_decision_is_mailed_at_publication_as_it_then_stands_and_once() -> None:
    uow, directory, round_, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4(), uuid.uuid4()
    rep = directory.add(club, topics={MessageTopic.GRANTS})
    directory.contacts[f"grants:programme:{PUBLISHED.programme_id}"] = Contact("Pia Ohjelmavastaava", "pia@pori.fi")
    directory.contacts["coordinator"] = Contact("Kaisa Koordinaattori", "kaisa@pori.fi")
    first = decision(round_, club, 100_000, 0)
    await decisions.record_decision(uow, settings=SETTINGS, directory=directory, decision=first)
    changed = decision(round_, club, 250_000, 5, app=first.application_id)
    await decisions.record_decision(uow, settings=SETTINGS, directory=directory, decision=changed)
    assert uow.deliveries.rows == {}

    for _ in range(2):  # the publication redelivered, or a later one of the same round
        await decisions.publish_decisions(
            uow, settings=SETTINGS, directory=directory, publication=PUBLISHED, round_id=round_,
            published_at=T0 + timedelta(hours=1),
        )  # fmt: skip
    ((source, ref), mail), *more = uow.deliveries.rows.items()
    assert more == [] and ref == rep.ref and source == f"DecisionsPublished:e1:{first.application_id}"
    assert "2 500,00 €" in mail.text_body and f"/applications/{first.application_id}" in mail.text_body
    assert "Yhteyshenkilö: Pia Ohjelmavastaava, pia@pori.fi" in mail.text_body  # the programme's, not the coordinator


async def test_a_publication_kept_without_its_programme_names_the_liaison_coordinator() -> None:
    uow, directory, round_, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.GRANTS})
    directory.contacts["coordinator"] = Contact("Kaisa Koordinaattori", "kaisa@pori.fi")
    await decisions.publish_decisions(
        uow, settings=SETTINGS, directory=directory, publication=Publication("DecisionsPublished:e0", None),
        round_id=round_, published_at=T0 + timedelta(minutes=10),
    )  # fmt: skip
    await decisions.record_decision(uow, settings=SETTINGS, directory=directory, decision=decision(round_, club, 0, 1))
    (mail,) = uow.deliveries.rows.values()
    assert "Yhteyshenkilö: Kaisa Koordinaattori, kaisa@pori.fi" in mail.text_body


async def test_a_decision_after_the_publication_that_covers_it_is_mailed_on_arrival() -> None:
    uow, directory, round_, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.GRANTS}, languages=("en",))
    await decisions.publish_decisions(
        uow, settings=SETTINGS, directory=directory, publication=PUBLISHED, round_id=round_,
        published_at=T0 + timedelta(minutes=10),
    )  # fmt: skip
    await decisions.record_decision(uow, settings=SETTINGS, directory=directory, decision=decision(round_, club, 0, 1))
    later = decision(round_, club, 5_000, 20)
    await decisions.record_decision(uow, settings=SETTINGS, directory=directory, decision=later)
    (mail,) = uow.deliveries.rows.values()
    assert mail.subject == "Grant decision"  # the declined one; the later waits for the next publication


async def test_a_directory_down_at_publication_leaves_the_decisions_waiting() -> None:
    uow, directory, round_, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.GRANTS})
    made = decision(round_, club, 1_000, 0)
    await decisions.record_decision(uow, settings=SETTINGS, directory=directory, decision=made)
    directory.down = True
    with pytest.raises(DirectoryUnavailable):
        await decisions.publish_decisions(
            uow, settings=SETTINGS, directory=directory, publication=PUBLISHED, round_id=round_,
            published_at=T0 + timedelta(hours=1),
        )  # fmt: skip
    assert uow.deliveries.rows == {} and uow.commits == 1  # only the recorded decision committed
