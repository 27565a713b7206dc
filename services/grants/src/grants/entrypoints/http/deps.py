"""Dependencies the routes share."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from shared.db.uow import UnitOfWork


def _uow(request: Request) -> UnitOfWork:
    return request.app.state.grants.uow()  # type: ignore[no-any-return]


def _now(request: Request) -> datetime:
    return request.app.state.grants.clock()  # type: ignore[no-any-return]


Uow = Annotated[UnitOfWork, Depends(_uow)]
Now = Annotated[datetime, Depends(_now)]
