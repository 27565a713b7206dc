"""The unit of work: one transaction in which a use case changes state and emits its events.

A use case owns its transaction::

    async def approve(uow: GrantsUnitOfWork, *, ...) -> Thing:
        async with uow:
            thing = await uow.things.get(...)
            thing.approve(uow.clock())
            uow.emit(ThingApproved(...))
            await uow.commit()
        return thing

Leaving the block without ``commit`` rolls back. A unit of work **joins an enclosing one**: when the caller
has already entered it (the consumer, which records the event in its inbox first; an idempotent request,
which records its reply), the use case's ``async with`` and ``commit`` take part in the caller's transaction
and the caller commits once, so the inbox row, the idempotency record, the state change and the outbox rows
are written together or not at all.

A service subclasses it to expose its repositories (``uow.rounds``) by overriding ``_open``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Insert
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.clock import utc_now
from shared.contracts.envelope import Envelope, EventData
from shared.db.engine import Session
from shared.messaging.outbox import add_to_outbox
from shared.observability.correlation import current_correlation_id


class UnitOfWork:
    session: Session

    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self.clock = clock
        self._pending: list[Envelope[Any]] = []
        self._along: list[Insert] = []
        self._depth = 0
        self._reading = False

    def _open(self, session: Session) -> None:
        """Build the service's repositories on the new session (a subclass overrides this)."""

    @property
    def joined(self) -> bool:
        """True inside a nested ``async with``: ``commit`` is left to the outermost block."""
        return self._depth > 1

    def reading(self) -> Self:
        """For a use case that only reads (``async with uow.reading():``): its statements run outside a
        transaction (autocommit), which spares the BEGIN and ROLLBACK round trips. Nothing is lost: each
        statement of a READ COMMITTED transaction sees its own snapshot anyway. Inside an enclosing unit it
        simply joins that unit's transaction; a reading unit never commits."""
        if self._depth == 0:
            self._reading = True
        return self

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self.session = await self._engine.connect().start()  # a pooled connection; BEGIN with its first statement
            self._pending, self._along = [], []
            self._open(self.session)
            if self._reading:  # the pool resets the isolation level when the connection returns
                await self.session.execution_options(isolation_level="AUTOCOMMIT")
        self._depth += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            try:
                await self.session.rollback()  # a no-op after commit
            finally:
                await self.session.close()
            self._pending, self._along, self._reading = [], [], False

    def emit(self, data: EventData) -> Envelope[Any]:
        envelope = Envelope.wrap(data, correlation_id=current_correlation_id())
        self._pending.append(envelope)
        return envelope

    def write_on_commit(self, statement: Insert) -> None:
        """An insert that ``commit`` sends with the outbox rows in one statement (the idempotency record): for
        a row nothing in the transaction reads back."""
        self._along.append(statement)

    def pending_count(self) -> int:
        """How many events wait for the commit (the batching consumer marks this before each handler)."""
        return len(self._pending)

    def drop_pending(self, mark: int) -> None:
        """Forget the events emitted since ``mark``: their handler's savepoint was rolled back."""
        del self._pending[mark:]

    async def commit(self) -> None:
        if self.joined:
            return  # the enclosing block commits this work with its own
        if self._reading:
            raise RuntimeError("A unit of work entered with reading() commits nothing.")
        await add_to_outbox(self.session, self._pending, along=self._along)
        await self.session.commit()
        self._pending, self._along = [], []
