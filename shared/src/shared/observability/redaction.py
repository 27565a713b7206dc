"""Exceptions rendered for logs without the personal data their messages may carry.

A database error's text holds the failing statement's parameters and PostgreSQL's ``DETAIL`` line
(``Key (email)=(maija@example.fi) already exists``); a validation error's holds the input values. A log keeps
the traceback and what an operator needs — the exception type, the SQLSTATE, the constraint, the error
locations — and never those values.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator, MutableMapping
from typing import Any

import pydantic
from sqlalchemy import exc as sa_exc


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and its causes, outermost last (as Python prints them)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return reversed(seen)


def safe_message(exc: BaseException) -> str:
    """What an exception says, less any values from the request or the database row."""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}"
    if isinstance(exc, sa_exc.StatementError):
        exc = exc.orig if isinstance(exc.orig, BaseException) else exc
        name = f"{name} ({type(exc).__qualname__})"
    if hasattr(exc, "sqlstate") or type(exc).__module__.startswith("asyncpg"):
        parts = [f"sqlstate={getattr(exc, 'sqlstate', None)}"]
        for attribute in ("constraint_name", "table_name", "column_name"):
            if value := getattr(exc, attribute, None):
                parts.append(f"{attribute.removesuffix('_name')}={value}")
        return f"{name}: {' '.join(parts)}"
    if isinstance(exc, pydantic.ValidationError):
        where = ", ".join(".".join(map(str, e["loc"])) + f" ({e['type']})" for e in exc.errors()[:10])
        return f"{name}: {exc.error_count()} errors at {where}"
    return f"{name}: {exc}"


def render_exception(exc: BaseException) -> str:
    """A traceback like Python's, with each message passed through :func:`safe_message`."""
    lines: list[str] = []
    for i, link in enumerate(_chain(exc)):
        if i:
            lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(link.__traceback__))
        lines.append(safe_message(link) + "\n")
    return "".join(lines)


def redact_exc_info(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor in place of ``format_exc_info``."""
    exc_info = event.pop("exc_info", None)
    if exc_info:
        if exc_info is True:
            exc_info = sys.exc_info()
        exc = exc_info if isinstance(exc_info, BaseException) else exc_info[1]
        if exc is not None:
            event["exception"] = render_exception(exc)
    return event
