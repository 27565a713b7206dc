"""Dependencies the routes share: the unit of work and the clock of the app's container."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request

from directory.service_layer.privacy_forwarding import PrivacyPeer
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.http.deps import Now, container, unit_of_work

Uow = Annotated[DirectoryUnitOfWork, Depends(unit_of_work)]


async def privacy_peers(request: Request) -> Sequence[PrivacyPeer]:
    """The services a privacy request reaches besides the directory (ADR 0015)."""
    return container(request).peers  # type: ignore[no-any-return]


async def forward_delays(request: Request) -> list[float]:
    return container(request).settings.privacy_forward_retry_seconds  # type: ignore[no-any-return]


Peers = Annotated[Sequence[PrivacyPeer], Depends(privacy_peers)]
ForwardDelays = Annotated[list[float], Depends(forward_delays)]

__all__ = ["ForwardDelays", "Now", "Peers", "Uow"]
