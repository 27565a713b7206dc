"""Repositories for programmes, principles, rounds and the copies of directory data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from grants.adapters.tables import applicant, department, grant_programme, grant_round, principles_version
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from shared.contracts.directory import ApplicantKind
from shared.contracts.grants import GrantKind, Intake
from shared.db.repository import Repository


@dataclass
class ApplicantCopy:
    """What grants knows of an applicant, from the directory's events."""

    id: uuid.UUID
    kind: ApplicantKind | None  # None: only a status event has arrived yet, so the applicant is unknown
    name: str | None
    active: bool
    revision: int

    @property
    def may_apply(self) -> bool:
        return self.kind is not None and self.active


@dataclass
class PrinciplesVersion:
    id: uuid.UUID
    programme_id: uuid.UUID
    version: int
    title: str
    body: str
    adopted_on: date
    created_at: datetime | None = None


class ProgrammeRepository(Repository[Programme]):
    table, model = grant_programme, Programme
    enums: ClassVar[dict[str, Any]] = {"kind": GrantKind, "intake": Intake}

    def _from_row(self, row: Any) -> Programme:
        programme = super()._from_row(row)
        programme.eligible_kinds = [ApplicantKind(k) for k in programme.eligible_kinds]
        return programme

    async def all(self, *, active_only: bool) -> list[Programme]:
        query = select(self.table).order_by(self.table.c.name)
        return await self._all(query.where(self.table.c.active) if active_only else query)


class PrinciplesRepository(Repository[PrinciplesVersion]):
    table, model = principles_version, PrinciplesVersion
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {
        "uq_principles_version_programme_version": ("version", "This version of the principles already exists.")
    }

    async def of_programme(self, programme_id: uuid.UUID) -> list[PrinciplesVersion]:
        t = self.table
        return await self._all(select(t).where(t.c.programme_id == programme_id).order_by(t.c.version))

    async def next_version(self, programme_id: uuid.UUID) -> int:
        return len(await self.of_programme(programme_id)) + 1


class RoundRepository(Repository[Round]):
    table, model = grant_round, Round
    enums: ClassVar[dict[str, Any]] = {"state": RoundState}
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {
        "uq_grant_round_programme_year": ("year", "The programme already has a round for this year.")
    }

    def _to_row(self, obj: Round) -> dict[str, Any]:
        row = super()._to_row(obj)
        row.pop("reserved_cents")  # changed only by reserve(), atomically
        return row

    async def search(
        self,
        *,
        programme_id: uuid.UUID | None,
        year: int | None,
        states: list[RoundState] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Round], int]:
        t = self.table
        query = select(t)
        if programme_id:
            query = query.where(t.c.programme_id == programme_id)
        if year:
            query = query.where(t.c.year == year)
        if states:
            query = query.where(t.c.state.in_([s.value for s in states]))
        return await self._page(query, [t.c.opens_at.desc(), t.c.id], limit, offset)

    async def claim(self, *, state: RoundState, due_column: str, now: datetime) -> list[Round]:
        """Rounds in ``state`` whose ``due_column`` time has come, locked for this transaction only."""
        t = self.table
        query = (
            select(t)
            .where(t.c.state == state.value, t.c[due_column].is_not(None), t.c[due_column] <= now)
            .order_by(t.c[due_column])
            .with_for_update(skip_locked=True)
        )
        return await self._all(query)

    async def reserve(self, round_id: uuid.UUID, delta_cents: int) -> int | None:
        """Add to the money promised from the round, unless that would exceed the appropriation.

        One statement under the row lock: concurrent decisions or light grants can never overspend, and
        the ``within_appropriation`` check is the last line of defence. Returns what remains, or None.
        """
        t = self.table
        result = await self.session.execute(
            update(t)
            .where(
                t.c.id == round_id,
                t.c.reserved_cents + delta_cents <= t.c.appropriation_cents,
                t.c.reserved_cents + delta_cents >= 0,
            )
            .values(reserved_cents=t.c.reserved_cents + delta_cents)
            .returning(t.c.appropriation_cents - t.c.reserved_cents)
        )
        remaining: int | None = result.scalar()
        return remaining


class ApplicantCopyRepository(Repository[ApplicantCopy]):
    """The directory's applicants as grants knows them, kept from events that may arrive in any order.

    Each event carries the applicant's revision. Full-state events set everything when newer; a status event
    (deactivated, reactivated) that arrives first leaves a row without a kind, which the later full-state
    event completes without undoing the newer status.
    """

    table, model = applicant, ApplicantCopy
    enums: ClassVar[dict[str, Any]] = {"kind": ApplicantKind}

    async def apply_state(self, copy: ApplicantCopy) -> None:
        assert copy.kind is not None, "a full-state event always names the kind"
        t = self.table
        statement = insert(t).values(
            id=copy.id, kind=copy.kind.value, name=copy.name, active=copy.active, revision=copy.revision
        )
        new, newer = statement.excluded, t.c.revision < statement.excluded.revision
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[t.c.id],
                set_={
                    "kind": case((newer | t.c.kind.is_(None), new.kind), else_=t.c.kind),
                    "name": case((newer | t.c.kind.is_(None), new.name), else_=t.c.name),
                    "active": case((newer, new.active), else_=t.c.active),
                    "revision": func.greatest(t.c.revision, new.revision),
                    "updated_at": func.now(),
                },
            )
        )

    async def apply_status(self, applicant_id: uuid.UUID, *, active: bool, revision: int) -> None:
        t = self.table
        statement = insert(t).values(id=applicant_id, kind=None, name=None, active=active, revision=revision)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[t.c.id],
                set_={
                    "active": statement.excluded.active,
                    "revision": statement.excluded.revision,
                    "updated_at": func.now(),
                },
                where=t.c.revision < statement.excluded.revision,
            )
        )


class DepartmentCopyRepository:
    """The directory's departments by id and code, as grants knows them from DepartmentRegistered."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, department_id: uuid.UUID, code: str, name: str) -> None:
        statement = insert(department).values(id=department_id, code=code, name=name)
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=[department.c.id], set_={"code": code, "name": name})
        )
