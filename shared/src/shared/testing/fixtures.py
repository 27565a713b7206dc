"""The pytest plugin every test tier uses (registered in the repository's root ``conftest.py``)."""

from __future__ import annotations

import asyncio
import threading
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
# Where the running session's broker names are kept, for the hook that deletes a service's once its tests end.
BROKER_NAMES = pytest.StashKey[tuple[str, str]]()  # (amqp_url, the run's namespace)


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    with test_servers() as found:
        yield found


@pytest.fixture(scope="session")
def run_id() -> str:
    """Names every database, exchange and queue of this run, so parallel runs never collide."""
    return uuid.uuid4().hex[:8]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def namespace(servers: Servers, run_id: str, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    ns = f"t{run_id}"
    request.config.stash[BROKER_NAMES] = (servers.amqp_url, ns)
    yield ns
    await delete_namespace(servers.amqp_url, ns)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def module_namespace(servers: Servers, namespace: str, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """Broker names for one test module, ``<run>.<module>``, whose queues and exchanges are deleted when the
    module ends. RabbitMQ 3.10 counts three file handles for every quorum queue and, under the default
    ``ulimit -n`` of 1024, stops accepting connections once about 300 of them exist: a run must not keep the
    queues of every module and test until it ends."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    ns = f"{namespace}.{module}"
    yield ns
    await delete_namespace(servers.amqp_url, ns)


def _service_of(item: pytest.Item | None) -> str | None:
    """``bookings`` for a test under ``services/bookings/``; None for the shared and end-to-end tests."""
    if item is None:
        return None
    parts = item.path.relative_to(item.config.rootpath).parts
    return parts[1] if len(parts) > 2 and parts[0] == "services" else None


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After a service's last test, delete the broker names of its integration tests, ``<run>.<service>``:
    each test's worker declares them again, and the end-to-end stories that come last need the broker's file
    handles (three a quorum queue, see ``module_namespace``) more than finished tests do."""
    service, names = _service_of(item), item.config.stash.get(BROKER_NAMES, None)
    if service is None or names is None or _service_of(nextitem) == service:
        return
    amqp_url, ns = names
    # A loop of its own in a thread of its own: the session's loop belongs to pytest-asyncio.
    worker = threading.Thread(target=lambda: asyncio.run(delete_namespace(amqp_url, f"{ns}.{service}")))
    worker.start()
    worker.join()


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
