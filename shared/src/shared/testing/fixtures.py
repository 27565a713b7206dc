"""The pytest plugin every test tier uses (registered in the repository's root ``conftest.py``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from shared.auth import Role, mint_token
from shared.db.engine import drop_database, ensure_database
from shared.db.migrations import upgrade
from shared.testing.broker import delete_namespace
from shared.testing.servers import Servers, test_servers

TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256"


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    with test_servers() as found:
        yield found


@pytest.fixture(scope="session")
def run_id() -> str:
    """Names every database, exchange and queue of this run, so parallel runs never collide."""
    return uuid.uuid4().hex[:8]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def namespace(servers: Servers, run_id: str) -> AsyncIterator[str]:
    ns = f"t{run_id}"
    yield ns
    await delete_namespace(servers.amqp_url, ns)


class Databases:
    def __init__(self, servers: Servers, run_id: str) -> None:
        self.servers, self.run_id = servers, run_id
        self.created: list[str] = []

    async def create(self, name: str, *, migrations: Path | None = None) -> str:
        """A fresh database ``t_<run>_<name>``, migrated when ``migrations`` is given; dropped after the run."""
        url = self.servers.database(f"t_{self.run_id}_{name}")
        if migrations is not None:
            await upgrade(migrations, url)
        else:
            await ensure_database(url)
        self.created.append(url)
        return url

    async def drop_all(self) -> None:
        for url in self.created:
            await drop_database(url)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def databases(servers: Servers, run_id: str) -> AsyncIterator[Databases]:
    dbs = Databases(servers, run_id)
    yield dbs
    await dbs.drop_all()


class Tokens:
    """Bearer headers for each role, signed with the test secret."""

    secret = TEST_JWT_SECRET

    def _header(self, **claims: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(secret=self.secret, **claims)}"}  # type: ignore[arg-type]

    def admin(self, subject: str = "admin") -> dict[str, str]:
        return self._header(subject=subject, role=Role.ADMIN)

    def staff(self, department: str, subject: str | None = None) -> dict[str, str]:
        return self._header(subject=subject or f"staff-{department}", role=Role.STAFF, department=department)

    def service(self, subject: str = "service:notifier") -> dict[str, str]:
        return self._header(subject=subject, role=Role.SERVICE)

    def association(self, *association_ids: uuid.UUID, subject: str | None = None) -> dict[str, str]:
        return self._header(
            subject=subject or f"rep-{uuid.uuid4().hex[:6]}", role=Role.ASSOCIATION, association_ids=association_ids
        )


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()
