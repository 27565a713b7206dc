"""A person's data in the notifier, exported or erased on request (administrators only, as in the directory).

The notifier holds a subscriber's address, and of every mail one digest of the address it went to (a
representative's address is kept only until the mail is sent): both are found by the digest of the address.
Erasing forgets the subscription, the delivery records, and stored idempotent replies naming the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from notifier.domain.subscriber import Subscriber, digest, normalise_address
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.auth import Principal, Role
from shared.errors import Forbidden
from shared.observability.logging import get_logger

log = get_logger(__name__)
ALL = 1_000_000  # an export holds every delivery record of the address


@dataclass
class PersonData:
    email: str
    subscription: Subscriber | None
    deliveries: list[dict[str, Any]]


def _ensure_privacy_officer(actor: Principal) -> None:
    """An administrator, or the directory forwarding a request an administrator made there (ADR 0015)."""
    if actor.role is not Role.ADMIN and not actor.is_service("directory"):
        raise Forbidden("Only an administrator (or the directory, for one) handles personal-data requests.")


async def export_person(uow: NotifierUnitOfWork, *, actor: Principal, email: str) -> PersonData:
    """Everything the notifier holds of an address: its subscription and every delivery to it."""
    _ensure_privacy_officer(actor)
    address = normalise_address(email)
    key = digest(address)
    async with uow:
        s = await uow.subscribers.with_digest(key)
        deliveries, _ = await uow.deliveries.log(recipient_digest=key, limit=ALL, offset=0)
    return PersonData(address, s, deliveries)


async def erase_person(uow: NotifierUnitOfWork, *, actor: Principal, email: str) -> dict[str, int]:
    """Erase the address's subscription and delivery records; how many of each were erased."""
    _ensure_privacy_officer(actor)
    address = normalise_address(email)
    key = digest(address)
    async with uow:
        deliveries = await uow.deliveries.erase(key)
        s = await uow.subscribers.with_digest(key, for_update=True)
        if s is not None:
            await uow.subscribers.delete(s.id)
        replies = await uow.deliveries.forget_replies(email=address, resource_ids=[s.id] if s else [])
        await uow.commit()
    counts = {"subscriptions": int(s is not None), "deliveries": deliveries, "stored_replies": replies}
    log.info("person_erased", by=actor.subject, **counts)
    return counts
