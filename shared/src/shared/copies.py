"""A copy of another service's records: kept current from its events, filled once over its HTTP API.

A service that needs another's records to check its own rules (grants: the directory's applicants,
departments and liaison contacts; later bookings and the notifier) keeps a copy in its own database, because
it must not call the owner on every request nor share its tables. The copy holds ids and what the rules
need, never more personal data than the owner's events carry.

**Events arrive in any order and more than once.** Each handler has its own queue, so a deactivation can
overtake the registration before it; a redelivery brings an event twice; a first fill runs while events flow.
Every write is therefore guarded by the owner's *revision* (a number that grows with every change), and
applying anything twice, or late, is harmless:

- a **whole record** (registered, updated, or an item of the first fill) replaces what the copy holds only
  when it is newer: ``INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE copy.record_revision < excluded.revision``;
- a **status event** (deactivated, unassigned) carries only a few *status columns*; it changes them only when
  newer than anything the row has seen (``WHERE copy.revision < excluded.revision``). Arriving before the
  record's creation it is not lost: it leaves a *placeholder* row holding only what is known (the other
  columns NULL, ``record_revision`` NULL), which the record completes when it comes, without undoing the
  newer status.

Hence two revisions per row: ``revision``, the newest the row has seen at all (it guards the status
columns), and ``record_revision``, that of the last whole record applied (it guards the other columns). With
one alone, a record older than a status event but newer than the record that completed the placeholder
would be dropped, and the copy would keep a stale name for good.

An owner whose events carry no revision (the directory's departments and liaison contacts) is ordered by the
event's ``occurred_at`` instead (:func:`revision_at`); its first fill then uses revision 0, so it completes
the copy but never overwrites what an event brought.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy import BigInteger, Column, CursorResult, DateTime, MetaData, Table, case, func
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.sql.schema import SchemaItem

from shared.db import Session, statements
from shared.db.repository import RowModel
from shared.db.uow import UnitOfWork

T = TypeVar("T")
U = TypeVar("U", bound=UnitOfWork)

COPY_COLUMNS = frozenset({"id", "revision", "record_revision", "copied_at"})
"""The columns every copy table has besides the owner's."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def copy_table(name: str, metadata: MetaData, *columns: SchemaItem) -> Table:
    """Declare a copy table on a service's metadata: ``id``, the revisions, the owner's ``columns``, ``copied_at``.

    Columns a status event does not carry must be nullable (or have a default): a placeholder row holds only
    what the status event knew.
    """
    return Table(
        name,
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("revision", BigInteger, nullable=False),  # the newest revision the row has seen
        Column("record_revision", BigInteger),  # that of the last whole record; NULL in a placeholder
        *columns,
        Column("copied_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def revision_at(occurred_at: datetime) -> int:
    """A revision for an owner whose events carry none: the event's time in microseconds since 1970."""
    return (occurred_at - _EPOCH) // timedelta(microseconds=1)


class CopyRepository(RowModel[T]):
    """Reads and guarded writes of one copy table, whose rows read as the dataclass ``model``.

    A subclass names its ``table``, ``model``, the ``status_columns`` its status events set, and ``enums``
    for columns stored as text. Nothing else writes to a copy: there is no plain ``add`` or ``save``.
    """

    table: ClassVar[Table]
    status_columns: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reads -----------------------------------------------------------------------------------------------
    async def get(self, id_: uuid.UUID) -> T | None:
        row = (await self.session.execute(statements.by_id(self.table), {"id": id_})).mappings().first()
        return None if row is None else self._from_row(row)

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, T]:
        """Several rows in one query, keyed by id; missing ids are simply absent."""
        if not ids:
            return {}
        found = self._from_rows(await self.session.execute(statements.by_ids(self.table), {"ids": list(ids)}))
        return {obj.id: obj for obj in found}  # type: ignore[attr-defined]

    # -- guarded writes --------------------------------------------------------------------------------------
    async def put_record(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        """A whole record (registered, updated): written unless the copy already holds a newer one."""
        return await self.put_records([{"id": id_, "revision": revision, **values}]) == 1

    async def put_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Whole records (``id``, ``revision`` and the same owner columns each) in one statement, as the first
        fill applies a page; returns how many rows were written. Of one id, the newest record counts."""
        newest: dict[uuid.UUID, Mapping[str, Any]] = {}
        for record in records:
            earlier = newest.get(record["id"])
            if earlier is None or earlier["revision"] < record["revision"]:
                newest[record["id"]] = record
        if not newest:
            return 0
        names = self._owner_columns(next(iter(newest.values())))
        if any(self._owner_columns(r) != names for r in newest.values()):
            raise ValueError("every record of one statement names the same columns")
        t = self.table
        rows = [{**r, "record_revision": r["revision"]} for r in newest.values()]
        statement = insert(t).values(rows)
        new = statement.excluded
        status_newer = t.c.revision < new.revision
        set_: dict[str, Any] = {
            name: case((status_newer, new[name]), else_=t.c[name]) if name in self.status_columns else new[name]
            for name in names
        }
        set_ |= {
            "revision": func.greatest(t.c.revision, new.revision),
            "record_revision": new.revision,
            "copied_at": func.now(),
        }
        record_newer = t.c.record_revision.is_(None) | (t.c.record_revision < new.revision)
        result = await self.session.execute(
            statement.on_conflict_do_update(index_elements=[t.c.id], set_=set_, where=record_newer)
        )
        return _rowcount(result)

    async def put_status(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        """A status event's columns, unless the copy has seen a newer revision; before the record's creation
        it leaves a placeholder (the other columns NULL) that the record completes later."""
        unknown = set(values) - self.status_columns
        if unknown:
            raise ValueError(f"not status columns of {self.table.name}: {sorted(unknown)}")
        t = self.table
        statement = insert(t).values(id=id_, revision=revision, record_revision=None, **values)
        set_ = {name: statement.excluded[name] for name in values} | {
            "revision": statement.excluded.revision,
            "copied_at": func.now(),
        }
        result = await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[t.c.id], set_=set_, where=t.c.revision < statement.excluded.revision
            )
        )
        return _rowcount(result) == 1

    def _owner_columns(self, record: Mapping[str, Any]) -> frozenset[str]:
        names = frozenset(record) - COPY_COLUMNS
        if missing := names - set(self.table.c.keys()):
            raise ValueError(f"no such columns in {self.table.name}: {sorted(missing)}")
        return names


def _rowcount(result: Any) -> int:
    return (result.rowcount if isinstance(result, CursorResult) else 0) or 0


# -- the first fill over the owner's HTTP API -----------------------------------------------------------------
class _Response(Protocol):
    def raise_for_status(self) -> object: ...

    def json(self) -> Any: ...


class PagedClient(Protocol):
    """What the fill needs of an HTTP client (``httpx.AsyncClient`` is one), based at the owner's API."""

    async def get(self, url: str, *, params: dict[str, Any]) -> _Response: ...


async def fetch_pages(
    client: PagedClient, path: str, params: Mapping[str, Any] | None = None, page_size: int = 100
) -> AsyncIterator[list[dict[str, Any]]]:
    """The items the owner lists at ``path``, a page at a time (``?limit=&offset=`` until ``total``).

    A list answered as a plain JSON array is one page. Offset paging over records that change meanwhile may
    miss one; the events cover what changes after the consumers' queues exist, and a repeated fill is harmless.
    """
    offset = 0
    while True:
        response = await client.get(path, params={**(params or {}), "limit": page_size, "offset": offset})
        response.raise_for_status()
        body = response.json()
        if isinstance(body, list):
            if body:
                yield body
            return
        items: list[dict[str, Any]] = body["items"]
        if not items:
            return
        yield items
        offset += len(items)
        if offset >= body["total"]:
            return


async def fill_copy(
    new_uow: Callable[[], U],
    pages: AsyncIterable[Sequence[dict[str, Any]]],
    apply: Callable[[U, Sequence[dict[str, Any]]], Awaitable[object]],
) -> int:
    """Apply each page in a unit of work of its own (a failure keeps the pages before it); returns the items seen.

    ``apply`` writes through the copy repository's guarded methods, so filling twice, or while events flow,
    changes nothing that is already as new.
    """
    seen = 0
    async for page in pages:
        async with new_uow() as uow:
            await apply(uow, page)
            await uow.commit()
        seen += len(page)
    return seen
