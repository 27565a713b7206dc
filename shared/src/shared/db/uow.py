"""The unit of work: one transaction in which a use case changes state and emits its events."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts.envelope import Envelope, EventData
from shared.messaging.outbox import add_to_outbox
from shared.observability.correlation import current_correlation_id


class UnitOfWork:
    """``async with uow: ...; uow.emit(event); await uow.commit()``; leaving without commit rolls back."""

    session: AsyncSession

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._pending: list[Envelope[Any]] = []

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessionmaker()
        self._pending = []
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.rollback()  # a no-op after commit
        await self.session.close()
        self._pending = []

    def emit(self, data: EventData) -> Envelope[Any]:
        envelope = Envelope.wrap(data, correlation_id=current_correlation_id())
        self._pending.append(envelope)
        return envelope

    async def commit(self) -> None:
        await add_to_outbox(self.session, self._pending)
        await self.session.commit()
        self._pending = []
