"""Bookings on the real broker: the directory's and grants' events reach the worker's subscribers and end in
bookings' copies (a redelivery has no second effect), and bookings' own events leave through the outbox relay
with their routing keys ``bookings.<Event>.v1``.

The worker runs on the app's own container (this run's names), as ``grants``' ``test_directory_copy`` does.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any

import aio_pika
import pytest
import pytest_asyncio
from sqlalchemy import text

from bookings.bootstrap import subscriptions
from shared.contracts.bookings import BookingCancelled, BookingConfirmed, BookingRequested
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
    LiaisonAssigned,
    LiaisonKind,
    LiaisonUnassigned,
)
from shared.contracts.envelope import Envelope
from shared.contracts.grants import PartnershipAgreementEnded, PartnershipAgreementSigned, PremisesTerms
from shared.messaging.relay import OutboxRelay
from shared.messaging.topology import declare_consumer_queue
from shared.runtime import relay_config
from shared.testing.broker import publish_event, running_consumers

from ..conftest import Api

pytestmark = pytest.mark.integration
Row = tuple[Any, ...] | None
Exchange = aio_pika.abc.AbstractExchange


@pytest_asyncio.fixture
async def worker(api: Api) -> AsyncIterator[Exchange]:
    """The bookings worker's consumers while the test runs; yields the events exchange to publish on."""
    async with running_consumers(api.bookings, subscriptions(api.bookings)) as exchange:
        yield exchange


publish = publish_event


async def scalar(api: Api, sql: str, **params: Any) -> Any:
    async with api.bookings.engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def row(api: Api, sql: str, id_: uuid.UUID) -> Row:
    async with api.bookings.engine.connect() as conn:
        found = (await conn.execute(text(sql), {"i": id_})).first()
    return None if found is None else tuple(found)


async def eventually(read: Callable[[], Awaitable[Any]], expected: Any, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if await read() == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await read()!r} != {expected!r}")


def applicant(api: Api, id_: uuid.UUID) -> Callable[[], Awaitable[Row]]:
    return lambda: row(api, "SELECT kind, name, active, revision FROM applicant WHERE id = :i", id_)


def partnership(api: Api, id_: uuid.UUID) -> Callable[[], Awaitable[Row]]:
    return lambda: row(api, "SELECT department_code, free_premises, ended_on FROM partnership WHERE id = :i", id_)


def liaison(api: Api, id_: uuid.UUID) -> Callable[[], Awaitable[Row]]:
    return lambda: row(api, "SELECT kind, department_id, assigned FROM liaison_contact WHERE id = :i", id_)


def signed(agreement: uuid.UUID, partner: uuid.UUID, department: str) -> PartnershipAgreementSigned:
    """Signed for 2027–2028 with free use of all the department's premises."""
    return PartnershipAgreementSigned(
        agreement_id=agreement,
        applicant_id=partner,
        department_code=department,
        starts_on=date(2027, 1, 1),
        ends_on=date(2028, 12, 31),
        premises=PremisesTerms(free_use=True),
    )


def inbox_count(api: Api, envelope: Envelope[Any]) -> Callable[[], Awaitable[Any]]:
    return lambda: scalar(api, "SELECT count(*) FROM inbox_message WHERE event_id = :e", e=envelope.event_id)


def state(applicant_id: uuid.UUID, revision: int, *, name: str | None, kind: ApplicantKind) -> dict[str, Any]:
    return {
        "applicant_id": applicant_id, "revision": revision, "kind": kind, "name": name, "business_id": None,
        "fields_of_activity": ["culture"], "district": None, "languages": ["fi"], "active": True,
    }  # fmt: skip


# -- the directory ----------------------------------------------------------------------------------------------
async def test_an_association_is_copied_updated_deactivated_and_reactivated(worker: Exchange, api: Api) -> None:
    club = uuid.uuid4()
    kind = ApplicantKind.REGISTERED_ASSOCIATION
    await publish(worker, AssociationRegistered(**state(club, 1, name="Porin Kuoro ry", kind=kind)))
    await eventually(applicant(api, club), ("registered_association", "Porin Kuoro ry", True, 1))
    await publish(worker, AssociationUpdated(**state(club, 2, name="Porin Sekakuoro ry", kind=kind)))
    await eventually(applicant(api, club), ("registered_association", "Porin Sekakuoro ry", True, 2))
    await publish(worker, AssociationDeactivated(applicant_id=club, revision=3))
    await eventually(applicant(api, club), ("registered_association", "Porin Sekakuoro ry", False, 3))

    facility = await api.facility()
    refused = await api.book(facility, club)  # a deactivated association cannot book
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "applicant_id"
    await publish(worker, AssociationReactivated(applicant_id=club, revision=4))
    await eventually(applicant(api, club), ("registered_association", "Porin Sekakuoro ry", True, 4))
    assert (await api.book(facility, club)).status_code == 201


async def test_a_private_persons_name_is_never_kept(worker: Exchange, api: Api) -> None:
    person = uuid.uuid4()
    await publish(worker, AssociationRegistered(**state(person, 1, name="Pirjo", kind=ApplicantKind.PRIVATE_PERSON)))
    await eventually(applicant(api, person), ("private_person", None, True, 1))


async def test_a_redelivered_event_has_no_second_effect(worker: Exchange, api: Api) -> None:
    club = uuid.uuid4()
    kind = ApplicantKind.REGISTERED_ASSOCIATION
    first = await publish(worker, AssociationRegistered(**state(club, 1, name="Kahdesti ry", kind=kind)))
    await eventually(applicant(api, club), ("registered_association", "Kahdesti ry", True, 1))
    await publish(worker, AssociationUpdated(**state(club, 2, name="Uusi Nimi ry", kind=kind)))
    await eventually(applicant(api, club), ("registered_association", "Uusi Nimi ry", True, 2))
    await publish(worker, first)  # the registration again, as a redelivery brings it
    await eventually(inbox_count(api, first), 1)
    await asyncio.sleep(0.5)
    assert await inbox_count(api, first)() == 1
    assert await applicant(api, club)() == ("registered_association", "Uusi Nimi ry", True, 2)


async def test_departments_and_facility_contacts_are_copied(worker: Exchange, api: Api) -> None:
    department_id, contact = uuid.uuid4(), uuid.uuid4()
    code = f"d-{department_id.hex[:6]}"
    await publish(worker, DepartmentRegistered(department_id=department_id, code=code, name="Kulttuuri"))
    await eventually(lambda: scalar(api, "SELECT code FROM department WHERE id = :i", i=department_id), code)
    assigned = LiaisonAssigned(
        liaison_id=contact, kind=LiaisonKind.FACILITY_CONTACT, department_id=department_id, subject_ref=None
    )
    await publish(worker, assigned)
    contact_row = liaison(api, contact)
    await eventually(contact_row, ("facility_contact", department_id, True))
    named = await api.facility(code, contact_id=str(contact))  # the copy lets staff name the contact
    assert named["contact_id"] == str(contact)
    await publish(worker, LiaisonUnassigned(liaison_id=contact))
    await eventually(contact_row, ("facility_contact", department_id, False))


# -- grants' partnerships ---------------------------------------------------------------------------------------
async def test_a_signed_partnership_makes_use_free_and_its_end_stops_it(worker: Exchange, api: Api) -> None:
    department = await api.department()
    facility = await api.facility(department)
    partner, agreement = await api.association(), uuid.uuid4()
    first = await publish(worker, signed(agreement, partner, department))
    copied = partnership(api, agreement)
    await eventually(copied, (department, True, None))
    free = await api.book(facility, partner)
    assert free.status_code == 201 and free.json()["free_use_reason"] == "partnership", free.text

    await publish(
        worker, PartnershipAgreementEnded(agreement_id=agreement, applicant_id=partner, ended_on=date(2027, 9, 30))
    )
    await eventually(copied, (department, True, date(2027, 9, 30)))
    await publish(worker, first)  # redelivered after the end: the end is kept
    await eventually(inbox_count(api, first), 1)
    await asyncio.sleep(0.5)
    assert await copied() == (department, True, date(2027, 9, 30)) and await inbox_count(api, first)() == 1
    paid = await api.book(facility, partner, starts_at="2027-10-05T18:00", ends_at="2027-10-05T20:00")
    assert paid.status_code == 201 and paid.json()["price_cents"] == 4000


async def test_an_end_overtaking_its_signature_is_not_lost(worker: Exchange, api: Api) -> None:
    department, partner, agreement = await api.department(), await api.association(), uuid.uuid4()
    await publish(
        worker, PartnershipAgreementEnded(agreement_id=agreement, applicant_id=partner, ended_on=date(2027, 6, 30))
    )
    copied = partnership(api, agreement)
    await eventually(copied, (None, False, date(2027, 6, 30)))
    await publish(worker, signed(agreement, partner, department))
    await eventually(copied, (department, True, date(2027, 6, 30)))


# -- bookings' own events ---------------------------------------------------------------------------------------
async def test_bookings_events_leave_through_the_relay_with_their_routing_keys(api: Api) -> None:
    container = api.bookings
    contracts = (BookingRequested, BookingConfirmed, BookingCancelled)
    assert [c.routing_key() for c in contracts] == [
        "bookings.BookingRequested.v1", "bookings.BookingConfirmed.v1", "bookings.BookingCancelled.v1",
    ]  # fmt: skip
    department = await api.department()
    facility, club = await api.facility(department), await api.association()
    connection = await aio_pika.connect(container.settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        taps = {}
        for contract in contracts:
            taps[contract.routing_key()] = f"{container.topology.namespace}.tap-{uuid.uuid4().hex[:6]}"
            await declare_consumer_queue(
                channel, container.topology, taps[contract.routing_key()], contract.routing_key()
            )
        made = await api.book(facility, club)
        assert made.status_code == 201, made.text
        booking_id, staff = made.json()["id"], api.tokens.staff(department)
        assert (await api.client.post(f"/bookings/{booking_id}/confirm", headers=staff)).status_code == 200
        cancelled = await api.client.post(f"/bookings/{booking_id}/cancel", json={"reason": "Remontti."}, headers=staff)
        assert cancelled.status_code == 200, cancelled.text

        relay, stop = OutboxRelay(relay_config(container)), asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            received = {key: await _take(channel, queue, booking_id) for key, queue in taps.items()}
        finally:
            stop.set()
            await task
    for key, message in received.items():
        assert message is not None, f"nothing on {key}"
        assert message.routing_key == key and message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        body = json.loads(message.body)
        assert body["producer"] == "bookings" and message.message_id == body["event_id"]
        assert body["data"]["booking_id"] == booking_id
    assert json.loads(received["bookings.BookingCancelled.v1"].body)["data"]["whole"] is True


async def _take(channel: aio_pika.abc.AbstractChannel, queue: str, booking_id: str) -> Any:
    """The message of this booking on ``queue`` (other tests' bookings may travel too), or None after 10 s."""
    q = await channel.get_queue(queue, ensure=False)
    for _ in range(200):
        message = await q.get(no_ack=True, fail=False)
        if message is None:
            await asyncio.sleep(0.05)
        elif json.loads(message.body)["data"]["booking_id"] == booking_id:
            return message
    return None
