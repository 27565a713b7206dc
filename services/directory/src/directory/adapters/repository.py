"""Repositories: the directory's tables in and out of domain objects. Queries only, no rules."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, Table, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from directory.adapters.tables import applicant, department, liaison_contact, representative
from directory.domain.applicant import Applicant
from directory.domain.errors import Conflict
from directory.domain.people import LiaisonContact, Representative
from directory.domain.vocabulary import RepresentativeRole
from shared.contracts.directory import ApplicantKind, LiaisonKind

T = TypeVar("T")

# Unique indexes whose violation is the caller's mistake, with the field to name in the error.
_UNIQUE = {
    "uq_applicant_business_id": ("business_id", "An applicant with this business ID is already registered."),
    "uq_applicant_register_number": (
        "register_number",
        "An association with this register number is already registered.",
    ),
    "uq_department_code": ("code", "A department with this code already exists."),
}


def conflict_from(exc: IntegrityError) -> Conflict | None:
    message = str(exc.orig)
    for constraint, (field, text) in _UNIQUE.items():
        if constraint in message:
            return Conflict(text, field=field)
    return None


@dataclass
class Department:
    id: uuid.UUID
    code: str
    name: str
    description: str | None = None


class _Repository(Generic[T]):
    table: Table
    model: type[T]
    enums: ClassVar[dict[str, Any]] = {}

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _from_row(self, row: Any) -> T:
        names = {f.name for f in dataclasses.fields(self.model)}  # type: ignore[arg-type]
        values = {k: v for k, v in row.items() if k in names}
        for name, enum in self.enums.items():
            values[name] = enum(values[name])
        return self.model(**values)

    def _to_row(self, obj: T) -> dict[str, Any]:
        columns = set(self.table.c.keys()) - {"created_at", "updated_at"}  # the database keeps time
        return {k: v for k, v in dataclasses.asdict(obj).items() if k in columns}  # type: ignore[call-overload]

    def _stamp(self, obj: T, row: Any) -> None:
        for name, value in row.items():
            if hasattr(obj, name):
                setattr(obj, name, value)

    async def get(self, id_: uuid.UUID, *, for_update: bool = False) -> T | None:
        query = select(self.table).where(self.table.c.id == id_)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        return None if row is None else self._from_row(row)

    async def add(self, obj: T) -> None:
        t = self.table
        self._stamp(
            obj, await self._write(insert(t).values(self._to_row(obj)).returning(t.c.created_at, t.c.updated_at))
        )

    async def save(self, obj: T) -> None:
        t, row = self.table, self._to_row(obj)
        statement = update(t).where(t.c.id == row["id"]).values(**row, updated_at=func.now()).returning(t.c.updated_at)
        self._stamp(obj, await self._write(statement))

    async def delete(self, id_: uuid.UUID) -> None:
        await self.session.execute(delete(self.table).where(self.table.c.id == id_))

    async def _write(self, statement: Any) -> Any:
        """Execute an insert or update; a broken unique rule becomes a Conflict naming the field."""
        try:
            async with self.session.begin_nested():
                return (await self.session.execute(statement)).mappings().one()
        except IntegrityError as exc:
            if (conflict := conflict_from(exc)) is not None:
                raise conflict from exc
            raise

    async def _page(self, query: Select[Any], order: Sequence[Any], limit: int, offset: int) -> tuple[list[T], int]:
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = (await self.session.execute(query.order_by(*order).limit(limit).offset(offset))).mappings()
        return [self._from_row(r) for r in rows], total

    async def with_email(self, email: str) -> list[T]:
        rows = (
            await self.session.execute(select(self.table).where(func.lower(self.table.c.email) == email.lower()))
        ).mappings()
        return [self._from_row(r) for r in rows]


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


class DepartmentRepository(_Repository[Department]):
    table, model = department, Department

    async def all(self) -> list[Department]:
        rows = (await self.session.execute(select(self.table).order_by(self.table.c.name))).mappings()
        return [self._from_row(r) for r in rows]

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Department]:
        if not ids:
            return {}
        rows = (await self.session.execute(select(self.table).where(self.table.c.id.in_(ids)))).mappings()
        return {r["id"]: self._from_row(r) for r in rows}


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
