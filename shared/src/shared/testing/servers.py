"""Where the tests' PostgreSQL and RabbitMQ are.

``TEST_DATABASE_URL`` (a server URL; any database name) and ``TEST_AMQP_URL`` name running servers, as on
our machines and in CI. Without them the tests start containers with testcontainers, where a Docker engine
answers. Without either, the run fails with a clear message: a run in which everything skipped tested
nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.engine import make_url


class NoServers(RuntimeError):
    pass


@dataclass(frozen=True)
class Servers:
    database_url: str  # postgresql+asyncpg://user@host:port/<any>
    amqp_url: str

    def database(self, name: str) -> str:
        return make_url(self.database_url).set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def test_servers() -> Iterator[Servers]:
    db, amqp = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_AMQP_URL")
    if db and amqp:
        yield Servers(database_url=db, amqp_url=amqp)
        return
    try:
        from testcontainers.community.postgres import PostgresContainer
        from testcontainers.community.rabbitmq import RabbitMqContainer

        with PostgresContainer("postgres:15", driver="asyncpg") as pg, RabbitMqContainer("rabbitmq:3.13") as mq:
            params = mq.get_connection_params()
            yield Servers(
                database_url=pg.get_connection_url(),
                amqp_url=f"amqp://guest:guest@{params.host}:{params.port}/",
            )
    except Exception as exc:  # docker.errors.DockerException and friends
        if isinstance(exc, NoServers):
            raise
        raise NoServers(
            "No test servers: set TEST_DATABASE_URL and TEST_AMQP_URL to running PostgreSQL and RabbitMQ "
            f"(make test does), or provide a Docker engine for testcontainers. ({type(exc).__name__}: {exc})"
        ) from exc
