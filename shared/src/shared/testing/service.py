"""What every service's ``tests/conftest.py`` needs: its settings on a fresh migrated database, an HTTP client.

A service's conftest is then a few lines::

    @pytest_asyncio.fixture(scope="session", loop_scope="session")
    async def settings(databases, servers, namespace) -> Settings:
        return await settings_for_tests(Settings, MIGRATIONS, databases=databases, servers=servers, namespace=namespace)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI

from shared.config import ServiceSettings
from shared.testing.fixtures import TEST_JWT_SECRET, Databases
from shared.testing.servers import Servers

S = TypeVar("S", bound=ServiceSettings)


async def settings_for_tests(
    settings_class: type[S],
    migrations: Path,
    *,
    databases: Databases,
    servers: Servers,
    namespace: str,
    **overrides: Any,
) -> S:
    """The service's settings on its own migrated database and broker names for this test run."""
    name = settings_class().service_name
    url = await databases.create(name, migrations=migrations)
    values: dict[str, Any] = {
        "database_url": url,
        "amqp_url": servers.amqp_url,
        "namespace": f"{namespace}.{name}",
        "jwt_secret": TEST_JWT_SECRET,
    }
    return settings_class(**(values | overrides))


@asynccontextmanager
async def http_client(app: FastAPI, name: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling the app in process (``http://<name>``)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}") as client:
        yield client
