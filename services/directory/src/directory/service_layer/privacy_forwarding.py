"""An erasure's parts in other services, forwarded durably (ADR 0015).

The erasure writes one pending forward per service in its own transaction; the request then tries each once,
and the worker's job ``forward_erasures`` tries again what is still pending, after a back-off, until the service
has erased the address. A forward is claimed ``FOR UPDATE SKIP LOCKED`` while it is tried, so it is never
forwarded twice at once; a forward retried after a crash repeats its ``Idempotency-Key`` and gets the first
counts. Logs name the erasure and the service, never the address.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.observability.logging import get_logger
from shared.scheduling import PeriodicJob

log = get_logger(__name__)


class PeerUnavailable(Exception):
    """The service did not answer (refused, timed out, an error status): ask again later."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service, self.reason = service, reason


class PrivacyPeer(Protocol):
    """Another service holding personal data, reached with the directory's ``service`` token."""

    name: str

    async def export(self, email: str) -> dict[str, Any]: ...

    async def erase(self, email: str, *, key: str) -> dict[str, int]: ...


def next_attempt(now: datetime, attempts: int, delays: Sequence[float]) -> datetime:
    """After the ``attempts``-th failure (1 for the first): the delays in turn, then the last one forever."""
    return now + timedelta(seconds=delays[min(attempts, len(delays)) - 1])


async def forward_erasures(
    uow: DirectoryUnitOfWork,
    *,
    peers: Sequence[PrivacyPeer],
    now: datetime,
    delays: Sequence[float],
    erasure_id: uuid.UUID | None = None,
) -> int:
    """Try the due forwards (of one erasure, when given) once each; how many the services completed."""
    by_name = {peer.name: peer for peer in peers}
    completed, down = 0, set[str]()
    while True:
        async with uow:
            # A service that failed once in this run is not asked again until the next: a notifier that is down
            # (each try up to the timeout) does not hold the worker for every one of its pending forwards.
            claimed = await uow.forwards.claim(now=now, erasure_id=erasure_id, limit=1, skip_services=down)
            if not claimed:
                return completed
            forward = claimed[0]
            peer = by_name.get(forward.service)
            try:
                if peer is None:
                    raise PeerUnavailable(forward.service, "is not configured")
                counts = await peer.erase(forward.email, key=f"directory-erasure-{forward.id}")
            except Exception as exc:
                reason = exc.reason if isinstance(exc, PeerUnavailable) else type(exc).__name__
                down.add(forward.service)
                attempts = forward.attempts + 1
                retry_at = next_attempt(now, attempts, delays)
                await uow.forwards.failed(forward, error=reason, next_attempt_at=retry_at)
                log.warning(
                    "privacy_forward_failed", erasure_id=str(forward.erasure_id), target=forward.service,
                    reason=reason, attempts=attempts, next_attempt_at=retry_at.isoformat(),
                )  # fmt: skip
            else:
                await uow.forwards.done(forward, counts)
                completed += 1
                log.info(
                    "privacy_forward_done", erasure_id=str(forward.erasure_id), target=forward.service, counts=counts
                )
            await uow.commit()  # a failed forward is due later, so the next claim passes over it


def forwarding_job(peers: Sequence[PrivacyPeer], delays: Callable[[], Sequence[float]]) -> PeriodicJob:
    """The worker's job: every due forward, tried once per run."""

    async def run(uow: DirectoryUnitOfWork, now: datetime) -> int:
        return await forward_erasures(uow, peers=peers, now=now, delays=delays())

    return PeriodicJob("forward_erasures", run)
