"""Errors a use case raises when a rule is broken; every service's HTTP layer maps them to problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. ``field`` names the input at fault, when there is one."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, field: str | None = None, **extra: str) -> None:
        super().__init__(message)
        self.message, self.field, self.extra = message, field, extra


class InvalidInput(DomainError):
    status, title = 422, "Invalid input"


class NotFound(DomainError):
    status, title = 404, "Not found"


class Conflict(DomainError):
    """The request clashes with the current state: a duplicate, or a transition that is not allowed now."""

    status, title = 409, "Conflict"


class Forbidden(DomainError):
    status, title = 403, "Forbidden"


class Unavailable(DomainError):
    """Another service the answer needs did not answer (``service`` names it): try again later."""

    status, title = 503, "Service unavailable"

    def __init__(self, message: str, *, service: str) -> None:
        super().__init__(message, service=service)
        self.service = service
