"""Dependencies the routes share: the unit of work and the clock of the app's container."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.http.deps import Now, unit_of_work

Uow = Annotated[CalendarUnitOfWork, Depends(unit_of_work)]

__all__ = ["Now", "Uow"]
