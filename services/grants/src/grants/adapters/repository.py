"""Repositories for programmes, principles, rounds and grants' copies of the directory's records."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import exists, false, func, or_, select, update

from grants.adapters.tables import (
    applicant,
    application,
    department,
    grant_programme,
    grant_round,
    liaison_contact,
    principles_version,
)
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.contracts.grants import GrantKind, Intake
from shared.copies import CopyRepository
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


@dataclass(frozen=True)
class DraftsSeen:
    """Whose draft rounds a search shows: every department's (admins), one department's (its staff), or none."""

    everywhere: bool = False
    department_code: str | None = None


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
        drafts: DraftsSeen,
        programme_id: uuid.UUID | None,
        year: int | None,
        states: list[RoundState] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Round], int]:
        """Rounds past their draft, and the drafts ``drafts`` lets the caller see."""
        t, p = self.table, grant_programme
        query = select(t)
        if not drafts.everywhere:
            own = (
                t.c.programme_id.in_(select(p.c.id).where(p.c.department_code == drafts.department_code))
                if drafts.department_code
                else false()
            )
            query = query.where(or_(t.c.state != RoundState.DRAFT.value, own))
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

    async def submitted_applications(self, round_id: uuid.UUID) -> int:
        """How many applications were submitted to the round (withdrawn ones included: they were received)."""
        a = application
        query = select(func.count()).where(a.c.round_id == round_id, a.c.submitted_at.is_not(None))
        return int(await self.session.scalar(query) or 0)

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


class ApplicantCopyRepository(CopyRepository[ApplicantCopy]):
    """The directory's applicants as grants knows them, kept from events that may arrive in any order.

    Whole-state events (registered, updated) and the first fill write everything when newer; a status event
    (deactivated, reactivated) sets ``active`` alone and, arriving first, leaves a row without a kind that the
    whole state completes later without undoing the newer status (``shared.copies``).
    """

    table, model = applicant, ApplicantCopy
    enums: ClassVar[dict[str, Any]] = {"kind": ApplicantKind}
    status_columns: ClassVar[frozenset[str]] = frozenset({"active"})

    @staticmethod
    def _values(copy: ApplicantCopy) -> dict[str, Any]:
        assert copy.kind is not None, "a whole state always names the kind"
        return {"kind": copy.kind.value, "name": copy.name, "active": copy.active}

    async def apply_states(self, copies: Iterable[ApplicantCopy]) -> int:
        return await self.put_records({"id": c.id, "revision": c.revision, **self._values(c)} for c in copies)


@dataclass
class DepartmentCopy:
    id: uuid.UUID
    code: str
    name: str


class DepartmentCopyRepository(CopyRepository[DepartmentCopy]):
    """The directory's departments, from DepartmentRegistered (ordered by its time) and the first fill."""

    table, model = department, DepartmentCopy

    async def apply_all(self, copies: Iterable[DepartmentCopy], *, revision: int) -> int:
        records = ({"id": c.id, "revision": revision, "code": c.code, "name": c.name} for c in copies)
        return await self.put_records(records)

    async def known(self, code: str) -> bool:
        """Whether the directory has told grants of a department with this code."""
        t = self.table
        return bool(await self.session.scalar(select(exists().where(t.c.code == code))))


@dataclass
class LiaisonCopy:
    """A liaison contact as grants knows it: who answers for what, without the person's name or contacts."""

    id: uuid.UUID
    kind: LiaisonKind | None  # None: only LiaisonUnassigned has arrived yet
    department_id: uuid.UUID | None
    subject_ref: str | None
    assigned: bool

    @property
    def in_role(self) -> bool:
        return self.kind is not None and self.assigned


class LiaisonCopyRepository(CopyRepository[LiaisonCopy]):
    """The directory's liaison contacts, from LiaisonAssigned / LiaisonUnassigned and the first fill.

    Those events carry no revision, so the event's time orders them (``shared.copies.revision_at``); an
    unassigned contact stays as a row with ``assigned`` false, so that a LiaisonAssigned overtaken by its
    LiaisonUnassigned cannot bring it back.
    """

    table, model = liaison_contact, LiaisonCopy
    enums: ClassVar[dict[str, Any]] = {"kind": LiaisonKind}
    status_columns: ClassVar[frozenset[str]] = frozenset({"assigned"})

    @staticmethod
    def _values(copy: LiaisonCopy) -> dict[str, Any]:
        assert copy.kind is not None, "an assignment always names the kind"
        values = {"kind": copy.kind.value, "department_id": copy.department_id, "subject_ref": copy.subject_ref}
        return values | {"assigned": copy.assigned}

    async def apply_all(self, copies: Iterable[LiaisonCopy], *, revision: int) -> int:
        return await self.put_records({"id": c.id, "revision": revision, **self._values(c)} for c in copies)

    async def unknown_of(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Those of ``ids`` that name no liaison contact currently in a role."""
        wanted = set(ids)
        return wanted - {i for i, c in (await self.by_ids(wanted)).items() if c.in_role}
