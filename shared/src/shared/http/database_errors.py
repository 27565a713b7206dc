"""A database refusal that input caused is the client's problem, never a 500.

PostgreSQL names the constraint it enforced (our constraints are named by convention: ``ck_<table>_<rule>``,
``uq_<table>_<column>``, ``fk_<table>_<column>_<referred table>``), so the answer names the field where the
constraint reveals it. Class 23 (integrity): check and not-null → 422, unique and exclusion → 409, a
reference to a missing row → 422, deleting a row still referenced → 409. Class 22 (data: out of range,
untranslatable text) → 422.

Logged with the constraint name and SQLSTATE only: the statement's parameters and PostgreSQL's detail carry
the values (names, emails), which are personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from shared.http.problems import Problem
from shared.observability.logging import get_logger

log = get_logger(__name__)
_KEY_COLUMNS = re.compile(r"^Key \(([^)]*(?:\([^)]*\))?[^)]*)\)=")


@dataclass(frozen=True)
class DatabaseRefusal:
    sqlstate: str
    constraint: str | None
    table: str | None
    column: str | None
    detail: str | None

    @classmethod
    def of(cls, exc: BaseException) -> DatabaseRefusal | None:
        """The PostgreSQL error behind a SQLAlchemy or asyncpg exception, if it is one input can cause."""
        for candidate in _causes(exc):
            sqlstate = getattr(candidate, "sqlstate", None)
            if isinstance(sqlstate, str) and sqlstate[:2] in ("22", "23"):
                source = next((e for e in _causes(exc) if getattr(e, "table_name", None)), candidate)
                return cls(
                    sqlstate=sqlstate,
                    constraint=getattr(source, "constraint_name", None),
                    table=getattr(source, "table_name", None),
                    column=getattr(source, "column_name", None),
                    detail=getattr(source, "detail", None) or getattr(candidate, "detail", None),
                )
        return None

    def problem(self, sent_fields: frozenset[str]) -> Problem:
        status, title, detail = self._kind()
        log.warning("http_database_refused", sqlstate=self.sqlstate, constraint=self.constraint, status=status)
        field = self.field(sent_fields)
        return Problem(status, title, detail, field=field)

    def _kind(self) -> tuple[int, str, str]:
        state = self.sqlstate
        if state == "23505":
            return 409, "Conflict", "Another record already has this value."
        if state == "23P01":
            return 409, "Conflict", "This clashes with another record."
        if state == "23503":
            if self.detail and "still referenced" in self.detail:
                return 409, "Conflict", "Other records still refer to this one."
            return 422, "Invalid input", "This refers to a record that does not exist."
        if state.startswith("23"):
            return 422, "Invalid input", "These values do not fit together."
        return 422, "Invalid input", "A value is out of range or cannot be stored."

    def field(self, sent_fields: frozenset[str]) -> str | None:
        """The request field at fault: the column PostgreSQL names, the key's column, or the field the
        constraint's name starts with — if the client sent a field by that name."""
        columns = [self.column] if self.column else self._key_columns()
        for column in columns:
            if column in sent_fields:
                return column
        rule = self._rule()
        if not rule:
            return None
        words = rule.split("_")
        for n in range(len(words), 0, -1):
            stem = "_".join(words[:n])
            matches = sorted(f for f in sent_fields if f == stem or f.startswith(stem + "_"))
            if len(matches) == 1:
                return matches[0]
        return None

    def _key_columns(self) -> list[str]:
        """``Key (programme_id, year)=(…)`` → the columns; the values after ``=`` are never read."""
        match = _KEY_COLUMNS.match(self.detail or "")
        if not match:
            return []
        names = [re.sub(r"^\w+\((\w+)\)$", r"\1", c.strip()) for c in match.group(1).split(",")]
        return [n for n in names if n.isidentifier()]

    def _rule(self) -> str | None:
        """``ck_grant_round_closes_after_opening`` on table ``grant_round`` → ``closes_after_opening``."""
        if not self.constraint or not self.table:
            return None
        prefix = f"{self.constraint[:3]}{self.table}_"
        return self.constraint[len(prefix) :] if self.constraint.startswith(prefix) else None


def _causes(exc: BaseException) -> list[Any]:
    seen: list[Any] = []
    todo: list[Any] = [exc]
    while todo and len(seen) < 8:
        item = todo.pop(0)
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [getattr(item, "orig", None), item.__cause__ if isinstance(item, BaseException) else None]
    return seen
