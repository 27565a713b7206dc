"""A scratch service for testing the messaging machinery: its own database, names and a probe event; and
the log lines a test writes (``captured``)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aio_pika
import pytest
import pytest_asyncio
import structlog
from aio_pika.abc import AbstractChannel
from faststream.rabbit import RabbitBroker
from sqlalchemy import Column, Integer, Table, Text, select, text
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.config import ServiceSettings
from shared.container import Container, build_container
from shared.contracts.envelope import EventData
from shared.db import new_metadata
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import (
    EventMeta,
    Subscription,
    build_broker,
    declare_container_subscriptions,
    subscribe,
)
from shared.messaging.relay import OutboxRelay, RelayConfig
from shared.messaging.topology import Topology, declare_consumer_queue
from shared.observability.logging import configure_logging
from shared.observability.metrics import Metrics
from shared.testing.fixtures import TEST_JWT_SECRET, Databases
from shared.testing.servers import Servers


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging("captured-test", json=True)
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(out), cache_logger_on_first_use=False)
    logging.getLogger().handlers[0].setStream(out)  # type: ignore[attr-defined]
    yield out
    configure_logging("test", json=True)


class ProbeHappened(EventData):
    """A test-only event; deliberately not in the contract registry."""

    producer = "probe"
    event_type = "ProbeHappened"
    event_version = 1
    n: int


metadata = new_metadata()
effect = Table(
    "probe_effect",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("applied", Integer, nullable=False),
    Column("note", Text),
)


@dataclass
class Scratch:
    """One test's private service: database, names, settings, and its container."""

    url: str
    container: Container[ServiceSettings, UnitOfWork]
    channel: AbstractChannel

    @property
    def engine(self) -> AsyncEngine:
        return self.container.engine

    @property
    def settings(self) -> ServiceSettings:
        return self.container.settings

    @property
    def topology(self) -> Topology:
        return self.container.topology

    def uow(self) -> UnitOfWork:
        return self.container.uow()

    def relay(self, **overrides: Any) -> OutboxRelay:
        options: dict[str, Any] = {
            "database_url": self.url, "amqp_url": self.settings.amqp_url, "topology": self.topology,
            "poll_seconds": 0.2,
        }  # fmt: skip
        config = RelayConfig(**(options | overrides))
        return OutboxRelay(config)

    async def emit(self, count: int, *, commit: bool = True) -> list[uuid.UUID]:
        async with self.uow() as uow:
            ids = [uow.emit(ProbeHappened(n=i)).event_id for i in range(count)]
            if commit:
                await uow.commit()
        return ids

    async def tap(self, name: str = "tap") -> str:
        """A plain quorum queue bound to the probe event, to see exactly what the relay published."""
        queue = f"{self.topology.namespace}.{name}"
        await declare_consumer_queue(self.channel, self.topology, queue, ProbeHappened.routing_key())
        return queue

    async def unpublished(self) -> int:
        async with self.engine.connect() as conn:
            return int(
                (
                    await conn.execute(text("SELECT count(*) FROM outbox_message WHERE published_at IS NULL"))
                ).scalar_one()
            )

    async def effects(self) -> dict[uuid.UUID, int]:
        async with self.engine.connect() as conn:
            return {r.event_id: r.applied for r in await conn.execute(select(effect))}

    @contextlib.asynccontextmanager
    async def running_relay(self, **overrides: Any) -> AsyncIterator[OutboxRelay]:
        relay, stop = self.relay(**overrides), asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            yield relay
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)

    @contextlib.asynccontextmanager
    async def consumer(
        self, handler: ProbeHandler | None = None, *, database_url: str | None = None
    ) -> AsyncIterator[tuple[RabbitBroker, Metrics]]:
        """A consumer of the probe event, on this scratch service's database (or the same through a proxy)."""
        sub = Subscription(ProbeHappened, handler or apply_effect)
        container = self.container
        if database_url is not None:
            settings = self.settings.model_copy(update={"database_url": database_url})
            container = build_container(Container, settings, unit_of_work=UnitOfWork, pre_ping=False)
        await declare_container_subscriptions(container, [sub])
        broker = build_broker(self.settings)
        subscribe(broker, container, sub)
        await broker.start()
        try:
            yield broker, container.metrics
        finally:
            await broker.stop()
            if container is not self.container:
                await container.close()


ProbeHandler = Callable[[UnitOfWork, ProbeHappened, EventMeta], Awaitable[None]]


async def apply_effect(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
    """The handler's effect: one row per event; a second application would show as applied = 2."""
    async with uow:  # joins the consumer's unit of work, like every use case
        await uow.session.execute(
            insert(effect)
            .values(event_id=meta.event_id, applied=1)
            .on_conflict_do_update(index_elements=[effect.c.event_id], set_={"applied": effect.c.applied + 1})
        )
        await uow.commit()


async def wait_until(predicate: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest_asyncio.fixture
async def scratch(databases: Databases, servers: Servers, module_namespace: str) -> AsyncIterator[Scratch]:
    name = uuid.uuid4().hex[:8]
    url = await databases.create(f"msg_{name}")
    settings = ServiceSettings(
        service_name="probe",
        jwt_secret=TEST_JWT_SECRET,
        amqp_url=servers.amqp_url,
        database_url=url,
        namespace=f"{module_namespace}.{name}",  # deleted with the module's names
        delivery_limit=3,
        handler_retry_delays_seconds=[0.05, 0.1, 0.2],
        prefetch_count=20,
        graceful_timeout_seconds=5,
    )
    container = build_container(Container, settings, unit_of_work=UnitOfWork)
    async with container.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    connection = await aio_pika.connect(servers.amqp_url)
    channel = await connection.channel()
    yield Scratch(url, container, channel)
    await connection.close()
    await container.close()
