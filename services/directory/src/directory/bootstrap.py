"""The composition root: ``bootstrap(settings, **overrides)`` builds the container every role runs on.

The HTTP app (``create_app(container)``), the worker (its jobs) and the relay take the same container; tests
pass fakes and a movable clock as overrides. Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.adapters.privacy_peers import privacy_peers
from directory.config import Settings
from directory.service_layer.privacy_forwarding import PrivacyPeer, forwarding_job
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass(kw_only=True)
class Directory(Container[Settings, DirectoryUnitOfWork]):
    """The directory's container; it owns its data and consumes no other service's events (yet).

    ``peers``: the other services holding personal data, which its privacy requests reach (ADR 0015)."""

    peers: Sequence[PrivacyPeer]

    async def close(self) -> None:
        for peer in self.peers:
            if (close := getattr(peer, "close", None)) is not None:
                await close()
        await super().close()


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Directory:
    settings = settings or Settings()
    peers = overrides.pop("peers", None)
    peers = privacy_peers(settings) if peers is None else peers
    return build_container(Directory, settings, unit_of_work=DirectoryUnitOfWork, peers=peers, **overrides)


def jobs(container: Directory) -> list[PeriodicJob]:
    """Forward pending erasures to the services holding the person's data; forget stored replies after a week."""
    return [
        forwarding_job(container.peers, lambda: container.settings.privacy_forward_retry_seconds),
        PURGE_IDEMPOTENCY_RECORDS,
    ]


def _create_app(container: Directory) -> Any:
    from directory.entrypoints.http.app import create_app

    return create_app(container)


SERVICE = ServiceDefinition(
    name="directory",
    description="The liaison directory service.",
    settings=Settings,
    migrations=MIGRATIONS,
    bootstrap=bootstrap,
    create_app=_create_app,
    jobs=jobs,
)
