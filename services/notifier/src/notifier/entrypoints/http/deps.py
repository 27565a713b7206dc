"""Dependencies the routes share: the unit of work and the clock of the app's container."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.http.deps import Now, unit_of_work

Uow = Annotated[NotifierUnitOfWork, Depends(unit_of_work)]

__all__ = ["Now", "Uow"]
