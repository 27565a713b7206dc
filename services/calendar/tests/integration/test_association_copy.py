"""The calendar's copy of the directory's associations: from its events through the real broker (shuffled and
redelivered, the newest state wins) and from the first fill over its HTTP API (harmless to repeat)."""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import httpx

from calendar_service.service_layer.directory_sync import sync_directory
from shared import directory_copy
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
)
from shared.contracts.envelope import Envelope

from ..conftest import Api
from .test_schedule_events import Exchange, publish, worker

__all__ = ["worker"]


def state(applicant_id: uuid.UUID, revision: int, *, fields: list[str], active: bool = True) -> dict[str, Any]:
    return {
        "applicant_id": applicant_id, "revision": revision, "kind": ApplicantKind.REGISTERED_ASSOCIATION,
        "name": "Porin Soutajat ry", "business_id": None, "fields_of_activity": fields, "district": None,
        "languages": ["fi"], "active": active,
    }  # fmt: skip


async def copied(api: Api, association_id: uuid.UUID) -> Any:
    async with api.calendar.uow() as uow:
        return await uow.applicants.get(association_id)


async def test_directory_events_shuffled_and_redelivered_leave_the_newest_state(worker: Exchange, api: Api) -> None:
    for seed in range(3):
        a = uuid.uuid4()
        events: list[Envelope[Any]] = [
            Envelope.wrap(AssociationRegistered(**state(a, 1, fields=["urheilu"]))),
            Envelope.wrap(AssociationDeactivated(applicant_id=a, revision=2)),
            Envelope.wrap(AssociationReactivated(applicant_id=a, revision=3)),
            Envelope.wrap(AssociationUpdated(**state(a, 4, fields=["urheilu", "kulttuuri"]))),
            Envelope.wrap(AssociationDeactivated(applicant_id=a, revision=5)),
        ]
        deliveries = events + random.Random(seed).sample(events, k=3)  # some delivered twice
        random.Random(seed).shuffle(deliveries)
        for envelope in deliveries:
            await publish(worker, envelope)
        for _ in range(200):
            found = await copied(api, a)
            if found is not None and found.revision == 5 and found.fields_of_activity == ["urheilu", "kulttuuri"]:
                break
            await asyncio.sleep(0.05)
        assert found is not None and found.revision == 5, found
        assert found.kind is ApplicantKind.REGISTERED_ASSOCIATION and not found.active
        async with api.calendar.uow() as uow:
            assert a not in await uow.applicants.invited_ids(limit=100_000)


def directory(pages: list[list[dict[str, Any]]]) -> httpx.AsyncClient:
    """The directory's /associations as offset pages (what ``fetch_pages`` reads)."""
    items = [i for page in pages for i in page]

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/associations" and request.url.params["include_inactive"] == "true"
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        body = {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}
        return httpx.Response(200, json=body)

    return httpx.AsyncClient(base_url="http://directory.test", transport=httpx.MockTransport(answer))


async def test_the_first_fill_copies_every_association_and_never_undoes_a_newer_event(api: Api) -> None:
    newer, filled, inactive = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await directory_copy.copy_applicant(
        api.calendar.uow(), applicant_id=newer, kind=ApplicantKind.REGISTERED_ASSOCIATION, name=None, active=False,
        revision=9,
    )  # fmt: skip

    def item(i: uuid.UUID, revision: int, active: bool = True) -> dict[str, Any]:
        return {
            "id": str(i), "kind": "unregistered_group", "name": "X", "active": active, "revision": revision,
            "fields_of_activity": ["nuoriso"], "languages": ["fi"],
        }  # fmt: skip

    pages = [[item(newer, 3), item(filled, 2)], [item(inactive, 1, active=False)]]
    for _ in range(2):  # twice: harmless
        async with directory(pages) as client:
            assert await sync_directory(api.calendar.uow, client) == 3
    kept, copy, gone = await copied(api, newer), await copied(api, filled), await copied(api, inactive)
    assert kept.revision == 9 and not kept.active and kept.kind is ApplicantKind.REGISTERED_ASSOCIATION
    assert copy.active and copy.kind is ApplicantKind.UNREGISTERED_GROUP and copy.fields_of_activity == ["nuoriso"]
    assert not gone.active
    async with api.calendar.uow() as uow:
        invited = await uow.applicants.invited_ids(limit=100_000)
    assert filled in invited and newer not in invited and inactive not in invited
