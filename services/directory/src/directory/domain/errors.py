"""Domain errors; the HTTP layer maps them to problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. ``field`` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class InvalidInput(DomainError):
    pass


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class Forbidden(DomainError):
    pass
