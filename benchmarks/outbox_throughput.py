"""Outbox → RabbitMQ → inbox: throughput and latency of our messaging path beside raw aio-pika baselines.

    .venv/bin/python benchmarks/outbox_throughput.py [--events N] [--rounds R] [--history ROWS]

Everything runs against the servers named by ``DATABASE_URL`` / ``AMQP_URL`` (the ServiceSettings defaults:
PostgreSQL at 127.0.0.1:5432, RabbitMQ at 127.0.0.1:5672), in a fresh database ``bench_<run>`` and under the
name prefix ``bench<run>.``; both are removed at the end. Roles run as in deployment, each in its own process
(relays, consumers, the writer of the end-to-end figures); this process times them by polling the database and
reports each role's CPU time per message beside its rate. With ``--history ROWS`` every figure is measured
again after both tables got that many old rows (``outbox_history.py``), and printed beside the one without.
Figures, not assertions: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import multiprocessing as mp
import os
import signal
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from multiprocessing import spawn
from typing import Any

import aio_pika
import asyncpg
import structlog
from sqlalchemy import Column, DateTime, Insert, Integer, Table, bindparam, text
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.config import ServiceSettings
from shared.container import Container, build_container
from shared.contracts.envelope import Envelope, EventData
from shared.db import create_engine, drop_database, ensure_database, new_metadata
from shared.db.engine import asyncpg_dsn
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import EventMeta, Subscription, build_broker, declare_subscriptions, subscribe
from shared.messaging.relay import OutboxRelay, RelayConfig
from shared.messaging.topology import QUORUM, Topology
from shared.observability.logging import configure_logging

RAW_IN_FLIGHT, RAW_PREFETCH, PER_TX, POLL = 100, 100, 100, 0.02
# Children fork from a server that has imported this module once: they start in milliseconds, not seconds.
MP = mp.get_context("forkserver")


def _preparation_data(name: str, _original: Callable[[str], dict[str, Any]] = spawn.get_preparation_data) -> Any:
    """CPython 3.11's forkserver keeps only the keys ``main_path`` and ``sys_path`` of this data, which names the
    script ``init_main_from_path``: ``preload=["__main__"]`` silently did nothing and every child imported this
    script again (2-3 s each here). Supplying the key makes the preload work; harmless where it is fixed."""
    data = _original(name)
    if "init_main_from_path" in data:
        data.setdefault("main_path", data["init_main_from_path"])
    return data


class BenchHappened(EventData):
    """A benchmark-only event; deliberately not in the contract registry."""

    producer = "bench"
    event_type = "BenchHappened"
    event_version = 1
    n: int


metadata = new_metadata()
effect = Table(  # the handler's effect; applied_at is when the handler ran, inside its batch's transaction
    "bench_effect",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=text("clock_timestamp()")),
)


raw_effect = Table(  # the raw latency baseline's effect: one row per message, applied_at when it was inserted
    "bench_raw_effect",
    metadata,
    Column("n", Integer, primary_key=True),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=text("clock_timestamp()")),
)


@functools.cache
def _apply() -> Insert:
    """Built once, as a service's repository builds its fixed statements (``shared.db.statements``)."""
    return insert(effect).values(event_id=bindparam("event_id"))


async def apply_effect(uow: UnitOfWork, event: BenchHappened, meta: EventMeta) -> None:
    async with uow:  # joins the consumer's unit of work, as a service's use case does
        await uow.session.execute(_apply(), {"event_id": meta.event_id})
        await uow.commit()


SUBSCRIPTION = Subscription(BenchHappened, apply_effect)


@dataclass(frozen=True)
class Env:
    """One run's names and settings; picklable, so child processes get it too."""

    url: str
    amqp_url: str
    namespace: str
    prefetch: int
    batch_size: int
    log_level: str
    timeout: float  # per phase
    window: int = 2  # relay batches in flight
    history_last_id: int | None = None  # with history: the outbox rows up to this id are the history's

    def settings(self) -> ServiceSettings:
        return ServiceSettings(
            service_name=SERVICE,
            database_url=self.url,
            amqp_url=self.amqp_url,
            namespace=self.namespace,
            prefetch_count=self.prefetch,
        )

    @property
    def raw_latency_queue(self) -> str:
        return f"{self.namespace}.raw-latency"

    def topology(self) -> Topology:
        return Topology.of(self.settings())

    def container(self, **overrides: Any) -> Container[ServiceSettings, UnitOfWork]:
        """The container a service's worker runs on (``bootstrap(settings, pre_ping=False)``)."""
        return build_container(Container, self.settings(), unit_of_work=UnitOfWork, pre_ping=False, **overrides)


def setup_logging(level: str) -> None:
    """Production logging (JSON through structlog), written to /dev/null: its CPU cost stays in the figures."""
    configure_logging("bench", json=True, level=level)
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(open(os.devnull, "w")))  # noqa: SIM115


async def write_events(engine: AsyncEngine, n: int, per_tx: int = PER_TX) -> None:
    for start in range(0, n, per_tx):
        async with UnitOfWork(engine) as uow:
            for i in range(start, min(n, start + per_tx)):
                uow.emit(BenchHappened(n=i))
            await uow.commit()


# -- child processes: one per relay, consumer or writer, as deployed ---------------------------------------
async def _until(event: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not event.is_set():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def relay_role(env: Env, ready: Any, go: Any, stop: Any) -> None:
    config = RelayConfig(
        database_url=env.url,
        amqp_url=env.amqp_url,
        topology=env.topology(),
        batch_size=env.batch_size,
        window=env.window,
    )
    relay, halt = OutboxRelay(config), asyncio.Event()
    ready.set()
    if not await _until(go, env.timeout):
        return
    task = asyncio.create_task(relay.run(halt))
    await _until(stop, 2 * env.timeout)
    halt.set()
    await asyncio.wait_for(task, 15)


async def writer_role(env: Env, ready: Any, go: Any, stop: Any, n: int, rate: float | None = None) -> None:
    """Write ``n`` events, ``PER_TX`` per transaction as fast as it can, or one per transaction at ``rate``/s."""
    engine = create_engine(env.url, pool_size=2)
    async with engine.connect() as conn:  # open the pool before the clock starts
        await conn.execute(text("SELECT 1"))
    ready.set()
    if await _until(go, env.timeout):
        if rate is None:
            await write_events(engine, n)
        else:
            loop, start = asyncio.get_running_loop(), asyncio.get_running_loop().time()
            for i in range(n):
                if (delay := start + i / rate - loop.time()) > 0:
                    await asyncio.sleep(delay)
                await write_events(engine, 1)
    await engine.dispose()


async def consumer_role(env: Env, ready: Any, go: Any, stop: Any) -> None:
    """A worker as ``shared.runtime.run_worker`` builds it: engine with the service's pool, faststream broker."""
    container = env.container()
    settings, engine = container.settings, container.engine
    async with contextlib.AsyncExitStack() as pool:  # open the pool now, not on the clock
        for _ in range(settings.database_pool_size):
            await pool.enter_async_context(engine.connect())
    broker = build_broker(settings)
    subscribe(broker, container, SUBSCRIPTION)
    ready.set()
    if await _until(go, env.timeout):
        await asyncio.wait_for(broker.start(), 30)
        await _until(stop, 2 * env.timeout)
        await asyncio.wait_for(broker.stop(), 60)
    await engine.dispose()


async def raw_publisher_role(env: Env, ready: Any, go: Any, stop: Any, n: int, rate: float) -> None:
    """The raw baseline's publisher: ``n`` persistent messages at ``rate``/s, each confirmed, stamped just before
    it is published (as ``emit`` stamps ``occurred_at`` just before the outbox commit)."""
    connection = await aio_pika.connect(env.amqp_url, timeout=10)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        ready.set()
        if not await _until(go, env.timeout):
            return
        loop, confirms = asyncio.get_running_loop(), []
        start = loop.time()
        for i in range(n):
            if (delay := start + i / rate - loop.time()) > 0:
                await asyncio.sleep(delay)
            # In the body: AMQP headers would carry a float as 32 bits, two minutes' precision at today's epoch.
            message = aio_pika.Message(f"{i} {time.time()!r}".encode(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
            publishing = channel.default_exchange.publish(message, routing_key=env.raw_latency_queue)
            confirms.append(asyncio.ensure_future(publishing))
        await asyncio.gather(*confirms)


async def raw_consumer_role(env: Env, ready: Any, go: Any, stop: Any) -> None:
    """The raw baseline's consumer: each message one autocommitted INSERT on a plain asyncpg pool (the size of a
    worker's), then acked; aio-pika runs each delivery's callback as its own task."""
    size = env.settings().database_pool_size
    pool = await asyncpg.create_pool(asyncpg_dsn(env.url), min_size=size, max_size=size)
    sql = "INSERT INTO bench_raw_effect (n, sent_at) VALUES ($1, to_timestamp($2))"
    connection = await aio_pika.connect(env.amqp_url, timeout=10)
    try:
        async with connection:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=RAW_PREFETCH)
            queue = await channel.declare_queue(env.raw_latency_queue, passive=True)

            async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                n, sent_at = message.body.split()
                await pool.execute(sql, int(n), float(sent_at))
                await message.ack()

            ready.set()
            if await _until(go, env.timeout):
                await queue.consume(on_message)
                await _until(stop, 2 * env.timeout)
    finally:
        await pool.close()


ROLES: dict[str, Callable[..., Awaitable[None]]] = {
    "relay": relay_role,
    "writer": writer_role,
    "consumer": consumer_role,
    "raw_publisher": raw_publisher_role,
    "raw_consumer": raw_consumer_role,
}


def _child_main(role: str, env: Env, ready: Any, go: Any, stop: Any, cpu: Any, args: tuple[Any, ...]) -> None:
    async def main() -> None:
        async def meter() -> None:  # this process's CPU seconds, for the parent to read
            while True:
                cpu.value = time.process_time()
                await asyncio.sleep(0.05)

        metering = asyncio.create_task(meter())
        try:
            await ROLES[role](env, ready, go, stop, *args)
        finally:
            metering.cancel()
            cpu.value = time.process_time()

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops its children in order
    setup_logging(env.log_level)
    asyncio.run(main())


@dataclass
class Group:
    go: Any
    processes: list[Any]
    cpus: list[Any]

    def cpu(self) -> float:
        return float(sum(c.value for c in self.cpus))

    async def finished(self, timeout: float) -> None:
        for p in self.processes:
            await asyncio.to_thread(p.join, timeout)
            if p.is_alive():
                raise TimeoutError(f"child {p.pid} did not finish in {timeout:.0f} s")


@contextlib.asynccontextmanager
async def children(env: Env, role: str, count: int, *args: Any) -> AsyncIterator[Group]:
    """Start ``count`` processes of a role, wait until each is ready; they begin work on ``group.go.set()``."""
    go, stop = MP.Event(), MP.Event()
    started: list[tuple[Any, Any, Any]] = []
    try:
        for _ in range(count):
            ready, cpu = MP.Event(), MP.Value("d", 0.0, lock=False)
            p = MP.Process(target=_child_main, args=(role, env, ready, go, stop, cpu, args), daemon=True)
            p.start()
            started.append((p, ready, cpu))
        for p, ready, _ in started:
            if not await asyncio.to_thread(ready.wait, 60):
                raise TimeoutError(f"{role} process {p.pid} did not start")
        yield Group(go, [p for p, _, _ in started], [c for _, _, c in started])
    finally:
        stop.set()
        for p, _, _ in started:
            await asyncio.to_thread(p.join, 20)
            if p.is_alive():
                p.kill()
                await asyncio.to_thread(p.join, 5)


# -- database probes ----------------------------------------------------------------------------------------
SERVICE = "bench"
CONSUMER = f"{SERVICE}.on_bench_happened"  # the handler's name in the inbox (checked against the Topology in run)
INBOX = f"SELECT count(*) FROM inbox_message WHERE consumer = '{CONSUMER}'"
UNPUBLISHED = "SELECT count(*) FROM outbox_message WHERE published_at IS NULL"


async def wait_value(db: asyncpg.Connection, sql: str, done: Callable[[int], bool], timeout: float) -> float:
    """Poll ``sql`` until ``done(value)``; returns the perf_counter time at which it was seen."""
    deadline = time.perf_counter() + timeout
    while not done(await db.fetchval(sql)):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"not done in {timeout:.0f} s: {sql}")
        await asyncio.sleep(POLL)
    return time.perf_counter()


@dataclass
class Phase:
    rate: float  # events (messages) per second
    cpu: dict[str, float]  # process (role) → CPU microseconds per event


async def measure(db: asyncpg.Connection, start: Group, n: int, env: Env, meter: dict[str, Group]) -> Phase:
    """``start.go``, then poll until all n are in the inbox (or, for a relay alone, all marked sent)."""
    sql, done = (UNPUBLISHED, lambda v: v == 0) if "consumer" not in meter else (INBOX, lambda v: v >= n)
    before = {name: group.cpu() for name, group in meter.items()}
    t0 = time.perf_counter()
    start.go.set()
    t1 = await wait_value(db, sql, done, env.timeout)
    await asyncio.sleep(0.1)  # the children's last CPU sample
    return Phase(n / (t1 - t0), {name: (g.cpu() - before[name]) / n * 1e6 for name, g in meter.items()})


async def here(coro: Awaitable[Any], n: int, timeout: float, name: str = "this process") -> Phase:
    """A phase run in this process: its rate and this process's CPU per message."""
    cpu, t0 = time.process_time(), time.perf_counter()
    await asyncio.wait_for(coro, timeout)
    return Phase(n / (time.perf_counter() - t0), {name: (time.process_time() - cpu) / n * 1e6})


async def reset(db: asyncpg.Connection, env: Env) -> None:
    # Imported here, by this process only: the forkserver's children do not have this script's folder on sys.path.
    from outbox_history import reset_sql

    for sql in reset_sql(env.history_last_id, CONSUMER):
        await db.execute(sql)


# -- measurements -------------------------------------------------------------------------------------------
async def raw_publish(channel: aio_pika.abc.AbstractChannel, queue: str, n: int, body: bytes) -> None:
    counter = iter(range(n))

    async def worker() -> None:  # RAW_IN_FLIGHT workers, each awaiting its confirm: a sliding window
        for i in counter:
            message = aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=str(i))
            await channel.default_exchange.publish(message, routing_key=queue)

    await asyncio.gather(*(worker() for _ in range(RAW_IN_FLIGHT)))


async def raw_consume(queue: aio_pika.abc.AbstractQueue, n: int) -> None:
    done, count = asyncio.Event(), 0

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal count
        await message.ack()
        count += 1
        if count >= n:
            done.set()

    tag = await queue.consume(on_message)
    await done.wait()
    await queue.cancel(tag)


async def raw_round(env: Env, n: int) -> dict[str, Phase]:
    """aio-pika alone, persistent messages of our envelope's size into a durable quorum queue, and out again."""
    body = Envelope.wrap(BenchHappened(n=0)).model_dump_json().encode()
    name = f"{env.namespace}.raw"
    connection = await aio_pika.connect(env.amqp_url, timeout=10)
    async with connection:
        pub = await connection.channel(publisher_confirms=True)
        sub = await connection.channel()
        await sub.set_qos(prefetch_count=RAW_PREFETCH)
        await pub.declare_queue(name, durable=True, arguments=QUORUM)
        queue = await sub.declare_queue(name, durable=True, arguments=QUORUM)
        return {
            "raw_pub": await here(raw_publish(pub, name, n, body), n, env.timeout, "publisher"),
            "raw_con": await here(raw_consume(queue, n), n, env.timeout, "consumer"),
        }


async def our_round(db: asyncpg.Connection, sm: AsyncEngine, n: int, env: Env) -> dict[str, Phase]:
    """One round of every figure of our path (see LABELS)."""
    phases: dict[str, Phase] = {}
    await reset(db, env)
    phases["write"] = await here(write_events(sm, n), n, env.timeout, "writer")
    async with children(env, "relay", 1) as relay:  # the outbox holds n events; no consumer runs
        phases["relay"] = await measure(db, relay, n, env, {"relay": relay})
    async with children(env, "consumer", 1) as consumer:
        phases["consume"] = await measure(db, consumer, n, env, {"consumer": consumer})  # the queue holds n
        for key, count in (("rc1", 1), ("rc2", 2)):  # outbox pre-filled, consumer idle and connected
            await reset(db, env)
            await write_events(sm, n)
            async with children(env, "relay", count) as relays:
                phases[key] = await measure(db, relays, n, env, {"relay": relays, "consumer": consumer})
        await reset(db, env)  # relay and consumer idle and connected; the clock runs from the first write
        async with children(env, "relay", 1) as relay, children(env, "writer", 1, n) as writer:
            relay.go.set()
            await asyncio.sleep(1.0)
            meter = {"writer": writer, "relay": relay, "consumer": consumer}
            phases["full"] = await measure(db, writer, n, env, meter)
    await reset(db, env)
    await write_events(sm, n)
    async with children(env, "consumer", 2) as consumers, children(env, "relay", 1) as relay:
        consumers.go.set()
        await asyncio.sleep(1.0)
        phases["rc1c2"] = await measure(db, relay, n, env, {"relay": relay, "consumer": consumers})
    return phases


LATENCY = """
SELECT count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY claim_ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY claim_ms)
FROM (SELECT extract(epoch FROM e.applied_at - o.occurred_at) * 1000 AS ms,
             extract(epoch FROM o.published_at - o.occurred_at) * 1000 AS claim_ms
      FROM bench_effect e
      JOIN (SELECT event_id, published_at, (envelope->>'occurred_at')::timestamptz AS occurred_at
            FROM outbox_message) o USING (event_id)) AS latency
"""


async def bench_latency(db: asyncpg.Connection, rate: float, seconds: float, env: Env) -> tuple[int, ...]:
    """One event per transaction at ``rate``/s; occurred_at (envelope) → applied_at (handler, before commit)."""
    await reset(db, env)
    n = round(rate * seconds)
    async with (
        children(env, "consumer", 1) as consumer,
        children(env, "relay", 1) as relay,
        children(env, "writer", 1, n, rate) as writer,
    ):
        consumer.go.set()
        relay.go.set()
        await asyncio.sleep(1.0)
        writer.go.set()
        await writer.finished(seconds + env.timeout)
        await wait_value(db, INBOX, lambda v: v >= n, env.timeout)
    return tuple(await db.fetchrow(LATENCY))


RAW_LATENCY_SQL = """
SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
       max(ms)
FROM (SELECT extract(epoch FROM applied_at - sent_at) * 1000 AS ms FROM bench_raw_effect) AS latency
"""


async def declare_raw_latency_queue(env: Env) -> None:
    connection = await aio_pika.connect(env.amqp_url, timeout=10)
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue(env.raw_latency_queue, durable=True, arguments=QUORUM)


async def bench_raw_latency(db: asyncpg.Connection, rate: float, seconds: float, env: Env) -> tuple[Any, ...]:
    """The raw round trip at ``rate``/s: publish (persistent, confirmed) → broker → consume → INSERT, one process
    each side; stamped before the publish → the INSERT's clock_timestamp()."""
    await db.execute("TRUNCATE bench_raw_effect")
    n = round(rate * seconds)
    async with children(env, "raw_consumer", 1) as consumer, children(env, "raw_publisher", 1, n, rate) as publisher:
        consumer.go.set()
        await asyncio.sleep(0.5)
        publisher.go.set()
        await publisher.finished(seconds + env.timeout)
        await wait_value(db, "SELECT count(*) FROM bench_raw_effect", lambda v: v >= n, env.timeout)
    return tuple(await db.fetchrow(RAW_LATENCY_SQL))


# -- the run ------------------------------------------------------------------------------------------------
Rows = dict[str, list[Phase]]
Latency = dict[float, tuple[Any, ...]]  # rate → ours (count, p50, p99, max, published p50, published p99), then
# the raw round trip's (count, p50, p99, max)


async def figures(db: asyncpg.Connection, sm: AsyncEngine, env: Env, args: argparse.Namespace) -> tuple[Rows, Latency]:
    """Every round (raw baselines, then our path), then the latency at each rate."""
    rows: Rows = {}
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}: raw aio-pika, then our path ...", flush=True)
        for key, phase in (await raw_round(env, args.events) | await our_round(db, sm, args.events, env)).items():
            rows.setdefault(key, []).append(phase)
    latency: Latency = {}
    for rate in args.rates:
        print(f"latency at {rate:g}/s for {args.latency_seconds:g} s ...", flush=True)
        latency[rate] = (*await bench_latency(db, rate, args.latency_seconds, env),
                         *await bench_raw_latency(db, rate, args.latency_seconds, env))  # fmt: skip
    return rows, latency


async def run(args: argparse.Namespace) -> None:
    base = ServiceSettings()
    run_id = uuid.uuid4().hex[:8]
    url = make_url(base.database_url).set(database=f"bench_{run_id}").render_as_string(hide_password=False)
    timeout = args.phase_timeout or 60 + args.events / 50
    env = Env(
        url, base.amqp_url, f"bench{run_id}", args.prefetch, args.batch_size, args.log_level, timeout, args.window
    )
    setup_logging(env.log_level)
    print(f"run {run_id}: N={args.events}, R={args.rounds}, {os.cpu_count()} CPUs, database bench_{run_id}, "
          f"names {env.namespace}.*", flush=True)  # fmt: skip
    await ensure_database(env.url)
    engine = create_engine(env.url, pool_size=2)  # this process only writes the outbox and creates tables
    db: asyncpg.Connection | None = None
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

        db = await asyncpg.connect(asyncpg_dsn(env.url))
        queue = env.topology().queue_name(SERVICE, BenchHappened)
        assert env.topology().consumer_key(queue) == CONSUMER, queue
        await declare_subscriptions(env.amqp_url, env.topology(), [(queue, BenchHappened)])
        await declare_raw_latency_queue(env)
        rows, latency = await figures(db, engine, env, args)
        report(args, env, rows, latency)
        if args.history:
            from outbox_history import fill as fill_history  # this process only, as in reset()

            envelope = Envelope.wrap(BenchHappened(n=0)).model_dump_json()
            last_id = await fill_history(db, args.history, BenchHappened.routing_key(), envelope)
            with_history = await figures(db, engine, replace(env, history_last_id=last_id), args)
            report(args, env, *with_history, title=f"with {args.history:,} old rows in the outbox and the inbox")
            compare(args, (rows, latency), with_history)
    finally:
        if db is not None:
            await db.close()
        await engine.dispose()
        await asyncio.wait_for(cleanup(env), 60)


LABELS = {
    "raw_pub": f"raw aio-pika publish, confirms, {RAW_IN_FLIGHT} in flight",
    "raw_con": f"raw aio-pika consume, prefetch {RAW_PREFETCH}, ack each",
    "write": f"ours: write outbox (UnitOfWork, {PER_TX} events/tx)",
    "relay": "ours: relay only, 1 relay, no consumer",
    "consume": "ours: consume only (batched, inbox), queue full",
    "rc1": "ours: relay+consume, outbox pre-filled, 1 relay",
    "rc2": "ours: relay+consume, outbox pre-filled, 2 relays",
    "full": "ours: write→relay→consume, 1 relay",
    "rc1c2": "ours: relay+consume, pre-filled, 1 relay, 2 consumers",
}


SHORT = {
    "raw_pub": "raw publish",
    "raw_con": "raw consume",
    "rc1": "relay+consume (pre-filled, 1 relay)",
    "full": "write→relay→consume",
    "relay": "relay only",
    "consume": "consume only",
}
RATIOS = [("rc1", "raw_pub"), ("rc1", "raw_con"), ("full", "raw_pub"), ("full", "raw_con"),
          ("relay", "raw_pub"), ("consume", "raw_con")]  # fmt: skip


def report(args: argparse.Namespace, env: Env, rows: Rows, latency: Latency, title: str = "no history") -> None:
    rate = {key: statistics.median(p.rate for p in phases) for key, phases in rows.items()}
    print(f"\nOutbox throughput, {title}: N={args.events} persistent messages, median of {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs; relay batch {env.batch_size} × {env.window} in flight, "
          f"consumer prefetch {env.prefetch}, consumer batch {env.settings().consumer_batch_size}\n")  # fmt: skip
    print(f"| {'measurement':<54} | {'msg/s':>6} | {'CPU µs per message, by process':<40} | msg/s of each round")
    print(f"| {'-' * 54} | {'-' * 6} | {'-' * 40} | -------------------")
    for key, label in LABELS.items():
        phases = rows[key]
        cpu = " + ".join(f"{name} {statistics.median(p.cpu[name] for p in phases):,.0f}" for name in phases[0].cpu)
        each = ", ".join(f"{p.rate:,.0f}" for p in phases)
        print(f"| {label:<54} | {rate[key]:>6,.0f} | {cpu:<40} | {each}")
    print(f"\n| {'ratio of medians':<54} | value")
    print(f"| {'-' * 54} | -----")
    for ours, raw in RATIOS:
        print(f"| {SHORT[ours] + ' / ' + SHORT[raw]:<54} | {rate[ours] / rate[raw]:.2f}")
    print("\nlatency, outbox commit (envelope occurred_at) → handler ran (its clock_timestamp, in the consumer's batch")
    print("transaction, before that commits), 1 relay; of it, the first leg: outbox commit → broker's confirm")
    print("(published_at, set when the batch is marked). Beside it the raw round trip at the same rate: stamped, then")
    print("published (persistent, confirmed) → consumed by another process → its INSERT's clock_timestamp()\n")
    print("| rate    | events | p50 ms | p99 ms | max ms | published p50 | published p99 | raw p50 | raw p99 "
          "| p50 / raw p50")  # fmt: skip
    print(f"| ------- | ------ | ------ | ------ | ------ | {'-' * 13} | {'-' * 13} | ------- | ------- | {'-' * 13}")
    for per_second, (count, p50, p99, worst, claim50, claim99, _, raw50, raw99, _raw_max) in latency.items():
        figures = f"{p50:>6.1f} | {p99:>6.1f} | {worst:>6.1f} | {claim50:>13.1f} | {claim99:>13.1f}"
        print(f"| {per_second:>5g}/s | {count:>6} | {figures} | {raw50:>7.1f} | {raw99:>7.1f} | {p50 / raw50:>13.1f}")


def compare(args: argparse.Namespace, without: tuple[Rows, Latency], with_history: tuple[Rows, Latency]) -> None:
    """The two runs side by side: each figure's median rate and CPU per message without and with the history."""

    def cpu(phases: list[Phase]) -> float:
        return sum(statistics.median(p.cpu[name] for p in phases) for name in phases[0].cpu)

    print(f"\nWithout history / with {args.history:,} old rows in each table (medians; CPU: all processes)\n")
    print(f"| {'measurement':<54} | msg/s without | msg/s with | with/without | CPU µs without | CPU µs with")
    print(f"| {'-' * 54} | ------------- | ---------- | ------------ | -------------- | -----------")
    for key, label in LABELS.items():
        a, b = without[0][key], with_history[0][key]
        ra, rb = statistics.median(p.rate for p in a), statistics.median(p.rate for p in b)
        print(f"| {label:<54} | {ra:>13,.0f} | {rb:>10,.0f} | {rb / ra:>12.2f} | {cpu(a):>14,.0f} | {cpu(b):>11,.0f}")
    print("\n| latency  | p50 ms without | p50 ms with | p99 ms without | p99 ms with")
    print("| -------- | -------------- | ----------- | -------------- | -----------")
    for per_second, (_, p50, p99, *_rest) in without[1].items():
        _, h50, h99, *_more = with_history[1][per_second]
        print(f"| {per_second:>6g}/s | {p50:>14.1f} | {h50:>11.1f} | {p99:>14.1f} | {h99:>11.1f}")


async def cleanup(env: Env) -> None:
    """Drop the database; delete every queue and exchange this run declared (names from the Topology)."""
    topology = env.topology()
    queue = topology.queue_name("bench", SUBSCRIPTION.contract)
    queues = [
        f"{env.namespace}.raw", env.raw_latency_queue, queue, topology.dead_letter_queue(queue), topology.unrouted
    ]  # fmt: skip
    exchanges = [topology.events_exchange, topology.unrouted, topology.dead_letter_exchange]
    connection = await aio_pika.connect(env.amqp_url, timeout=10)
    async with connection:
        for kind, names in (("queue", queues), ("exchange", exchanges)):
            for name in names:
                channel = await connection.channel()  # a failed delete closes its channel
                try:
                    await getattr(channel, f"{kind}_delete")(name, timeout=10)
                except Exception as exc:
                    print(f"could not delete {kind} {name}: {exc!r}")
                finally:
                    await channel.close()
    await drop_database(env.url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2000, help="messages per throughput round (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure; the median is shown (default 3)")
    parser.add_argument("--rates", type=float, nargs="+", default=[50, 200, 1000], help="latency rates, events/s")
    parser.add_argument("--latency-seconds", type=float, default=10, help="duration of each latency rate")
    parser.add_argument("--batch-size", type=int, default=200, help="relay batch size (default 200)")
    parser.add_argument("--window", type=int, default=ServiceSettings().relay_window, help="relay batches in flight")
    parser.add_argument("--prefetch", type=int, default=ServiceSettings().prefetch_count, help="consumer prefetch")
    parser.add_argument("--log-level", default="INFO", help="log level of relay and consumer (output discarded)")
    parser.add_argument("--phase-timeout", type=float, help="seconds per phase (default 60 + events/50)")
    parser.add_argument(
        "--history", type=int, default=0, metavar="ROWS",
        help="measure everything again after filling the outbox and the inbox with ROWS old rows each",
    )  # fmt: skip
    args = parser.parse_args()
    spawn.get_preparation_data = _preparation_data
    MP.set_forkserver_preload(["__main__"])
    try:
        asyncio.run(run(args))
    except TimeoutError as exc:
        raise SystemExit(f"aborted, a phase took too long (see --phase-timeout): {exc}") from None


if __name__ == "__main__":
    main()
