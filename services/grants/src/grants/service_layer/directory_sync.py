"""The first fill of grants' copy of the directory, from the directory's HTTP API.

Events keep the copy current; this fills it where events cannot: a grants database set up after the directory
already had associations. It reads every applicant (inactive and private persons included, which needs a staff
or admin token) and every department, and applies them with the same revision guard as the events, so running
it while events flow, or twice, is harmless. A private person's name is not copied (ADR 0003).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from grants.adapters.repository import ApplicantCopy
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.contracts.directory import ApplicantKind
from shared.observability.logging import get_logger

log = get_logger(__name__)
PAGE = 100


async def _applicants(client: httpx.AsyncClient) -> AsyncIterator[list[dict[str, Any]]]:
    offset = 0
    while True:
        response = await client.get(
            "/associations", params={"include_inactive": "true", "limit": PAGE, "offset": offset}
        )
        response.raise_for_status()
        page = response.json()
        yield page["items"]
        offset += PAGE
        if offset >= page["total"]:
            return


def _copy(item: dict[str, Any]) -> ApplicantCopy:
    kind = ApplicantKind(item["kind"])
    name = None if kind is ApplicantKind.PRIVATE_PERSON else item["name"]
    return ApplicantCopy(
        id=uuid.UUID(item["id"]), kind=kind, name=name, active=item["active"], revision=item["revision"]
    )


async def sync_directory(new_uow: Callable[[], GrantsUnitOfWork], client: httpx.AsyncClient) -> dict[str, int]:
    """Copy the directory's applicants and departments; returns how many of each were applied."""
    counts = {"applicants": 0, "departments": 0}
    departments = await client.get("/departments")
    departments.raise_for_status()
    async with new_uow() as uow:
        for dept in departments.json():
            await uow.departments.upsert(uuid.UUID(dept["id"]), dept["code"], dept["name"])
            counts["departments"] += 1
        await uow.commit()
    async for items in _applicants(client):
        async with new_uow() as uow:  # a page per transaction
            for item in items:
                await uow.applicants.apply_state(_copy(item))
            await uow.commit()
        counts["applicants"] += len(items)
    log.info("directory_synced", **counts)
    return counts
