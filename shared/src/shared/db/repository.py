"""A repository over one table whose rows are a dataclass: get, add, save, delete, and a paged query.

Services subclass it per aggregate (``table``, ``model``, ``enums`` for columns stored as text) and name the
unique constraints whose violation is the caller's mistake, so that it becomes a Conflict naming the field.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from shared.db import statements
from shared.db.engine import Session
from shared.errors import Conflict

T = TypeVar("T")
_CLOCK_COLUMNS = ("created_at", "updated_at")


class RowModel(Generic[T]):
    """Rows read as the dataclass ``model``: its fields taken from the row's columns, ``enums`` (column ->
    enum type) for the columns stored as text. The base of :class:`Repository` and of the copies' repositories
    (``shared.copies``)."""

    model: ClassVar[type[Any]]
    enums: ClassVar[dict[str, Any]] = {}

    def _from_row(self, row: Any) -> T:
        """The model built from a row's mapping (``dict``, ``RowMapping``): its columns that are fields."""
        names = _field_names(self.model)
        values = {k: v for k, v in row.items() if k in names}
        for name, enum in self.enums.items():
            if values.get(name) is not None:
                values[name] = enum(values[name])
        return self.model(**values)  # type: ignore[no-any-return]

    def _from_rows(self, result: Any) -> list[T]:
        """The models of every row of ``result`` (a ``CursorResult``), through :meth:`_from_row`."""
        return [self._from_row(row) for row in dicts(result)]


class Repository(RowModel[T]):
    table: ClassVar[Table]
    # constraint name -> (field, message)
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, session: Session) -> None:
        self.session = session

    def _to_row(self, obj: T) -> dict[str, Any]:
        columns = set(self.table.c.keys()) - set(_CLOCK_COLUMNS)  # the database keeps time
        return {k: v for k, v in dataclasses.asdict(obj).items() if k in columns}  # type: ignore[call-overload]

    def _returning(self, *names: str) -> list[Any]:
        return [self.table.c.id, *(self.table.c[n] for n in names if n in self.table.c)]

    def _stamp(self, obj: T, row: Any) -> None:
        for name, value in row.items():
            if name in _CLOCK_COLUMNS and hasattr(obj, name):
                setattr(obj, name, value)

    async def get(self, id_: uuid.UUID, *, for_update: bool = False) -> T | None:
        query = statements.by_id(self.table, for_update=for_update)
        row = (await self.session.execute(query, {"id": id_})).mappings().first()
        return None if row is None else self._from_row(row)

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, T]:
        """Several rows in one query, keyed by id; missing ids are simply absent."""
        if not ids:
            return {}
        found = self._from_rows(await self.session.execute(statements.by_ids(self.table), {"ids": list(ids)}))
        return {obj.id: obj for obj in found}  # type: ignore[attr-defined]

    async def add(self, obj: T) -> None:
        statement = insert(self.table).values(self._to_row(obj)).returning(*self._returning(*_CLOCK_COLUMNS))
        self._stamp(obj, await self._write(statement))

    async def save(self, obj: T) -> None:
        t, row = self.table, self._to_row(obj)
        values = row | ({"updated_at": func.now()} if "updated_at" in t.c else {})
        statement = update(t).where(t.c.id == row["id"]).values(**values).returning(*self._returning("updated_at"))
        self._stamp(obj, await self._write(statement))

    async def delete(self, id_: uuid.UUID) -> None:
        await self.session.execute(delete(self.table).where(self.table.c.id == id_))

    async def _write(self, statement: Any) -> Any:
        """Execute an insert or update; a broken unique rule becomes a Conflict naming the field.

        Only a repository naming unique rules opens a savepoint (two round trips), so that the Conflict leaves
        the transaction usable; without any, an IntegrityError is no caller's to recover from, and it ends the
        transaction as any other error does."""
        if not self.unique_violations:
            return (await self.session.execute(statement)).mappings().one()
        try:
            async with self.session.begin_nested():
                return (await self.session.execute(statement)).mappings().one()
        except IntegrityError as exc:
            for constraint, (field, message) in self.unique_violations.items():
                if constraint in str(exc.orig):
                    raise Conflict(message, field=field) from exc
            raise

    async def _all(self, query: Select[Any]) -> list[T]:
        return self._from_rows(await self.session.execute(query))

    async def _page(self, query: Select[Any], order: Sequence[Any], limit: int, offset: int) -> tuple[list[T], int]:
        """One page and the total in one round trip (``count(*) OVER ()``); a separate count only for a page
        past the end (no row to carry the total) or a DISTINCT query (the window would count duplicates)."""
        if query._distinct:
            return await self._all(query.order_by(*order).limit(limit).offset(offset)), await self._count(query)
        counted = query.add_columns(func.count().over().label(_TOTAL))
        rows = dicts(await self.session.execute(counted.order_by(*order).limit(limit).offset(offset)))
        if rows:
            return [self._from_row(r) for r in rows], int(rows[0][_TOTAL])
        return [], 0 if offset == 0 else await self._count(query)

    async def _count(self, query: Select[Any]) -> int:
        return int((await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one())


_TOTAL = "_page_total"


def dicts(result: Any) -> list[dict[str, Any]]:
    """Every row of ``result`` (a ``CursorResult``) as a ``dict``: the rows come as tuples, zipped with the keys
    read once. A ``RowMapping`` per row (``result.mappings()``) cost about as much Python as running the
    statement (a 20-row page of applicants: 0.36 ms against 0.27 ms; ``benchmarks/README.md``, "HTTP reads")."""
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


_FIELD_NAMES: dict[type[Any], frozenset[str]] = {}


def _field_names(model: type[Any]) -> frozenset[str]:
    names = _FIELD_NAMES.get(model)
    if names is None:
        names = _FIELD_NAMES[model] = frozenset(f.name for f in dataclasses.fields(model))
    return names
