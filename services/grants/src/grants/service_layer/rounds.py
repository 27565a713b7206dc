"""Use cases for grant rounds, and the jobs that open and close them on time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from grants.adapters.repository import PrinciplesRepository, ProgrammeRepository, RoundRepository
from grants.adapters.tables import application
from grants.domain.clock import as_local
from grants.domain.round import Round, RoundState
from grants.service_layer.access import ensure_department_staff
from grants.service_layer.programmes import get_programme
from shared.auth import Principal
from shared.contracts.grants import GrantRoundClosed, GrantRoundOpened, GrantRoundScheduled, Intake
from shared.db.uow import UnitOfWork
from shared.errors import InvalidInput, NotFound
from shared.scheduling import PeriodicJob


async def create_round(uow: UnitOfWork, *, actor: Principal, programme_id: uuid.UUID, fields: dict[str, Any]) -> Round:
    """A draft round; ``opens_at``/``closes_at`` without a zone are Helsinki times."""
    programme = await get_programme(uow, programme_id=programme_id)
    ensure_department_staff(actor, programme.department_code)
    principles = await PrinciplesRepository(uow.session).of_programme(programme_id)
    if not principles:
        raise InvalidInput("Adopt the programme's grant principles before its first round.", field="programme_id")
    chosen = fields.pop("principles_version", None) or principles[-1].version
    version = next((p for p in principles if p.version == chosen), None)
    if version is None:
        raise InvalidInput(f"The programme has no principles version {chosen}.", field="principles_version")
    for name in ("opens_at", "closes_at"):
        if fields.get(name) is not None:
            fields[name] = as_local(fields[name]).astimezone(UTC)
    fields["closes_at"] = fields.get("closes_at") or Round.year_end(fields["year"])
    round_ = Round(id=uuid.uuid4(), programme_id=programme_id, principles_version_id=version.id, **fields)
    round_.validate()
    await RoundRepository(uow.session).add(round_)
    return round_


async def _round_for_staff(uow: UnitOfWork, actor: Principal, round_id: uuid.UUID) -> Round:
    round_ = await RoundRepository(uow.session).get(round_id, for_update=True)
    if round_ is None:
        raise NotFound("No such round.", field="round_id")
    programme = await get_programme(uow, programme_id=round_.programme_id)
    ensure_department_staff(actor, programme.department_code)
    return round_


async def update_round(uow: UnitOfWork, *, actor: Principal, round_id: uuid.UUID, changes: dict[str, Any]) -> Round:
    round_ = await _round_for_staff(uow, actor, round_id)
    round_.ensure_editable()
    for name, value in changes.items():
        setattr(round_, name, as_local(value).astimezone(UTC) if name in ("opens_at", "closes_at") and value else value)
    round_.validate()
    await RoundRepository(uow.session).save(round_)
    if round_.state is RoundState.SCHEDULED:
        uow.emit(_scheduled(round_))
    return round_


async def schedule_round(uow: UnitOfWork, *, actor: Principal, round_id: uuid.UUID, now: datetime) -> Round:
    """Announce the round's dates; it then opens and closes by itself."""
    round_ = await _round_for_staff(uow, actor, round_id)
    round_.schedule(now)
    await RoundRepository(uow.session).save(round_)
    uow.emit(_scheduled(round_))
    return round_


def _scheduled(r: Round) -> GrantRoundScheduled:
    return GrantRoundScheduled(
        round_id=r.id,
        programme_id=r.programme_id,
        year=r.year,
        opens_at=r.opens_at,
        closes_at=r.closes_at,
        appropriation_cents=r.appropriation_cents,
        decision_deadline=r.decision_deadline,
        usage_report_deadline=r.usage_report_deadline,
    )


async def get_round(uow: UnitOfWork, *, round_id: uuid.UUID) -> Round:
    round_ = await RoundRepository(uow.session).get(round_id)
    if round_ is None or round_.state is RoundState.DRAFT:
        raise NotFound("No such round.", field="round_id")  # drafts are the department's own business
    return round_


async def search_rounds(uow: UnitOfWork, **filters: Any) -> tuple[list[Round], int]:
    states = filters.pop("states", None) or [s for s in RoundState if s is not RoundState.DRAFT]
    return await RoundRepository(uow.session).search(states=states, **filters)


async def money_visible_to(uow: UnitOfWork, actor: Principal, rounds: list[Round]) -> set[uuid.UUID]:
    """Rounds whose promised money the caller may see: light grants' remaining appropriation is public all
    along; a yearly round's only once its decisions are published (before that it would tell how much has
    been decided); the responsible department always sees its own."""
    programmes = await ProgrammeRepository(uow.session).by_ids({r.programme_id for r in rounds})
    return {
        r.id
        for r in rounds
        if r.state is RoundState.PUBLISHED
        or programmes[r.programme_id].intake is Intake.CONTINUOUS
        or actor.acts_for_department(programmes[r.programme_id].department_code)
    }


# -- on time, by itself ------------------------------------------------------------------------------------
async def open_due_rounds(uow: UnitOfWork, now: datetime) -> int:
    """Open every scheduled round whose time has come; the row lock makes each opening happen once."""
    rounds = RoundRepository(uow.session)
    due = await rounds.claim(state=RoundState.SCHEDULED, due_column="opens_at", now=now)
    for round_ in due:
        programme = await ProgrammeRepository(uow.session).get(round_.programme_id)
        assert programme is not None
        round_.state, round_.opened_at = RoundState.OPEN, now
        await rounds.save(round_)
        uow.emit(
            GrantRoundOpened(
                round_id=round_.id,
                programme_id=round_.programme_id,
                year=round_.year,
                opens_at=round_.opens_at,
                closes_at=round_.closes_at,
                appropriation_cents=round_.appropriation_cents,
                eligible_kinds=programme.eligible_kinds,
                fields_of_activity=programme.fields_of_activity,
            )
        )
    return len(due)


async def close_due_rounds(uow: UnitOfWork, now: datetime) -> int:
    rounds = RoundRepository(uow.session)
    due = await rounds.claim(state=RoundState.OPEN, due_column="closes_at", now=now)
    for round_ in due:
        round_.state, round_.closed_at = RoundState.CLOSED, now
        await rounds.save(round_)
        submitted = await uow.session.scalar(
            select(func.count()).where(application.c.round_id == round_.id, application.c.submitted_at.is_not(None))
        )
        uow.emit(
            GrantRoundClosed(
                round_id=round_.id,
                programme_id=round_.programme_id,
                closed_at=now,
                applications_submitted=submitted or 0,
            )
        )
    return len(due)


JOBS = [PeriodicJob("open_due_rounds", open_due_rounds), PeriodicJob("close_due_rounds", close_due_rounds)]
