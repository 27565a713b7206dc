"""/recipients: where the city's own services reach an association's representatives (a ``service`` token)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import RecipientRead
from directory.service_layer import representatives
from shared.contracts.directory import ApplicantKind, MessageTopic
from shared.http.pagination import Page, Paging
from shared.http.security import ServiceCaller

router = APIRouter(prefix="/recipients", tags=["recipients"])


@router.get("", response_model=Page[RecipientRead])
async def recipients(
    uow: Uow,
    actor: ServiceCaller,
    paging: Paging,
    association_id: Annotated[list[uuid.UUID], Query(max_length=100, description="Any of these applicants")] = [],  # noqa: B006
    kind: Annotated[list[ApplicantKind], Query(max_length=3)] = [],  # noqa: B006
    field_of_activity: Annotated[list[Annotated[str, Query(max_length=60)]], Query(max_length=20)] = [],  # noqa: B006
    topic: Annotated[MessageTopic | None, Query(description="Only those who want this kind of message")] = None,
) -> Page[RecipientRead]:
    """The representatives of active applicants matching every filter given, with their address only."""
    items, total = await representatives.list_recipients(
        uow, actor=actor, association_ids=association_id, kinds=kind, fields_of_activity=field_of_activity,
        topic=topic, limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(
        items=[RecipientRead.model_validate(r, from_attributes=True) for r in items],
        total=total, limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
