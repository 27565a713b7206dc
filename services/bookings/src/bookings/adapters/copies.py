"""Bookings' copies of the directory's applicants, departments and liaison contacts (``shared.copies``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import exists, select

from bookings.adapters.tables import applicant, department, liaison_contact
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.copies import CopyRepository


@dataclass
class ApplicantCopy:
    id: uuid.UUID
    kind: ApplicantKind | None  # None: only a status event has arrived yet
    name: str | None
    active: bool

    @property
    def may_book(self) -> bool:
        return self.kind is not None and self.active


class ApplicantCopyRepository(CopyRepository[ApplicantCopy]):
    table, model = applicant, ApplicantCopy
    enums: ClassVar[dict[str, Any]] = {"kind": ApplicantKind}
    status_columns: ClassVar[frozenset[str]] = frozenset({"active"})


@dataclass
class DepartmentCopy:
    id: uuid.UUID
    code: str
    name: str


class DepartmentCopyRepository(CopyRepository[DepartmentCopy]):
    table, model = department, DepartmentCopy

    async def known(self, code: str) -> bool:
        return bool(await self.session.scalar(select(exists().where(self.table.c.code == code))))


@dataclass
class LiaisonCopy:
    id: uuid.UUID
    kind: LiaisonKind | None
    department_id: uuid.UUID | None
    assigned: bool

    @property
    def answers_for_facilities(self) -> bool:
        return self.kind is LiaisonKind.FACILITY_CONTACT and self.assigned


class LiaisonCopyRepository(CopyRepository[LiaisonCopy]):
    table, model = liaison_contact, LiaisonCopy
    enums: ClassVar[dict[str, Any]] = {"kind": LiaisonKind}
    status_columns: ClassVar[frozenset[str]] = frozenset({"assigned"})
