"""Seasonal rounds, their principles' versions and the associations' applications (wishes kept as JSON)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime, time
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from bookings.adapters.tables import booking, season_application, season_principles, season_proposal, season_round
from bookings.domain.allocation_model import AgeGroup, Weights
from bookings.domain.season_continuity import HeldSlot
from bookings.domain.season_proposal import ProposedSlot, RejectedWish, SeasonProposal, UnmetWish
from bookings.domain.season_round import ApplicationState, SeasonApplication, SeasonRound, SeasonRoundState, Wish
from shared.db import Session
from shared.db.repository import Repository


class SeasonRoundRepository(Repository[SeasonRound]):
    table, model = season_round, SeasonRound
    enums: ClassVar[dict[str, Any]] = {"state": SeasonRoundState}

    def _from_row(self, row: Any) -> SeasonRound:
        values = dict(row)
        values["weights"] = Weights(**values["weights"])
        round_ = super()._from_row(values)
        round_.facility_ids = list(round_.facility_ids)
        return round_

    async def search(
        self, *, department_code: str | None, drafts_of: str | None, everywhere: bool, limit: int, offset: int
    ) -> tuple[list[SeasonRound], int]:
        """Rounds past their draft, and the drafts of ``drafts_of`` (all drafts when ``everywhere``)."""
        t = self.table
        query = select(t)
        if not everywhere:
            query = query.where((t.c.state != SeasonRoundState.DRAFT.value) | (t.c.department_code == drafts_of))
        if department_code:
            query = query.where(t.c.department_code == department_code)
        return await self._page(query, [t.c.opens_at.desc(), t.c.id], limit, offset)

    async def claim(self, *, state: SeasonRoundState, due_column: str, now: datetime) -> list[SeasonRound]:
        """Rounds in ``state`` whose ``due_column`` time has come, locked for this transaction only (a round
        another worker holds is skipped: that worker acts on it)."""
        t = self.table
        query = (
            select(t)
            .where(t.c.state == state.value, t.c[due_column] <= now)
            .order_by(t.c[due_column])
            .with_for_update(skip_locked=True)
        )
        if state is SeasonRoundState.DRAFT:
            query = query.where(func.cardinality(t.c.facility_ids) > 0)  # an unfinished draft waits for staff
        return await self._all(query)

    async def add_principles(self, round_: SeasonRound) -> None:
        """Record the round's current principles as their version (a repeat of a version changes nothing)."""
        statement = insert(season_principles).values(
            id=uuid.uuid4(), round_id=round_.id, version=round_.principles_version, body=round_.principles
        )
        await self.session.execute(statement.on_conflict_do_nothing())

    async def weekly_series(self, round_: SeasonRound) -> list[tuple[uuid.UUID, int, time, time]]:
        """Confirmed weekly series at the round's facilities during its season: (facility, weekday, starts, ends)
        in local wall-clock times, as the proposal must leave them be."""
        b = booking
        query = (
            select(b.c.facility_id, b.c.first_day, b.c.local_starts, b.c.local_ends)
            .where(
                b.c.kind == "series",
                b.c.state == "confirmed",
                b.c.facility_id.in_(round_.facility_ids),
                b.c.first_day <= round_.season_ends_on,
                b.c.last_day >= round_.season_starts_on,
                b.c.local_starts.is_not(None),
                b.c.local_ends.is_not(None),
            )
            .distinct()
        )
        rows = (await self.session.execute(query)).all()
        return [(f, first.weekday(), starts, ends) for f, first, starts, ends in rows]

    async def held_last_season(self, round_: SeasonRound) -> list[HeldSlot]:
        """The slots (not declined) of the department's latest published round before this one's season that
        shares facilities with it, at those facilities: what each association held last season."""
        r, p = self.table, season_proposal
        query = (
            select(r.c.id, p.c.slots)
            .join(p, p.c.round_id == r.c.id)
            .where(
                r.c.department_code == round_.department_code,
                r.c.state == SeasonRoundState.PUBLISHED.value,
                r.c.id != round_.id,
                r.c.season_starts_on < round_.season_starts_on,
                r.c.facility_ids.overlap(round_.facility_ids),
            )
            .order_by(r.c.season_starts_on.desc(), r.c.id)
            .limit(1)
        )
        found = (await self.session.execute(query)).first()
        if found is None:
            return []
        round_id, slots = found
        return held_of(round_id, [_slot(s) for s in slots], set(round_.facility_ids))

    async def submitted_applications(self, round_id: uuid.UUID) -> int:
        a = season_application
        query = select(func.count()).where(a.c.round_id == round_id, a.c.state == ApplicationState.SUBMITTED.value)
        return int(await self.session.scalar(query) or 0)


def _wish_to_json(w: Wish) -> dict[str, Any]:
    return {
        "id": str(w.id),
        "priority": w.priority,
        "weekdays": list(w.weekdays),
        "earliest": w.earliest.isoformat("minutes"),
        "latest": w.latest.isoformat("minutes"),
        "duration_minutes": w.duration_minutes,
        "weekly_count": w.weekly_count,
        "facility_id": str(w.facility_id) if w.facility_id else None,
        "facility_kind": w.facility_kind,
        "age_group": w.age_group.value,
        "participants": w.participants,
        "purpose": w.purpose,
    }


def _wish_from_json(d: dict[str, Any]) -> Wish:
    return Wish(
        id=uuid.UUID(d["id"]),
        priority=d["priority"],
        weekdays=tuple(d["weekdays"]),
        earliest=time.fromisoformat(d["earliest"]),
        latest=time.fromisoformat(d["latest"]),
        duration_minutes=d["duration_minutes"],
        weekly_count=d["weekly_count"],
        facility_id=uuid.UUID(d["facility_id"]) if d["facility_id"] else None,
        facility_kind=d["facility_kind"],
        age_group=AgeGroup(d["age_group"]),
        participants=d["participants"],
        purpose=d["purpose"],
    )


class SeasonApplicationRepository(Repository[SeasonApplication]):
    table, model = season_application, SeasonApplication
    enums: ClassVar[dict[str, Any]] = {"state": ApplicationState}
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {
        "uq_season_application_live": ("applicant_id", "The association already has an application in this round."),
    }

    def _from_row(self, row: Any) -> SeasonApplication:
        values = dict(row)
        values["wishes"] = [_wish_from_json(w) for w in values["wishes"]]
        return super()._from_row(values)

    def _to_row(self, obj: SeasonApplication) -> dict[str, Any]:
        row = super()._to_row(obj)
        row["wishes"] = [_wish_to_json(w) for w in obj.wishes]
        return row

    async def of_round(self, round_id: uuid.UUID, *, state: ApplicationState) -> list[SeasonApplication]:
        t = self.table
        query = select(t).where(t.c.round_id == round_id, t.c.state == state.value).order_by(t.c.submitted_at, t.c.id)
        return await self._all(query)


def _slot(d: dict[str, Any]) -> ProposedSlot:
    return ProposedSlot(
        wish_id=uuid.UUID(d["wish_id"]),
        application_id=uuid.UUID(d["application_id"]),
        applicant_id=uuid.UUID(d["applicant_id"]),
        facility_id=uuid.UUID(d["facility_id"]),
        weekday=d["weekday"],
        start=d["start"],
        end=d["end"],
        id=uuid.UUID(d["id"]) if d.get("id") else uuid.uuid5(uuid.UUID(d["wish_id"]), f"{d['weekday']}"),
        booking_id=uuid.UUID(d["booking_id"]) if d.get("booking_id") else None,
        declined=bool(d.get("declined", False)),
    )


def held_of(round_id: uuid.UUID, slots: list[ProposedSlot], facility_ids: set[uuid.UUID]) -> list[HeldSlot]:
    """A published round's slots as held last season, at the given facilities (declined ones left out)."""
    return [
        HeldSlot(round_id, s.applicant_id, s.facility_id, s.weekday, s.start, s.end)
        for s in slots
        if not s.declined and s.facility_id in facility_ids
    ]


def _unmet(d: dict[str, Any]) -> UnmetWish:
    ids = {k: uuid.UUID(d[k]) for k in ("wish_id", "application_id", "applicant_id")}
    return UnmetWish(**ids, priority=d["priority"], slots_met=d["slots_met"], slots_wished=d["slots_wished"],
                     reason=d["reason"])  # fmt: skip


class SeasonProposalRepository:
    """The round's proposal: one row per round, replaced when computed again."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def put(self, proposal: SeasonProposal) -> None:
        row = asdict(proposal)
        row["slots"] = [{k: str(v) if isinstance(v, uuid.UUID) else v for k, v in s.items()} for s in row["slots"]]
        row["unmet"] = [{k: str(v) if isinstance(v, uuid.UUID) else v for k, v in u.items()} for u in row["unmet"]]
        row["rejected"] = [{"wish_id": str(r["wish_id"]), "reason": r["reason"]} for r in row["rejected"]]
        statement = insert(season_proposal).values(row)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[season_proposal.c.round_id],
                set_={k: statement.excluded[k] for k in row if k != "round_id"},
            )
        )

    async def get(self, round_id: uuid.UUID) -> SeasonProposal | None:
        query = select(season_proposal).where(season_proposal.c.round_id == round_id)
        row = (await self.session.execute(query)).mappings().first()
        if row is None:
            return None
        values = dict(row)
        values["slots"] = [_slot(s) for s in values["slots"]]
        values["unmet"] = [_unmet(u) for u in values["unmet"]]
        values["rejected"] = [RejectedWish(uuid.UUID(r["wish_id"]), r["reason"]) for r in values["rejected"]]
        return SeasonProposal(**values)
