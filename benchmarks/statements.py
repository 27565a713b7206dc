"""What one read costs in Python, by how it is run: the ORM session, a connection, statements built once, raw.

    .venv/bin/python benchmarks/statements.py [--units 3000] [--rounds 3]

A *unit* is what a read-only use case does: take a pooled connection, run three single-row reads by primary
key (``pg_class``, so no table is needed), give it back. Each way is timed with ``time.process_time()`` over
``--units`` units, one after another (no concurrency), and the median of ``--rounds`` rounds is printed in
microseconds of this process's CPU per unit, beside a bare asyncpg pool running the same SQL in the same run:

| way | what it is |
| --- | --- |
| session, built per call | the ORM ``AsyncSession``, each ``select(...)`` built per call (the kit until Dec. 2026) |
| session, built once | the same session, the statement built once with a ``bindparam`` |
| connection, built per call | an ``AsyncConnection`` from the same engine, statements built each time |
| connection, built once | what units of work now do (``shared.db.Session`` and ``shared.db.statements``) |
| connection, driver SQL | ``exec_driver_sql`` of the SQL text: SQLAlchemy's connection without its statement layer |
| raw asyncpg on the engine's pool | the driver connection under SQLAlchemy's pool |
| bare asyncpg pool | the baseline |

The database is the one of ``DATABASE_URL`` (default PostgreSQL on 127.0.0.1:5432); nothing is written.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.db import create_engine
from shared.db.engine import asyncpg_dsn

URL = os.environ.get("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
PG_CLASS = Table("pg_class", MetaData(), Column("oid", Integer), Column("relname", String), Column("relkind", String))
RAW = "SELECT pg_class.oid, pg_class.relname, pg_class.relkind FROM pg_class WHERE pg_class.oid = $1"
OID = 1259  # pg_class itself
READS = 3


def ways(engine: AsyncEngine, pool: asyncpg.Pool) -> dict[str, Callable[[], Awaitable[None]]]:
    sessions = async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)
    t = PG_CLASS
    built = select(t).where(t.c.oid == bindparam("oid"))

    async def session_per_call() -> None:
        async with sessions() as s:
            await s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            for _ in range(READS):
                (await s.execute(select(t).where(t.c.oid == OID))).mappings().first()

    async def session_once() -> None:
        async with sessions() as s:
            await s.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            for _ in range(READS):
                (await s.execute(built, {"oid": OID})).mappings().first()

    async def connection_per_call() -> None:
        async with engine.connect() as c:
            await c.execution_options(isolation_level="AUTOCOMMIT")
            for _ in range(READS):
                (await c.execute(select(t).where(t.c.oid == OID))).mappings().first()

    async def connection_once() -> None:
        async with engine.connect() as c:
            await c.execution_options(isolation_level="AUTOCOMMIT")
            for _ in range(READS):
                (await c.execute(built, {"oid": OID})).mappings().first()

    async def driver_sql() -> None:
        async with engine.connect() as c:
            await c.execution_options(isolation_level="AUTOCOMMIT")
            for _ in range(READS):
                (await c.exec_driver_sql(RAW, (OID,))).mappings().first()

    async def raw_on_engine() -> None:
        async with engine.connect() as c:
            driver: Any = (await c.get_raw_connection()).driver_connection
            for _ in range(READS):
                await driver.fetchrow(RAW, OID)

    async def bare() -> None:
        async with pool.acquire() as c:
            for _ in range(READS):
                await c.fetchrow(RAW, OID)

    return {
        "session, built per call": session_per_call,
        "session, built once": session_once,
        "connection, built per call": connection_per_call,
        "connection, built once (ours)": connection_once,
        "connection, driver SQL": driver_sql,
        "raw asyncpg on the engine's pool": raw_on_engine,
        "bare asyncpg pool": bare,
    }


async def measure(units: int, rounds: int) -> dict[str, list[float]]:
    engine = create_engine(URL, pool_size=2)
    pool = await asyncpg.create_pool(asyncpg_dsn(URL), min_size=2, max_size=2)
    results: dict[str, list[float]] = {}
    try:
        candidates = ways(engine, pool)
        for _ in range(rounds):
            for name, unit in candidates.items():
                for _ in range(50):  # warm: the pool, statement caches
                    await unit()
                started = time.process_time()
                for _ in range(units):
                    await unit()
                results.setdefault(name, []).append((time.process_time() - started) / units * 1e6)
    finally:
        await pool.close()
        await engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = asyncio.run(measure(args.units, args.rounds))
    bare = statistics.median(results["bare asyncpg pool"])
    print(f"\nCPU per unit (a pooled connection, {READS} reads by key), median of {args.rounds} rounds\n")
    print(f"| {'way':<34} | µs/unit | × bare | each round\n| {'-' * 34} | ------- | ------ | ----------")
    for name, values in results.items():
        median = statistics.median(values)
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"| {name:<34} | {median:7.0f} | {median / bare:6.2f} | {rounds}")


if __name__ == "__main__":
    main()
