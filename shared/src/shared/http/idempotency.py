"""``Idempotency-Key`` for creating requests: a retried request gets the first answer, not a second object.

The record is written in the same transaction as the creation, so either both exist or neither does.
Concurrent requests with one key are serialised by a transaction-scoped advisory lock on the key: the later
one finds the earlier one's record and replays its answer. A key reused with a different request body is
refused.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, cast

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import CursorResult, delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.db.uow import UnitOfWork
from shared.http.problems import Problem
from shared.messaging.tables import idempotency_table
from shared.scheduling import PeriodicJob

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Retry-safe key chosen by the client."),
]


@dataclass
class Outcome:
    status_code: int
    body: dict[str, Any]
    resource_id: uuid.UUID | None = None
    replayed: bool = False


def fingerprint(method: str, path: str, payload: Any) -> str:
    raw = json.dumps([method, path, payload], sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


async def _stored(session: AsyncSession, scope: str, key: str, print_: str) -> Outcome | None:
    table = idempotency_table()
    row = (await session.execute(select(table).where(table.c.scope == scope, table.c.key == key))).mappings().first()
    if row is None:
        return None
    if row["fingerprint"] != print_:
        raise Problem(
            422,
            "Idempotency key reused",
            "This Idempotency-Key was already used for a different request.",
            field="Idempotency-Key",
        )
    return Outcome(row["status_code"], row["response_body"], row["resource_id"], replayed=True)


async def run_idempotent(
    uow: UnitOfWork,
    *,
    key: str | None,
    scope: str,
    request_fingerprint: str,
    operation: Callable[[UnitOfWork], Awaitable[Outcome]],
) -> Outcome:
    """Run ``operation`` in ``uow`` and commit; with a key, at most once per (caller, key)."""
    if key is None:
        async with uow:
            outcome = await operation(uow)
            await uow.commit()
            return outcome
    async with uow:
        # Requests with one key take turns: the second waits for the first to commit, then replays it.
        await uow.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"{scope}\x1f{key}"}
        )
        if (earlier := await _stored(uow.session, scope, key, request_fingerprint)) is not None:
            return earlier
        outcome = await operation(uow)
        await uow.session.execute(
            insert(idempotency_table()).values(
                scope=scope,
                key=key,
                fingerprint=request_fingerprint,
                status_code=outcome.status_code,
                response_body=outcome.body,
                resource_id=outcome.resource_id,
            )
        )
        await uow.commit()
        return outcome


async def create_idempotently(
    uow: UnitOfWork,
    *,
    request: Request,
    key: str | None,
    principal: Principal,
    payload: BaseModel,
    create: Callable[[UnitOfWork], Awaitable[tuple[BaseModel, uuid.UUID]]],
) -> JSONResponse:
    """A ``201 Created`` answer with ``Location``, replayed for a retried ``Idempotency-Key``."""

    async def operation(u: UnitOfWork) -> Outcome:
        created, resource_id = await create(u)
        return Outcome(201, created.model_dump(mode="json"), resource_id)

    outcome = await run_idempotent(
        uow,
        key=key,
        scope=principal.subject,
        request_fingerprint=fingerprint(request.method, request.url.path, payload.model_dump(mode="json")),
        operation=operation,
    )
    headers = {"Location": f"{request.url.path.rstrip('/')}/{outcome.resource_id}"} if outcome.resource_id else {}
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(outcome.body, outcome.status_code, headers=headers)


IDEMPOTENCY_RETENTION = timedelta(days=7)


async def purge_idempotency_records(uow: UnitOfWork, now: datetime) -> int:
    """Forget stored replies after a week: retries come within minutes, and replies may hold personal data."""
    table = idempotency_table()
    result = await uow.session.execute(delete(table).where(table.c.created_at < now - IDEMPOTENCY_RETENTION))
    return cast("CursorResult[Any]", result).rowcount or 0


PURGE_IDEMPOTENCY_RECORDS = PeriodicJob("purge_idempotency_records", purge_idempotency_records)
