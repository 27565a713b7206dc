"""``Idempotency-Key`` on every mutating request: a retried request gets the first answer, not a second effect.

One mechanism for every route: the route takes ``idem: Idempotent`` and hands it the use case::

    @router.post("/rounds/{round_id}/publish", response_model=PublicationRead)
    async def publish(round_id: UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
        return await idem.run(uow, lambda: decisions.publish(uow, actor=actor, round_id=round_id), _publication)

- **Scoped to the caller and the request target.** A key belongs to one caller — the token's role, subject,
  department and association ids — and to one method and path. Another caller (or the same person whose
  rights changed) never finds a reply stored under someone else's scope, so it never receives it: its request
  runs afresh, through the route's authorization and the use case's object-level checks. The route's role
  dependencies (``SignedIn``, ``Staff``) run before any stored reply is looked at.
- **Atomic.** With a key, the unit of work is entered first; the use case joins it (see ``UnitOfWork``), and
  the reply is recorded in the same transaction as the change. Either both exist or neither does.
- **Serialised.** Concurrent requests with one key take turns on a transaction-scoped advisory lock: the
  later one finds the earlier one's record and replays it (``Idempotent-Replayed: true``).
- **Same request only.** A key reused with a different body or query is refused (422 naming the header).
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import CursorResult, Select, bindparam, delete, insert, select, text

from shared.auth.principal import Principal
from shared.db.uow import UnitOfWork
from shared.http.problems import Problem
from shared.http.security import CurrentPrincipal
from shared.messaging.tables import idempotency_table
from shared.scheduling import PeriodicJob

T = TypeVar("T")
KEY_HEADER = "Idempotency-Key"

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=KEY_HEADER,
        min_length=1,
        max_length=200,
        description="Retry-safe key chosen by the client: a retry with the same key and body gets the first answer.",
    ),
]


def caller_scope(principal: Principal, method: str, path: str) -> str:
    """Who asks, and for what target: the keys of one scope never answer another."""
    identity = [
        principal.role.value,
        principal.subject,
        principal.department,
        sorted(str(i) for i in principal.association_ids),
        method.upper(),
        path,
    ]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


class Idempotency:
    """Built per request by the ``Idempotent`` dependency; ``run`` executes the use case at most once per key."""

    def __init__(self, request: Request, principal: Principal, key: str | None, body: bytes) -> None:
        self.request, self.key = request, key
        self.scope = caller_scope(principal, request.method, request.url.path)
        self.fingerprint = hashlib.sha256(
            b"\x1f".join([request.method.encode(), request.url.path.encode(), request.url.query.encode(), body])
        ).hexdigest()

    async def run(
        self,
        uow: UnitOfWork,
        operation: Callable[[], Awaitable[T]],
        respond: Callable[[T], BaseModel],
        *,
        status_code: int = 200,
    ) -> JSONResponse:
        """Run the use case and answer ``respond(result)``; a ``201`` also gets ``Location``."""
        if self.key is None:
            return self._answer(status_code, respond(await operation()).model_dump(mode="json"))
        async with uow:
            await uow.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"{self.scope}\x1f{self.key}"}
            )
            if (earlier := await self._stored(uow)) is not None:
                return self._answer(*earlier, replayed=True)
            body = respond(await operation()).model_dump(mode="json")
            uow.write_on_commit(  # one statement with the outbox rows
                insert(idempotency_table()).values(
                    scope=self.scope,
                    key=self.key,
                    fingerprint=self.fingerprint,
                    status_code=status_code,
                    response_body=body,
                    resource_id=_resource_id(body),
                )
            )
            await uow.commit()
        return self._answer(status_code, body)

    async def created(
        self, uow: UnitOfWork, operation: Callable[[], Awaitable[T]], respond: Callable[[T], BaseModel]
    ) -> JSONResponse:
        """``201 Created`` with ``Location`` (the new resource's ``id`` below the request path)."""
        return await self.run(uow, operation, respond, status_code=201)

    async def _stored(self, uow: UnitOfWork) -> tuple[int, Any] | None:
        row = (await uow.session.execute(_stored(), {"scope": self.scope, "key": self.key})).mappings().first()
        if row is None:
            return None
        if row["fingerprint"] != self.fingerprint:
            raise Problem(
                422,
                "Idempotency key reused",
                "This Idempotency-Key was already used for a different request.",
                field=KEY_HEADER,
            )
        return row["status_code"], row["response_body"]

    def _answer(self, status_code: int, body: Any, *, replayed: bool = False) -> JSONResponse:
        headers: dict[str, str] = {}
        if status_code == 201 and (resource_id := _resource_id(body)) is not None:
            headers["Location"] = f"{self.request.url.path.rstrip('/')}/{resource_id}"
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        return JSONResponse(body, status_code, headers=headers)


def _resource_id(body: Any) -> uuid.UUID | None:
    """The id of the resource a reply describes, so that erasing a person also erases its replayable copies."""
    if isinstance(body, dict):
        try:
            return uuid.UUID(str(body.get("id")))
        except ValueError:
            return None
    return None


async def _idempotency(request: Request, principal: CurrentPrincipal, key: IdempotencyKeyHeader = None) -> Idempotency:
    return Idempotency(request, principal, key, await request.body() if key is not None else b"")


Idempotent = Annotated[Idempotency, Depends(_idempotency)]

IDEMPOTENCY_RETENTION = timedelta(days=7)


async def purge_idempotency_records(uow: UnitOfWork, now: datetime) -> int:
    """Forget stored replies after a week: retries come within minutes, and replies may hold personal data."""
    table = idempotency_table()
    async with uow:
        result = await uow.session.execute(delete(table).where(table.c.created_at < now - IDEMPOTENCY_RETENTION))
        await uow.commit()
    return cast("CursorResult[Any]", result).rowcount or 0


PURGE_IDEMPOTENCY_RECORDS = PeriodicJob("purge_idempotency_records", purge_idempotency_records)


@functools.cache
def _stored() -> Select[Any]:
    table = idempotency_table()
    return select(table).where(table.c.scope == bindparam("scope"), table.c.key == bindparam("key"))
