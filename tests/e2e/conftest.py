"""The system as real processes: each service's migrate, api, worker and relay, on this run's names."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

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


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def directory_service(
    databases: Databases, servers: Servers, namespace: str, tmp_path_factory: object
) -> AsyncIterator[RunningService]:
    logs: Path = tmp_path_factory.mktemp("logs")  # type: ignore[attr-defined]
    database_url = await databases.create("e2e_directory")  # empty: `directory migrate` fills it
    port = free_port()
    env = {
        "DIRECTORY_DATABASE_URL": database_url,
        "DIRECTORY_AMQP_URL": servers.amqp_url,
        "DIRECTORY_NAMESPACE": f"{namespace}.e2e",
        "DIRECTORY_HTTP_PORT": str(port),
        "DIRECTORY_JWT_SECRET": TEST_JWT_SECRET,
        "DIRECTORY_LOG_JSON": "true",
        "DIRECTORY_RELAY_POLL_SECONDS": "0.2",
    }
    migrate = ServiceProcess("directory", "migrate", env, logs / "migrate.log")
    assert await migrate.run_once() == 0, (logs / "migrate.log").read_text()
    roles = {role: ServiceProcess("directory", role, env, logs / f"{role}.log") for role in ("api", "worker", "relay")}
    for process in roles.values():
        await process.start()
    base_url = f"http://127.0.0.1:{port}"
    await wait_ready(base_url)
    yield RunningService("directory", base_url, env, roles)
    for process in roles.values():
        if process.alive:
            await process.stop()
