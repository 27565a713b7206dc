"""``bookings migrate`` prepares the broker as well as the database (ADR 0016): an event another service
publishes before the bookings worker ever ran reaches bookings' queue, and is not parked for an operator."""

from __future__ import annotations

import uuid

import aio_pika

from bookings.bootstrap import SERVICE
from bookings.config import Settings
from shared.cli import migrate
from shared.contracts.directory import ApplicantKind, AssociationRegistered
from shared.messaging.consumer import queue_of
from shared.messaging.topology import Topology
from shared.testing.broker import publish_event, queue_depth
from shared.testing.fixtures import TEST_JWT_SECRET, Databases
from shared.testing.servers import Servers

from .test_messaging import state

REGISTERED = ApplicantKind.REGISTERED_ASSOCIATION


async def test_migrate_declares_every_queue_so_that_an_early_event_waits_in_it(
    databases: Databases, servers: Servers, module_namespace: str
) -> None:
    settings = Settings(
        database_url=await databases.create(f"migrate_{uuid.uuid4().hex[:8]}"),
        amqp_url=servers.amqp_url,
        namespace=module_namespace,
        jwt_secret=TEST_JWT_SECRET,
    )
    await migrate(SERVICE, settings)
    await migrate(SERVICE, settings)  # again, as every deployment does: nothing changes, nothing fails

    container = SERVICE.bootstrap(settings)
    topology = Topology.of(settings)
    try:
        queues = [queue_of(container, sub) for sub in SERVICE.subscriptions(container)]
    finally:
        await container.close()
    registered = AssociationRegistered(**state(uuid.uuid4(), 1, name="Porin Soutajat ry", kind=REGISTERED))
    connection = await aio_pika.connect(servers.amqp_url)
    async with connection:
        channel = await connection.channel()
        await publish_event(await channel.get_exchange(topology.events_exchange), registered)
        [waiting] = [q for q in queues if q.endswith(".on_association_registered")]
        assert await queue_depth(channel, waiting) == 1
        assert await queue_depth(channel, topology.unrouted) == 0
        for queue in queues:  # each with its dead-letter queue, as the worker would have declared it
            await channel.declare_queue(topology.dead_letter_queue(queue), passive=True)
