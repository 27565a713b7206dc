"""Repositories for partnership calls, agreements and their yearly discussions. Queries only, no rules."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, exists, false, func, or_, select, true
from sqlalchemy.dialects.postgresql import insert

from grants.adapters.tables import (
    applicant,
    partnership_agreement,
    partnership_call,
    partnership_discussion,
)
from grants.domain.partnership import (
    AgreedAction,
    Agreement,
    AgreementState,
    Discussion,
    Initiative,
    PartnershipCall,
)
from grants.domain.premises import PremisesTerms
from shared.db.repository import Repository


class CallRepository(Repository[PartnershipCall]):
    table, model = partnership_call, PartnershipCall

    async def search(
        self, *, department_code: str | None, open_at: datetime | None, limit: int, offset: int
    ) -> tuple[list[PartnershipCall], int]:
        t = self.table
        query = select(t)
        if department_code:
            query = query.where(t.c.department_code == department_code)
        if open_at is not None:
            query = query.where(t.c.closes_at > open_at)
        return await self._page(query, [t.c.closes_at.desc(), t.c.id], limit, offset)


@dataclass(frozen=True)
class Visibility:
    """Which agreements a caller sees besides the published ones: every one, a department's, or its own."""

    everything: bool = False
    department_code: str | None = None
    applicant_ids: Collection[uuid.UUID] = ()


class AgreementRepository(Repository[Agreement]):
    table, model = partnership_agreement, Agreement
    enums: ClassVar[dict[str, Any]] = {"state": AgreementState, "initiative": Initiative}

    def _from_row(self, row: Any) -> Agreement:
        agreement = super()._from_row(row)
        if row["premises_free_use"] is not None:
            agreement.premises = PremisesTerms(row["premises_free_use"], tuple(row["premises_facility_ids"]))
        return agreement

    def _to_row(self, obj: Agreement) -> dict[str, Any]:
        row, terms = super()._to_row(obj), obj.premises  # the terms are two columns, both NULL for none
        row["premises_free_use"] = None if terms is None else terms.free_use
        row["premises_facility_ids"] = None if terms is None else list(terms.facility_ids)
        return row

    def _visible(self, seen: Visibility) -> ColumnElement[bool]:
        t = self.table
        if seen.everything:
            return true()
        return or_(
            t.c.state == AgreementState.ACTIVE.value,
            t.c.department_code == seen.department_code if seen.department_code else false(),
            t.c.applicant_id.in_(list(seen.applicant_ids)) if seen.applicant_ids else false(),
        )

    async def search(
        self,
        *,
        seen: Visibility,
        states: list[AgreementState] | None,
        department_code: str | None,
        applicant_id: uuid.UUID | None,
        call_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Agreement], int]:
        t = self.table
        query = select(t).where(self._visible(seen))
        if states:
            query = query.where(t.c.state.in_([s.value for s in states]))
        if department_code:
            query = query.where(t.c.department_code == department_code)
        if applicant_id:
            query = query.where(t.c.applicant_id == applicant_id)
        if call_id:
            query = query.where(t.c.call_id == call_id)
        return await self._page(query, [t.c.created_at.desc(), t.c.id], limit, offset)

    async def applicant_names(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str | None]:
        """The applicants' public names from grants' copy of the directory (None for private persons)."""
        if not ids:
            return {}
        rows = await self.session.execute(select(applicant.c.id, applicant.c.name).where(applicant.c.id.in_(ids)))
        return {row.id: row.name for row in rows}

    async def applied_to_call(self, call_id: uuid.UUID, applicant_id: uuid.UUID) -> bool:
        t = self.table
        query = exists().where(t.c.call_id == call_id, t.c.applicant_id == applicant_id)
        return bool(await self.session.scalar(select(query)))

    async def claim_expired(self, today: date) -> list[Agreement]:
        """Active agreements whose term is over, locked for this transaction; rows another worker holds are
        skipped, so each agreement ends once."""
        t = self.table
        query = (
            select(t)
            .where(t.c.state == AgreementState.ACTIVE.value, t.c.ends_on < today)
            .order_by(t.c.ends_on)
            .with_for_update(skip_locked=True)
        )
        return await self._all(query)

    async def active_with_discussions(self) -> list[tuple[Agreement, set[date]]]:
        """Every active agreement with the due dates of the discussions it already has."""
        t, d = self.table, partnership_discussion
        due_ons = func.array_remove(func.array_agg(d.c.due_on), None)
        query = (
            select(t, due_ons.label("discussed"))
            .select_from(t.outerjoin(d, d.c.agreement_id == t.c.id))
            .where(t.c.state == AgreementState.ACTIVE.value)
            .group_by(t.c.id)
            .order_by(t.c.id)  # every worker inserts in one order: they wait for each other, never deadlock
        )
        rows = (await self.session.execute(query)).mappings()
        return [(self._from_row(row), set(row["discussed"])) for row in rows]


class DiscussionRepository(Repository[Discussion]):
    table, model = partnership_discussion, Discussion

    def _from_row(self, row: Any) -> Discussion:
        discussion = super()._from_row(row)
        discussion.agreed_actions = [
            AgreedAction(a["action"], a["owner"], date.fromisoformat(a["due_on"]) if a.get("due_on") else None)
            for a in row["agreed_actions"]
        ]
        return discussion

    def _to_row(self, obj: Discussion) -> dict[str, Any]:
        row = super()._to_row(obj)
        row["agreed_actions"] = [
            {"action": a.action, "owner": a.owner, "due_on": a.due_on.isoformat() if a.due_on else None}
            for a in obj.agreed_actions
        ]
        return row

    async def of_agreement(self, agreement_id: uuid.UUID) -> list[Discussion]:
        t = self.table
        return await self._all(select(t).where(t.c.agreement_id == agreement_id).order_by(t.c.due_on))

    async def held_due_dates(self, agreement_id: uuid.UUID) -> set[date]:
        t = self.table
        query = select(t.c.due_on).where(t.c.agreement_id == agreement_id, t.c.held_on.is_not(None))
        return set((await self.session.scalars(query)).all())

    async def create_due(self, agreement_id: uuid.UUID, due_on: date, now: datetime) -> uuid.UUID | None:
        """The discussion falls due: its row, with the notice marked sent. None when it already exists (another
        worker, or staff who held it early, came first): then nobody is told again."""
        t = self.table
        statement = (
            insert(t)
            .values(id=uuid.uuid4(), agreement_id=agreement_id, due_on=due_on, due_notice_sent_at=now)
            .on_conflict_do_nothing(constraint="uq_partnership_discussion_agreement_due_on")
            .returning(t.c.id)
        )
        created: uuid.UUID | None = (await self.session.execute(statement)).scalar()
        return created

    async def record_held(self, discussion: Discussion) -> Discussion | None:
        """Write a held discussion, into its row when the notice already made one; None if it was recorded."""
        t, row = self.table, self._to_row(discussion)
        proposed = insert(t).values(row)
        statement = proposed.on_conflict_do_update(
            constraint="uq_partnership_discussion_agreement_due_on",
            set_={name: proposed.excluded[name] for name in ("held_on", "notes", "agreed_actions")}
            | {"updated_at": func.now()},
            where=t.c.held_on.is_(None),
        ).returning(t)
        written = (await self.session.execute(statement)).mappings().first()
        return None if written is None else self._from_row(written)
