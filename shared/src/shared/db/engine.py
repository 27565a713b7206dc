"""Async engine (SQLAlchemy 2 + asyncpg); database creation for migrations and tests.

A unit of work runs its statements on one pooled ``AsyncConnection`` (:data:`Session`), not on an ORM
``AsyncSession``: nothing here maps objects through the ORM (repositories map rows to dataclasses), and the
ORM's per-statement machinery cost about a fifth of each statement's Python time (measured in
``benchmarks/README.md``, "Statements").
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

Session = AsyncConnection
"""What a unit of work and its repositories run statements on: one connection holding one transaction."""


def create_engine(
    url: str, *, pool_size: int = 10, max_overflow: int | None = None, pre_ping: bool = False
) -> AsyncEngine:
    """No ``pre_ping`` by default: it cost three round trips (BEGIN, a ping, ROLLBACK) on every checkout, about
    half of a read's database time. Stale connections are handled otherwise: ``pool_recycle`` replaces
    connections older than 10 minutes (before any idle timeout in between can cut them), and a connection that
    fails anyway is a disconnect, upon which SQLAlchemy invalidates the whole pool; the request that met it is
    answered 503 with ``Retry-After`` (``shared.http.problems``), the consumer waits for the database without
    spending a delivery (``shared.messaging.retry``), and the next checkout connects afresh.

    ``max_overflow`` (``pool_size`` unless given) is how many connections beyond the pool a burst may open;
    each is closed again when it comes back to a full pool. Under a steady load above the pool that means a
    new PostgreSQL connection (a backend forked, TLS tried, authentication) for about every request: on
    bookings' availability at 64 connections, 332 req/s and p99 874 ms with the overflow, 417 req/s and
    434 ms without. The API, where a request holds one connection at a time, passes 0: its requests queue
    for a pooled connection instead."""
    return _create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_pre_ping=pre_ping,
        pool_recycle=600,
        hide_parameters=True,  # a failing statement's parameters are personal data: never in errors or logs
    )


def asyncpg_dsn(url: str, *, database: str | None = None) -> str:
    """The plain ``postgresql://`` DSN asyncpg understands, optionally for another database."""
    u = make_url(url).set(drivername="postgresql")
    if database is not None:
        u = u.set(database=database)
    return u.render_as_string(hide_password=False)


async def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` if it does not exist. Returns True when it was created."""
    name = make_url(url).database
    try:  # the usual case, and the only one where the maintenance database may be closed to us
        await (await asyncpg.connect(asyncpg_dsn(url))).close()
        return False
    except asyncpg.InvalidCatalogNameError:
        pass
    conn = await asyncpg.connect(asyncpg_dsn(url, database="postgres"))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        except asyncpg.DuplicateDatabaseError:  # another replica won the race
            return False
        return True
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    name = make_url(url).database
    conn = await asyncpg.connect(asyncpg_dsn(url, database="postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
