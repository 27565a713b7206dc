"""Use cases of the cooperation group's members: city staff keep them, everyone reads the active ones."""

from __future__ import annotations

import uuid
from typing import Any

from calendar_service.domain.cooperation_group import Member
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, NotFound


def _ensure_staff(actor: Principal) -> None:
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff keep the cooperation group.")


async def add_member(uow: CalendarUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Member:
    _ensure_staff(actor)
    member = Member(id=uuid.uuid4(), **fields)
    member.validate()
    async with uow:
        await uow.members.add(member)
        await uow.commit()
    return member


async def update_member(
    uow: CalendarUnitOfWork, *, actor: Principal, member_id: uuid.UUID, changes: dict[str, Any]
) -> Member:
    _ensure_staff(actor)
    async with uow:
        member = await uow.members.get(member_id, for_update=True)
        if member is None:
            raise NotFound("No such member of the cooperation group.", field="member_id")
        for name, value in changes.items():
            setattr(member, name, value)
        member.validate()
        await uow.members.save(member)
        await uow.commit()
    return member


async def search_members(
    uow: CalendarUnitOfWork, *, actor: Principal, include_inactive: bool, limit: int, offset: int
) -> tuple[list[Member], int]:
    async with uow:
        return await uow.members.search(
            active_only=not (include_inactive and actor.is_staff_or_admin), limit=limit, offset=offset
        )
