"""What grants does when another service's event arrives.

Grants keeps a copy of the directory's applicants, departments and liaison contacts; the kit maps the
directory's events to guarded writes of that copy (``shared.directory_copy``), in the consumer's unit of work.
"""

from __future__ import annotations

from typing import Any

from grants.bootstrap import Grants
from shared.directory_copy import directory_subscriptions
from shared.messaging.consumer import Subscription


def subscriptions(_container: Grants) -> list[Subscription[Any]]:
    return directory_subscriptions(applicants=True, departments=True, liaisons=True)
