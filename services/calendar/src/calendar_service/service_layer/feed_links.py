"""Associations' own iCalendar feeds (public schedule plus the association's own deadlines) behind signed,
revocable links. The link is given to the association's representatives (and staff); the feed itself is read
with the link alone, as calendar apps cannot send a bearer token."""

from __future__ import annotations

import uuid
from datetime import date

from calendar_service.domain.feed_link import feed_token, token_matches
from calendar_service.service_layer.schedule import ShownEntry, feed
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound


def _ensure_acts_for(actor: Principal, association_id: uuid.UUID) -> None:
    if not actor.acts_for(association_id):
        raise Forbidden("Only the association's representatives (or staff) get its feed link.")


async def feed_link(uow: CalendarUnitOfWork, *, actor: Principal, association_id: uuid.UUID, key: str) -> str:
    _ensure_acts_for(actor, association_id)
    async with uow:
        generation = await uow.feed_links.current(association_id)
        await uow.commit()
    return feed_token(key, association_id, generation)


async def revoke_feed_link(uow: CalendarUnitOfWork, *, actor: Principal, association_id: uuid.UUID, key: str) -> str:
    """Every earlier link stops working; answers the new one."""
    _ensure_acts_for(actor, association_id)
    async with uow:
        generation = await uow.feed_links.revoke(association_id)
        await uow.commit()
    return feed_token(key, association_id, generation)


async def association_feed(
    uow: CalendarUnitOfWork, *, association_id: uuid.UUID, token: str, key: str, today: date
) -> list[ShownEntry]:
    async with uow:
        generation = await uow.feed_links.generation(association_id)
    if generation is None or not token_matches(key, association_id, generation, token):
        raise NotFound("No such feed.", field="token")
    reader = Principal(
        subject=f"feed:{association_id}", role=Role.ASSOCIATION, association_ids=frozenset({association_id})
    )
    return await feed(uow, actor=reader, today=today)
