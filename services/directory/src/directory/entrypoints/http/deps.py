"""Dependencies the routes share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.db.uow import UnitOfWork


def _uow(request: Request) -> UnitOfWork:
    return request.app.state.directory.uow()  # type: ignore[no-any-return]


Uow = Annotated[UnitOfWork, Depends(_uow)]
