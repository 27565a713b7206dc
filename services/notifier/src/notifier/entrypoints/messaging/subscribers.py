"""What the notifier does when another service's event arrives: ``on_<event>(uow, event, meta)``."""

from __future__ import annotations

from typing import Any

from notifier.bootstrap import Notifier
from shared.messaging.consumer import Subscription


def subscriptions(container: Notifier) -> list[Subscription[Any]]:
    return []
