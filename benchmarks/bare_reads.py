"""The raw baseline of ``http_reads.py``: FastAPI + asyncpg answering the same reads with the same SQL.

No SQLAlchemy, no unit of work, no middleware of ours: a pool, one statement (two for rounds) and a dict.
Served by ``uvicorn benchmarks.bare_reads:app`` with the databases in ``BARE_DIRECTORY_DSN``/``BARE_GRANTS_DSN``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI

ASSOCIATIONS = """
SELECT *, count(*) OVER () AS total FROM applicant
WHERE kind != 'private_person' AND active
ORDER BY lower(name), id LIMIT $1 OFFSET $2
"""
ROUNDS = """
SELECT *, count(*) OVER () AS total FROM grant_round
WHERE state != 'draft'
ORDER BY opens_at DESC, id LIMIT $1 OFFSET $2
"""
PROGRAMMES = "SELECT * FROM grant_programme WHERE id = ANY($1::uuid[])"
pools: dict[str, asyncpg.Pool] = {}


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    pools["directory"] = await asyncpg.create_pool(os.environ["BARE_DIRECTORY_DSN"], min_size=10, max_size=10)
    pools["grants"] = await asyncpg.create_pool(os.environ["BARE_GRANTS_DSN"], min_size=10, max_size=10)
    yield
    for pool in pools.values():
        await pool.close()


app = FastAPI(lifespan=lifespan)


def _page(rows: list[Any], limit: int, offset: int) -> dict[str, Any]:
    items = [{k: v for k, v in r.items() if k != "total"} for r in rows]
    return {"items": items, "total": rows[0]["total"] if rows else 0, "limit": limit, "offset": offset}


@app.get("/associations")
async def associations(limit: int = 20, offset: int = 0) -> dict[str, Any]:
    return _page(await pools["directory"].fetch(ASSOCIATIONS, limit, offset), limit, offset)


@app.get("/rounds")
async def rounds(limit: int = 20, offset: int = 0) -> dict[str, Any]:
    async with pools["grants"].acquire() as conn:
        rows = await conn.fetch(ROUNDS, limit, offset)
        await conn.fetch(PROGRAMMES, list({r["programme_id"] for r in rows}))
    return _page(rows, limit, offset)
