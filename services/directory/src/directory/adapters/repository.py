"""Repositories: the directory's tables in and out of domain objects. Queries only, no rules."""

from __future__ import annotations

import uuid
from typing import ClassVar, TypeVar

from sqlalchemy import func, or_, select

from directory.adapters.tables import applicant, department, liaison_contact, representative
from directory.domain.applicant import Applicant
from directory.domain.department import Department
from directory.domain.people import LiaisonContact, Recipient, Representative
from directory.domain.vocabulary import RepresentativeRole
from shared.contracts.directory import ApplicantKind, LiaisonKind, MessageTopic
from shared.db.repository import Repository

T = TypeVar("T")


class _Repository(Repository[T]):
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {
        "uq_applicant_business_id": ("business_id", "An applicant with this business ID is already registered."),
        "uq_applicant_register_number": (
            "register_number",
            "An association with this register number is already registered.",
        ),
        "uq_department_code": ("code", "A department with this code already exists."),
    }

    async def with_email(self, email: str) -> list[T]:
        return await self._all(select(self.table).where(func.lower(self.table.c.email) == email.lower()))


class ApplicantRepository(_Repository[Applicant]):
    table, model, enums = applicant, Applicant, {"kind": ApplicantKind}

    async def search(
        self,
        *,
        q: str | None,
        kind: ApplicantKind | None,
        field: str | None,
        district: str | None,
        language: str | None,
        public_only: bool,
        include_inactive: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[Applicant], int]:
        t = self.table
        query = select(t)
        if public_only:
            query = query.where(t.c.kind != ApplicantKind.PRIVATE_PERSON.value)
        if not include_inactive:
            query = query.where(t.c.active)
        if q:
            query = query.where(or_(t.c.name.icontains(q, autoescape=True), t.c.business_id == q.strip()))
        if kind:
            query = query.where(t.c.kind == kind.value)
        if field:
            query = query.where(t.c.fields_of_activity.any_() == field)
        if district:
            query = query.where(func.lower(t.c.district) == district.lower())
        if language:
            query = query.where(t.c.languages.any_() == language)
        return await self._page(query, [func.lower(t.c.name), t.c.id], limit, offset)

    async def private_persons_with_email(self, email: str) -> list[Applicant]:
        t = self.table
        rows = (
            await self.session.execute(
                select(t).where(
                    t.c.kind == ApplicantKind.PRIVATE_PERSON.value, func.lower(t.c.public_email) == email.lower()
                )
            )
        ).mappings()
        return [self._from_row(r) for r in rows]


class RepresentativeRepository(_Repository[Representative]):
    table, model, enums = representative, Representative, {"role": RepresentativeRole}

    async def of_applicant(self, applicant_id: uuid.UUID) -> list[Representative]:
        t = self.table
        rows = (
            await self.session.execute(
                select(t).where(t.c.applicant_id == applicant_id).order_by(t.c.created_at, t.c.id)
            )
        ).mappings()
        return [self._from_row(r) for r in rows]

    async def recipients(
        self,
        *,
        association_ids: list[uuid.UUID],
        kinds: list[ApplicantKind],
        fields_of_activity: list[str],
        topic: MessageTopic | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Recipient], int]:
        """Representatives of active applicants matching every filter given (any of the values within one)."""
        r, a = self.table, applicant
        query = (
            select(r.c.id, r.c.applicant_id, r.c.email, a.c.languages, func.count().over().label("total"))
            .join(a, a.c.id == r.c.applicant_id)
            .where(a.c.active)
        )
        if association_ids:
            query = query.where(r.c.applicant_id.in_(association_ids))
        if kinds:
            query = query.where(a.c.kind.in_([k.value for k in kinds]))
        if fields_of_activity:
            query = query.where(a.c.fields_of_activity.overlap(fields_of_activity))
        if topic:
            query = query.where(r.c.notifications.any_() == topic.value)
        rows = (await self.session.execute(query.order_by(r.c.applicant_id, r.c.id).limit(limit).offset(offset))).all()
        found = [Recipient(row.id, row.applicant_id, row.email, list(row.languages)) for row in rows]
        if rows or offset == 0:
            return found, int(rows[0].total) if rows else 0
        return found, await self._count(query.with_only_columns(r.c.id))


class DepartmentRepository(_Repository[Department]):
    table, model = department, Department

    async def all(self) -> list[Department]:
        rows = (await self.session.execute(select(self.table).order_by(self.table.c.name))).mappings()
        return [self._from_row(r) for r in rows]


class LiaisonRepository(_Repository[LiaisonContact]):
    table, model, enums = liaison_contact, LiaisonContact, {"kind": LiaisonKind}

    async def search(
        self,
        *,
        q: str | None,
        kind: LiaisonKind | None,
        department_id: uuid.UUID | None,
        topic: str | None,
        subject_ref: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[LiaisonContact], int]:
        t = self.table
        query = select(t).where(t.c.active)
        if q:
            words = q.strip()
            query = query.where(
                or_(
                    t.c.name.icontains(words, autoescape=True),
                    t.c.title.icontains(words, autoescape=True),
                    func.array_to_string(t.c.topics, " ").icontains(words.lower(), autoescape=True),
                )
            )
        if kind:
            query = query.where(t.c.kind == kind.value)
        if department_id:
            query = query.where(t.c.department_id == department_id)
        if topic:
            query = query.where(t.c.topics.any_() == topic.strip().lower())
        if subject_ref:
            query = query.where(t.c.subject_ref == subject_ref)
        # The coordinator first: the single entry point for associations new to the city.
        coordinator_first = t.c.kind != LiaisonKind.COORDINATOR.value
        return await self._page(query, [coordinator_first, func.lower(t.c.name), t.c.id], limit, offset)
