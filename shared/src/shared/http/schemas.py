"""The base of every request body: strict, closed, and explicit about what may be left out or cleared.

``RequestModel`` forbids unknown fields and parses strictly: an integer is an integer (not ``"5"`` nor
``5.0`` nor ``true``), a bool is a bool, a string a string. FastAPI validates the parsed JSON as Python
objects, where pydantic's strict mode would refuse the strings that JSON uses for dates, times, UUIDs and
enums; the annotated types below accept exactly those strings, and nothing else (no Unix timestamps)::

    class RoundCreate(RequestModel):
        opens_at: IsoDateTime
        kind: Choice[GrantKind]
        round_id: Uuid

Text is stripped of surrounding whitespace: where it must not be empty, add ``NOT_BLANK`` so that the schema
says blank text is refused too (``Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), NOT_BLANK]``;
not on a dict's key type, where pydantic would turn the pattern into ``patternProperties``).

A partial update (PATCH) leaves a field out to keep it. A field that may be cleared is ``X | None``; one that
may not is ``X | MISSING = MISSING``: optional, never ``null`` (the OpenAPI schema says so, and a ``null``
is refused naming the field).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import MISSING, AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict

from shared.localtime import LocalTimeError, resolve_local

__all__ = ["MISSING", "NOT_BLANK", "Choice", "IsoDate", "IsoDateTime", "IsoTime", "RequestModel", "Uuid"]

E = TypeVar("E", bound=Enum)


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    def fields(self) -> dict[str, Any]:
        """The fields the client sent, as plain values for the domain."""
        return self.model_dump(exclude_unset=True)


def _text(kind: type, pattern: str, example: str) -> Callable[[Any], Any]:
    form = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, kind):  # built in Python, e.g. by a test or another model
            return value
        if isinstance(value, str) and form.match(value):
            return value
        raise ValueError(f"Must be text such as {example}")

    return check


_DATE = _text(dt.date, r"^\d{4}-\d{2}-\d{2}$", "2027-03-31")
_DATETIME = _text(dt.datetime, r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", "2027-03-31T16:00 or 2027-03-31T16:00:00+03:00")
_TIME = _text(dt.time, r"^\d{2}:\d{2}", "16:00")
_UUID = _text(uuid.UUID, r"^", "5f0c6f9e-2f1c-4d9b-9d6e-1c2b3a4d5e6f")

IsoDate = Annotated[dt.date, Strict(False), BeforeValidator(_DATE)]
"""An ISO date string, ``2027-03-31``."""


def _one_moment(value: dt.datetime) -> dt.datetime:
    try:
        return resolve_local(value).astimezone(dt.UTC)
    except LocalTimeError as refused:
        raise ValueError(refused.message) from None


IsoDateTime = Annotated[dt.datetime, Strict(False), BeforeValidator(_DATETIME), AfterValidator(_one_moment)]
"""An ISO date and time string, with or without its offset; without one it is a Helsinki wall-clock time, and one
that does not exist or happens twice (the nights the clocks change) is refused, asking for an offset. The value
is the moment in UTC: Python compares and subtracts two times of one zone by their wall clocks, which is wrong
across a clock change, and UTC has none."""
IsoTime = Annotated[dt.time, Strict(False), BeforeValidator(_TIME)]
"""An ISO time string, ``16:00``."""
Uuid = Annotated[uuid.UUID, Strict(False), BeforeValidator(_UUID)]
"""A UUID string."""
Choice = Annotated[E, Strict(False)]
"""One of an enum's values, as JSON sends it: ``Choice[ApplicantKind]``."""

_SPACE = "\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
NOT_BLANK_PATTERN = f"^[^\\u0000]*[^\\u0000{_SPACE}][^\\u0000]*$"
"""Some character that is neither whitespace (as Python's ``str.strip`` sees it) nor U+0000."""
NOT_BLANK = Field(json_schema_extra={"pattern": NOT_BLANK_PATTERN})
"""Documents that stripped text must keep a character (the validation itself is ``min_length=1``)."""
