"""A unit of work without a database, for fast service-layer tests (cosmicpython's second tier).

A service's fake subclasses both its real unit of work (so use cases type-check against it) and
:class:`FakeUnitOfWorkMixin`, and puts :class:`InMemoryRepository` subclasses where the real one has
repositories::

    class FakeGrantsUnitOfWork(FakeUnitOfWorkMixin, GrantsUnitOfWork):
        def _open_fakes(self) -> None:
            self.rounds = FakeRoundRepository()

Nesting behaves as in the real one: an inner ``commit`` is left to the outermost block. ``events`` holds what
committed units emitted (the outbox a test can read); ``commits`` counts real commits.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from shared.clock import Clock
from shared.contracts.envelope import Envelope, EventData
from shared.testing.clock import MovableClock

T = TypeVar("T")


class FakeUnitOfWorkMixin:
    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or MovableClock()
        self._depth = 0
        self._pending: list[Envelope[Any]] = []
        self.events: list[Envelope[Any]] = []
        self.commits = 0
        self._open_fakes()

    def _open_fakes(self) -> None:
        """Build the fake repositories (once: they keep their rows across units, like a database)."""

    @property
    def joined(self) -> bool:
        return self._depth > 1

    def reading(self) -> Self:
        return self

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._pending = []
        self._depth += 1
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._pending = []

    def emit(self, data: EventData) -> Envelope[Any]:
        envelope = Envelope.wrap(data)
        self._pending.append(envelope)
        return envelope

    async def commit(self) -> None:
        if self.joined:
            return
        self.events.extend(self._pending)
        self._pending = []
        self.commits += 1

    def emitted(self, contract: type[EventData]) -> list[Any]:
        """The data of the committed events of one contract, in order."""
        return [e.data for e in self.events if isinstance(e.data, contract)]

    def now(self) -> datetime:
        return self.clock()


class InMemoryRepository(Generic[T]):
    """Rows are copies of dataclasses keyed by ``id``: what a test reads back is what was saved."""

    def __init__(self, *rows: T) -> None:
        self.rows: dict[uuid.UUID, T] = {}
        for row in rows:
            self.rows[row.id] = copy.deepcopy(row)  # type: ignore[attr-defined]

    async def get(self, id_: uuid.UUID, *, for_update: bool = False) -> T | None:
        found = self.rows.get(id_)
        return copy.deepcopy(found) if found is not None else None

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, T]:
        return {i: copy.deepcopy(self.rows[i]) for i in ids if i in self.rows}

    async def add(self, obj: T) -> None:
        self.rows[obj.id] = copy.deepcopy(obj)  # type: ignore[attr-defined]

    async def save(self, obj: T) -> None:
        self.rows[obj.id] = copy.deepcopy(obj)  # type: ignore[attr-defined]

    async def delete(self, id_: uuid.UUID) -> None:
        self.rows.pop(id_, None)
