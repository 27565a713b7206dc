"""Statements built once per process and run with bind parameters.

Building a Core statement (``select(table).where(table.c.id == id_)``) costs more Python than sending it: of a
pooled connection running three reads, building them each time took ~30 % of the Python time (benchmarks'
README, "Statements"). A statement whose shape does not change is therefore built once, on first use (never at
import), with :func:`~sqlalchemy.bindparam` where its values go, and each call passes only the values::

    @functools.cache
    def _in_period() -> Select[Any]:
        t = occurrence
        return select(t).where(t.c.facility_id == bindparam("facility_id"), ...)

    rows = await session.execute(_in_period(), {"facility_id": facility_id, ...})

SQLAlchemy memoises a statement object's cache key, so its compiled form is found without walking it again.
A query whose shape depends on the request (optional filters) stays built per call, or is cached per shape.
This module holds the ones every repository shares.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Select, Table, bindparam, select


@functools.cache
def by_id(table: Table, *, for_update: bool = False) -> Select[Any]:
    """The row of ``table`` whose ``id`` is the parameter ``id``."""
    query = select(table).where(table.c.id == bindparam("id"))
    return query.with_for_update() if for_update else query


@functools.cache
def by_ids(table: Table) -> Select[Any]:
    """The rows of ``table`` whose ``id`` is in the list parameter ``ids``."""
    return select(table).where(table.c.id.in_(bindparam("ids", expanding=True)))
