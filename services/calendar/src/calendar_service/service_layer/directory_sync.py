"""The first fill of the calendar's copy of the directory's associations, from the directory's HTTP API.

Events keep the copy current; this fills it where events cannot: a calendar database set up after the
directory already had associations. It reads every applicant (inactive ones included, which needs a staff or
admin token), a page per unit of work, and writes them with the same revision guard as the events
(``shared.copies``), so running it while events flow, or twice, is harmless. Only ids and public facts are kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from calendar_service.adapters.copies import AssociationCopy
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.contracts.directory import ApplicantKind
from shared.copies import PagedClient, fetch_pages, fill_copy
from shared.observability.logging import get_logger

log = get_logger(__name__)
PAGE = 100


def _association(item: dict[str, Any]) -> AssociationCopy:
    return AssociationCopy(
        id=uuid.UUID(item["id"]), kind=ApplicantKind(item["kind"]), active=item["active"],
        fields_of_activity=list(item.get("fields_of_activity") or []), revision=item["revision"],
    )  # fmt: skip


async def _associations(uow: CalendarUnitOfWork, items: Sequence[dict[str, Any]]) -> None:
    await uow.applicants.apply_states(_association(i) for i in items)


async def sync_directory(new_uow: Callable[[], CalendarUnitOfWork], client: PagedClient) -> int:
    """Copy the directory's applicants; returns how many were read."""
    pages = fetch_pages(client, "/associations", {"include_inactive": "true"}, PAGE)
    seen = await fill_copy(new_uow, pages, _associations)
    log.info("directory_synced", associations=seen)
    return seen
