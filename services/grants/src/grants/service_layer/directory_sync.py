"""The first fill of grants' copy of the directory, from the directory's HTTP API.

Events keep the copy current; this fills it where events cannot: a grants database set up after the directory
already had associations, departments and liaison contacts. It reads every applicant (inactive and private
persons included, which needs a staff or admin token), every department and every liaison contact, a page
per unit of work, and writes them with the same guard as the events (``shared.copies``), so running it while
events flow, or twice, is harmless. Departments and liaison contacts have no revision in the directory: they
are written as revision 0, which completes the copy but never overwrites what an event brought. A private
person's name is not copied (ADR 0003), nor a liaison contact's name or contact details.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from grants.adapters.repository import ApplicantCopy, DepartmentCopy, LiaisonCopy
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.copies import PagedClient, fetch_pages, fill_copy
from shared.observability.logging import get_logger

log = get_logger(__name__)
PAGE = 100
FILLED = 0
"""The revision of what the fill writes where the directory keeps none."""


def _applicant(item: dict[str, Any]) -> ApplicantCopy:
    kind = ApplicantKind(item["kind"])
    name = None if kind is ApplicantKind.PRIVATE_PERSON else item["name"]
    return ApplicantCopy(
        id=uuid.UUID(item["id"]), kind=kind, name=name, active=item["active"], revision=item["revision"]
    )


def _liaison(item: dict[str, Any]) -> LiaisonCopy:
    department_id = item.get("department_id")
    return LiaisonCopy(
        id=uuid.UUID(item["id"]),
        kind=LiaisonKind(item["kind"]),
        department_id=uuid.UUID(department_id) if department_id else None,
        subject_ref=item.get("subject_ref"),
        assigned=True,
    )


async def _departments(uow: GrantsUnitOfWork, items: Sequence[dict[str, Any]]) -> None:
    copies = [DepartmentCopy(id=uuid.UUID(i["id"]), code=i["code"], name=i["name"]) for i in items]
    await uow.departments.apply_all(copies, revision=FILLED)


async def _applicants(uow: GrantsUnitOfWork, items: Sequence[dict[str, Any]]) -> None:
    await uow.applicants.apply_states(_applicant(i) for i in items)


async def _liaisons(uow: GrantsUnitOfWork, items: Sequence[dict[str, Any]]) -> None:
    await uow.liaisons.apply_all((_liaison(i) for i in items), revision=FILLED)


async def sync_directory(new_uow: Callable[[], GrantsUnitOfWork], client: PagedClient) -> dict[str, int]:
    """Copy the directory's departments, applicants and liaison contacts; returns how many of each were read."""
    counts = {
        "departments": await fill_copy(new_uow, fetch_pages(client, "/departments", page_size=PAGE), _departments),
        "applicants": await fill_copy(
            new_uow, fetch_pages(client, "/associations", {"include_inactive": "true"}, PAGE), _applicants
        ),
        "liaisons": await fill_copy(new_uow, fetch_pages(client, "/liaisons", page_size=PAGE), _liaisons),
    }
    log.info("directory_synced", **counts)
    return counts
