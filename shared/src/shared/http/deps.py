"""Dependencies every service's routes share, reading the container ``create_base_app`` put on the app.

A service names them with its own types in ``entrypoints/http/deps.py``::

    Uow = Annotated[GrantsUnitOfWork, Depends(unit_of_work)]
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from shared.db.uow import UnitOfWork


def container(request: Request) -> Any:
    return request.app.state.container


# ``async def``: FastAPI would run a plain ``def`` dependency in its thread pool, a thread hop per request.
async def unit_of_work(request: Request) -> UnitOfWork:
    """A fresh unit of work per request; the use case enters and commits it."""
    return container(request).uow()  # type: ignore[no-any-return]


async def now(request: Request) -> datetime:
    """The container's clock (tests move it)."""
    return container(request).clock()  # type: ignore[no-any-return]


Now = Annotated[datetime, Depends(now)]
