"""Which failures are the database's (or the network's) and not the request's or the event's.

They say nothing about what was asked: a consumer pauses on them without spending an event's delivery attempts
(``shared.messaging.retry``), and the HTTP layer answers them 503 with ``Retry-After`` instead of 500
(``shared.http.problems``).
"""

from __future__ import annotations

import asyncpg
from sqlalchemy import exc as sa_exc

_INFRASTRUCTURE = (
    OSError,  # refused, reset, unreachable (ConnectionError is one)
    TimeoutError,
    sa_exc.TimeoutError,  # the pool had no connection to give
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.OperatorInterventionError,  # backend terminated, server shutting down
    asyncpg.exceptions.TooManyConnectionsError,
)


def is_infrastructure_failure(exc: BaseException) -> bool:
    """True when the failure is the database's or the network's, not the event's or the handler's."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, _INFRASTRUCTURE):
            return True
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
    return False
