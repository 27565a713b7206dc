"""The composition root every service has: one container, built once, handed to every role.

A service's ``bootstrap(settings, **overrides)`` calls :func:`build_container` with its own container class
(a subclass adding its clients: HTTP clients, SMTP, templates) and its unit of work. The HTTP app
(``create_app(container)``), the worker (jobs and subscriptions) and the relay all take that container, and
tests pass fakes and a movable clock through the same door: ``bootstrap(settings, clock=MovableClock())``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from shared.clock import Clock, utc_now
from shared.config import ServiceSettings
from shared.db.engine import create_engine
from shared.db.uow import UnitOfWork
from shared.messaging.topology import Topology
from shared.observability.metrics import Metrics

S = TypeVar("S", bound=ServiceSettings)
U = TypeVar("U", bound=UnitOfWork)
C = TypeVar("C", bound="Container[Any, Any]")


@dataclass(kw_only=True)
class Container(Generic[S, U]):
    settings: S
    engine: AsyncEngine
    unit_of_work: Callable[[AsyncEngine, Clock], U]
    clock: Clock = utc_now
    topology: Topology
    metrics: Metrics = field(default_factory=Metrics)

    def uow(self) -> U:
        """A fresh unit of work on the service's database, with the service's clock."""
        return self.unit_of_work(self.engine, self.clock)

    async def close(self) -> None:
        """Release what the container holds; a subclass closing clients calls ``super().close()``."""
        await self.engine.dispose()


def build_container(
    container_class: type[C],
    settings: ServiceSettings,
    *,
    unit_of_work: Callable[[AsyncEngine, Clock], UnitOfWork],
    pre_ping: bool = False,
    max_overflow: int | None = None,
    **overrides: Any,
) -> C:
    """The container with its engine and topology; ``overrides`` replace any field (tests pass fakes).

    A subscription's batch holds one connection, a retried event one more while it is tried: the worker keeps
    the engine's overflow. An HTTP request holds one, so the API runs a fixed pool (``max_overflow=0``).
    """
    engine = overrides.pop("engine", None) or create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        pre_ping=pre_ping,
        max_overflow=max_overflow,
    )
    fields: dict[str, Any] = {
        "settings": settings,
        "engine": engine,
        "unit_of_work": unit_of_work,
        "topology": Topology.of(settings),
    }
    return container_class(**(fields | overrides))
