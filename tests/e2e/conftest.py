"""The system as real processes: each service's migrate, api, worker and relay, on this run's names."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from shared.testing.fixtures import TEST_JWT_SECRET, Databases
from shared.testing.mail import MailCatcher
from shared.testing.processes import ServiceProcess, free_port, wait_ready
from shared.testing.servers import Servers

# The peers each service calls by URL; those a story does not start are pointed at a closed port.
PEERS = {"directory": ("NOTIFIER", "CALENDAR"), "notifier": ("DIRECTORY", "CALENDAR", "GRANTS")}


@dataclass
class RunningService:
    name: str
    base_url: str
    env: dict[str, str]
    processes: dict[str, ServiceProcess]


async def start_service(
    service: str, *, databases: Databases, servers: Servers, namespace: str, logs: Path, **settings: str
) -> RunningService:
    """Migrate the service's own fresh database, then start its api, worker and relay as processes."""
    prefix = service.upper()
    port = int(settings.pop("http_port", None) or free_port())  # chosen beforehand when another service needs it
    env = {
        f"{prefix}_DATABASE_URL": await databases.create(f"{namespace.replace('.', '_')}_{service}"),
        f"{prefix}_AMQP_URL": servers.amqp_url,
        f"{prefix}_NAMESPACE": namespace,
        f"{prefix}_HTTP_PORT": str(port),
        f"{prefix}_JWT_SECRET": TEST_JWT_SECRET,
        f"{prefix}_LOG_JSON": "true",
        f"{prefix}_RELAY_POLL_SECONDS": "0.2",
    } | {f"{prefix}_{k.upper()}": v for k, v in settings.items()}
    # A service's peers that a story does not start are a closed port (what asks them waits and is retried),
    # never whatever listens on the default ports: the directory's privacy requests reach the notifier and the
    # calendar (ADR 0015); the notifier asks the directory, the calendar and grants at send time (ADR 0017).
    for peer in PEERS.get(service, ()):
        env.setdefault(f"{prefix}_{peer}_URL", "http://127.0.0.1:9")
    migrate = ServiceProcess(service, "migrate", env, logs / f"{service}-migrate.log")
    try:
        migrated = await migrate.run_once()
    finally:
        if migrate.alive:  # it did not finish in time
            await migrate.stop()
    assert migrated == 0, (logs / f"{service}-migrate.log").read_text()
    roles = {
        role: ServiceProcess(service, role, env, logs / f"{service}-{role}.log") for role in ("api", "worker", "relay")
    }
    running = RunningService(service, f"http://127.0.0.1:{port}", env, roles)
    try:
        for process in roles.values():
            await process.start()
        await wait_ready(running.base_url)
    except BaseException as failure:
        # Never leave a half-started service behind (it would hold its database and queues past the run).
        await stop_all(running)
        tails = "\n".join(f"--- {p.log.name}\n{_tail(p.log)}" for p in roles.values())
        raise RuntimeError(f"{service} did not start:\n{tails}") from failure
    return running


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


async def stop_all(*services: RunningService) -> None:
    """SIGTERM every live role, all at once; one that does not stop in time is killed, and the others are still
    stopped."""
    alive = [p for service in services for p in service.processes.values() if p.alive]
    results = await asyncio.gather(*(p.stop() for p in alive), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException) and not isinstance(r, TimeoutError)]
    if failures:
        raise failures[0]


@asynccontextmanager
async def system(
    *services: tuple[str, dict[str, str]], databases: Databases, servers: Servers, namespace: str, logs: Path
) -> AsyncIterator[list[RunningService]]:
    """Start the services (name and settings) one after the other on one namespace; stop every started one
    afterwards, also when a later one fails to start. One at a time: on two busy cores, services starting side
    by side each take as long as all of them, and run past their readiness timeout."""
    started: list[RunningService] = []
    try:
        for name, settings in services:
            started.append(
                await start_service(
                    name, databases=databases, servers=servers, namespace=namespace, logs=logs, **settings
                )
            )
        yield started
    finally:
        await stop_all(*started)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def directory_service(
    databases: Databases, servers: Servers, namespace: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningService]:
    """The directory alone, on names of its own."""
    service = await start_service(
        "directory",
        databases=databases,
        servers=servers,
        namespace=f"{namespace}.e2e",
        logs=tmp_path_factory.mktemp("logs"),
    )
    yield service
    await stop_all(service)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def directory_and_grants(
    databases: Databases, servers: Servers, namespace: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[RunningService, RunningService]]:
    """The directory and grants on one broker namespace, so grants learns of associations from events."""
    services: list[tuple[str, dict[str, str]]] = [("directory", {}), ("grants", {"scheduler_interval_seconds": "0.5"})]
    async with system(
        *services, databases=databases, servers=servers, namespace=f"{namespace}.system",
        logs=tmp_path_factory.mktemp("logs"),
    ) as (directory, grants):  # fmt: skip
        yield directory, grants


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def directory_grants_and_bookings(
    databases: Databases, servers: Servers, namespace: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[RunningService, RunningService, RunningService]]:
    """The directory, grants and bookings on one namespace of their own: grants and bookings learn of
    associations and departments from the directory's events, bookings of partnerships from grants'."""
    services: list[tuple[str, dict[str, str]]] = [("directory", {}), ("grants", {}), ("bookings", {})]
    async with system(
        *services, databases=databases, servers=servers, namespace=f"{namespace}.premises",
        logs=tmp_path_factory.mktemp("logs"),
    ) as (directory, grants, bookings):  # fmt: skip
        yield directory, grants, bookings


@pytest.fixture(scope="module")
def mail_catcher() -> Iterator[MailCatcher]:
    """A real SMTP server catching the mails of a module's stories."""
    with MailCatcher() as running:
        yield running
