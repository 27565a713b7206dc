"""Grants keeps its own copy of the directory's applicants from events on the real broker, in any order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import aio_pika
import pytest_asyncio

from grants.bootstrap import subscriptions
from grants.config import Settings
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
)
from shared.contracts.envelope import Envelope, EventData
from shared.messaging.consumer import build_broker, declare_subscriptions, subscribe, topology_of
from shared.observability.metrics import Metrics

from ..conftest import Api


@pytest_asyncio.fixture
async def worker(settings: Settings, api: Api) -> AsyncIterator[aio_pika.abc.AbstractExchange]:
    """The grants worker's consumers running against this run's broker names; yields the events exchange."""
    topology = topology_of(settings)
    await declare_subscriptions(settings.amqp_url, topology, subscriptions())
    broker = build_broker(settings)
    for sub in subscriptions():
        subscribe(broker, topology, api.grants.sessionmaker, sub, Metrics())
    await broker.start()
    connection = await aio_pika.connect(settings.amqp_url)
    channel = await connection.channel()
    yield await channel.get_exchange(topology.events_exchange)
    await connection.close()
    await broker.stop()


async def publish(exchange: aio_pika.abc.AbstractExchange, data: EventData) -> None:
    body = Envelope.wrap(data).model_dump_json().encode()
    await exchange.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), data.routing_key())


def state(applicant_id: uuid.UUID, revision: int, *, name: str, active: bool = True) -> dict[str, object]:
    return {
        "applicant_id": applicant_id,
        "revision": revision,
        "kind": ApplicantKind.REGISTERED_ASSOCIATION,
        "name": name,
        "business_id": None,
        "fields_of_activity": ["culture"],
        "district": None,
        "languages": ["fi"],
        "active": active,
    }


async def copy_of(api: Api, applicant_id: uuid.UUID) -> tuple[str | None, str | None, bool, int] | None:
    async with api.grants.engine.connect() as conn:
        from sqlalchemy import text

        row = (
            await conn.execute(
                text("SELECT kind, name, active, revision FROM applicant WHERE id = :i"), {"i": applicant_id}
            )
        ).first()
    return None if row is None else (row.kind, row.name, row.active, row.revision)


async def eventually(api: Api, applicant_id: uuid.UUID, expected: tuple[str | None, str | None, bool, int]) -> None:
    for _ in range(200):
        if await copy_of(api, applicant_id) == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await copy_of(api, applicant_id)} != {expected}")


async def test_registered_then_updated_then_deactivated(worker: aio_pika.abc.AbstractExchange, api: Api) -> None:
    applicant_id = uuid.uuid4()
    await publish(worker, AssociationRegistered(**state(applicant_id, 1, name="Porin Kuoro ry")))
    await eventually(api, applicant_id, ("registered_association", "Porin Kuoro ry", True, 1))
    await publish(worker, AssociationUpdated(**state(applicant_id, 2, name="Porin Sekakuoro ry")))
    await eventually(api, applicant_id, ("registered_association", "Porin Sekakuoro ry", True, 2))
    await publish(worker, AssociationDeactivated(applicant_id=applicant_id, revision=3))
    await eventually(api, applicant_id, ("registered_association", "Porin Sekakuoro ry", False, 3))


async def test_events_arriving_out_of_order_end_in_the_newest_state(
    worker: aio_pika.abc.AbstractExchange, api: Api
) -> None:
    applicant_id = uuid.uuid4()
    # The deactivation overtakes the registration (they travel on different queues).
    await publish(worker, AssociationDeactivated(applicant_id=applicant_id, revision=2))
    await eventually(api, applicant_id, (None, None, False, 2))
    await publish(worker, AssociationRegistered(**state(applicant_id, 1, name="Vanha Seura ry")))
    await eventually(api, applicant_id, ("registered_association", "Vanha Seura ry", False, 2))
    # An old update arriving late changes nothing.
    await publish(worker, AssociationUpdated(**state(applicant_id, 1, name="Vanhentunut nimi ry")))
    await asyncio.sleep(0.5)
    assert await copy_of(api, applicant_id) == ("registered_association", "Vanha Seura ry", False, 2)


async def test_departments_are_copied(worker: aio_pika.abc.AbstractExchange, api: Api) -> None:
    department_id = uuid.uuid4()
    await publish(
        worker, DepartmentRegistered(department_id=department_id, code=f"d-{department_id.hex[:6]}", name="Sivistys")
    )
    for _ in range(200):
        if await api.scalar("SELECT name FROM department WHERE id = :i", i=department_id) == "Sivistys":
            return
        await asyncio.sleep(0.05)
    raise AssertionError("department not copied")


async def test_a_redelivered_directory_event_changes_nothing(worker: aio_pika.abc.AbstractExchange, api: Api) -> None:
    applicant_id = uuid.uuid4()
    envelope = Envelope.wrap(AssociationRegistered(**state(applicant_id, 1, name="Kahdesti Tullut ry")))
    message = envelope.model_dump_json().encode()
    for _ in range(2):  # the same event twice, as a redelivery brings it
        await worker.publish(
            aio_pika.Message(message, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), envelope.data.routing_key()
        )
    await eventually(api, applicant_id, ("registered_association", "Kahdesti Tullut ry", True, 1))
    for _ in range(100):
        if await api.scalar("SELECT count(*) FROM inbox_message WHERE event_id = :e", e=envelope.event_id) == 1:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    assert await api.scalar("SELECT count(*) FROM inbox_message WHERE event_id = :e", e=envelope.event_id) == 1
