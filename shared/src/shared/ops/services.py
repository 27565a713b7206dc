"""The services ``pori-ops`` looks after, found by their ``pori.services`` entry points, never imported by name.

Each service's pyproject declares ``[project.entry-points."pori.services"] grants = "grants.bootstrap:SERVICE"``;
a :class:`~shared.cli.ServiceDefinition` gives its settings (from its environment, as the service reads them),
its container and its subscriptions, and so the names of its queues.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points

from shared.cli import ServiceDefinition
from shared.config import ServiceSettings
from shared.messaging.topology import Topology

GROUP = "pori.services"


def discover() -> list[ServiceDefinition]:
    """Every installed service, by name; one that fails to load is reported and left out."""
    found: list[ServiceDefinition] = []
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        try:
            service = point.load()
        except Exception as exc:
            print(f"warning: service {point.name} did not load: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        if isinstance(service, ServiceDefinition):
            found.append(service)
        else:
            print(f"warning: {point.value} is not a ServiceDefinition", file=sys.stderr)
    return found


@dataclass(frozen=True)
class ServiceView:
    """A service as the operator sees it: its settings, names and consumer queues."""

    name: str
    settings: ServiceSettings
    topology: Topology
    queues: tuple[str, ...]

    def dead_letter_queue(self, queue: str) -> str:
        return self.topology.dead_letter_queue(queue)


async def describe(service: ServiceDefinition, *, namespace: str | None = None) -> ServiceView:
    """The service's settings (``--namespace`` replacing its own) and the queues of its subscriptions."""
    settings = service.settings()
    if namespace is not None:
        settings = settings.model_copy(update={"namespace": namespace})
    container = service.bootstrap(settings)
    try:
        queues = tuple(
            container.topology.queue_name(settings.service_name, sub.contract)
            for sub in service.subscriptions(container)
        )
    finally:
        await container.close()
    return ServiceView(service.name, settings, container.topology, queues)


@dataclass(frozen=True)
class Located:
    """A queue an operator named, and what it is."""

    service: ServiceView
    queue: str  # the consumer queue, or the parking queue
    dead_letters: str  # the queue to read: ``<queue>.dlq``, or the parking queue itself
    parked: bool = False


class UnknownQueue(LookupError):
    pass


def locate(views: Sequence[ServiceView], name: str) -> Located:
    """``grants.on_x``, ``grants.on_x.dlq``, either without the namespace, or ``events.unrouted``."""
    bare = name.removesuffix(".dlq")
    for view in views:
        ns = view.topology.namespace
        candidates = {bare, f"{ns}.{bare}"} if ns else {bare}
        for queue in view.queues:
            if queue in candidates:
                return Located(view, queue, view.dead_letter_queue(queue))
        if view.topology.unrouted in candidates:
            return Located(view, view.topology.unrouted, view.topology.unrouted, parked=True)
    known = sorted({q for v in views for q in v.queues} | {v.topology.unrouted for v in views})
    raise UnknownQueue(f"no service consumes from {name!r}; known queues: {', '.join(known) or 'none'}")
