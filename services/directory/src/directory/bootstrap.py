"""The composition root: ``bootstrap(settings, **overrides)`` builds the container every role runs on.

The HTTP app (``create_app(container)``), the worker (its jobs) and the relay take the same container; tests
pass fakes and a movable clock as overrides. Nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory.config import Settings
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass(kw_only=True)
class Directory(Container[Settings, DirectoryUnitOfWork]):
    """The directory's container; it owns its data and consumes no other service's events (yet)."""


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Directory:
    return build_container(Directory, settings or Settings(), unit_of_work=DirectoryUnitOfWork, **overrides)


def jobs(_container: Directory) -> list[PeriodicJob]:
    return [PURGE_IDEMPOTENCY_RECORDS]


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
