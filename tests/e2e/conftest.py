"""The system as real processes: each service's migrate, api, worker and relay, on this run's names."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from shared.testing.fixtures import TEST_JWT_SECRET, Databases
from shared.testing.processes import ServiceProcess, free_port, wait_ready
from shared.testing.servers import Servers


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
    port = free_port()
    env = {
        f"{prefix}_DATABASE_URL": await databases.create(f"{namespace.replace('.', '_')}_{service}"),
        f"{prefix}_AMQP_URL": servers.amqp_url,
        f"{prefix}_NAMESPACE": namespace,
        f"{prefix}_HTTP_PORT": str(port),
        f"{prefix}_JWT_SECRET": TEST_JWT_SECRET,
        f"{prefix}_LOG_JSON": "true",
        f"{prefix}_RELAY_POLL_SECONDS": "0.2",
    } | {f"{prefix}_{k.upper()}": v for k, v in settings.items()}
    migrate = ServiceProcess(service, "migrate", env, logs / f"{service}-migrate.log")
    assert await migrate.run_once() == 0, (logs / f"{service}-migrate.log").read_text()
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
    """SIGTERM every live role; one that does not stop in time is killed, and the others are still stopped."""
    for service in services:
        for process in service.processes.values():
            if process.alive:
                with contextlib.suppress(TimeoutError):
                    await process.stop()


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
    logs, ns = tmp_path_factory.mktemp("logs"), f"{namespace}.system"
    directory = await start_service("directory", databases=databases, servers=servers, namespace=ns, logs=logs)
    try:
        grants = await start_service(
            "grants", databases=databases, servers=servers, namespace=ns, logs=logs, scheduler_interval_seconds="0.5"
        )
    except BaseException:
        await stop_all(directory)
        raise
    yield directory, grants
    await stop_all(directory, grants)
