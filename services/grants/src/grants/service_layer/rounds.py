"""Use cases for grant rounds, and the jobs that open and close them on time.

Who sees a round: everyone once it is scheduled; a draft only its programme's department (and admins), to
whom it answers as any other round, in ``GET /rounds/{id}`` and in the list. The money promised from a
round is shown with it only where that is public (see ``_money_visible``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from grants.adapters.repository import DraftsSeen
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.service_layer.access import ensure_department_staff
from grants.service_layer.programmes import load_programme
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.grants import GrantRoundClosed, GrantRoundOpened, GrantRoundScheduled, Intake
from shared.errors import InvalidInput, NotFound
from shared.localtime import as_local
from shared.scheduling import PeriodicJob


@dataclass(frozen=True)
class ShownRound:
    """A round as the caller may see it: ``money`` tells whether its promised money is shown too."""

    round: Round
    money: bool


def _times_in_utc(fields: dict[str, Any]) -> None:
    for name in ("opens_at", "closes_at"):
        if fields.get(name) is not None:
            fields[name] = as_local(fields[name]).astimezone(UTC)


async def create_round(
    uow: GrantsUnitOfWork, *, actor: Principal, programme_id: uuid.UUID, fields: dict[str, Any]
) -> Round:
    """A draft round; ``opens_at``/``closes_at`` without a zone are Helsinki times."""
    async with uow:
        programme = await load_programme(uow, programme_id)
        ensure_department_staff(actor, programme.department_code)
        principles = await uow.principles.of_programme(programme_id)
        if not principles:
            raise InvalidInput("Adopt the programme's grant principles before its first round.", field="programme_id")
        chosen = fields.pop("principles_version", None) or principles[-1].version
        version = next((p for p in principles if p.version == chosen), None)
        if version is None:
            raise InvalidInput(f"The programme has no principles version {chosen}.", field="principles_version")
        _times_in_utc(fields)
        fields["closes_at"] = fields.get("closes_at") or Round.year_end(fields["year"])
        round_ = Round(id=uuid.uuid4(), programme_id=programme_id, principles_version_id=version.id, **fields)
        round_.validate()
        await uow.rounds.add(round_)
        await uow.commit()
    return round_


async def _round_for_staff(uow: GrantsUnitOfWork, actor: Principal, round_id: uuid.UUID) -> Round:
    round_ = await uow.rounds.get(round_id, for_update=True)
    if round_ is None:
        raise NotFound("No such round.", field="round_id")
    programme = await load_programme(uow, round_.programme_id)
    if round_.state is RoundState.DRAFT and not actor.acts_for_department(programme.department_code):
        raise NotFound("No such round.", field="round_id")  # another department's draft is not there at all
    ensure_department_staff(actor, programme.department_code)
    return round_


async def update_round(
    uow: GrantsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, changes: dict[str, Any]
) -> Round:
    async with uow:
        round_ = await _round_for_staff(uow, actor, round_id)
        round_.ensure_editable()
        _times_in_utc(changes)
        for name, value in changes.items():
            setattr(round_, name, value)
        round_.validate()
        await uow.rounds.save(round_)
        if round_.state is RoundState.SCHEDULED:
            uow.emit(_scheduled(round_))  # the schedule others keep moves with it
        await uow.commit()
    return round_


async def schedule_round(uow: GrantsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, now: datetime) -> Round:
    """Announce the round's dates; it then opens and closes by itself."""
    async with uow:
        round_ = await _round_for_staff(uow, actor, round_id)
        round_.schedule(now)
        await uow.rounds.save(round_)
        uow.emit(_scheduled(round_))
        await uow.commit()
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


def _money_visible(actor: Principal, round_: Round, programme: Programme) -> bool:
    """Light grants' remaining appropriation is public all along; a yearly round's only once its decisions are
    published (before that it would tell how much has been decided); the department always sees its own."""
    return (
        round_.state is RoundState.PUBLISHED
        or programme.intake is Intake.CONTINUOUS
        or actor.acts_for_department(programme.department_code)
    )


async def _shown(uow: GrantsUnitOfWork, actor: Principal, rounds: Sequence[Round]) -> list[ShownRound]:
    programmes = await uow.programmes.by_ids({r.programme_id for r in rounds})
    return [ShownRound(r, _money_visible(actor, r, programmes[r.programme_id])) for r in rounds]


async def get_round(uow: GrantsUnitOfWork, *, actor: Principal, round_id: uuid.UUID) -> ShownRound:
    async with uow.reading():
        round_ = await uow.rounds.get(round_id)
        if round_ is None:
            raise NotFound("No such round.", field="round_id")
        programme = await load_programme(uow, round_.programme_id)
        if round_.state is RoundState.DRAFT and not actor.acts_for_department(programme.department_code):
            raise NotFound("No such round.", field="round_id")  # drafts are the department's own business
        return ShownRound(round_, _money_visible(actor, round_, programme))


def _drafts_seen(actor: Principal) -> DraftsSeen:
    if actor.role is Role.ADMIN:
        return DraftsSeen(everywhere=True)
    return DraftsSeen(department_code=actor.department if actor.role is Role.STAFF else None)


async def search_rounds(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    programme_id: uuid.UUID | None = None,
    year: int | None = None,
    states: list[RoundState] | None = None,
    limit: int,
    offset: int,
) -> tuple[list[ShownRound], int]:
    """The rounds the caller may see, newest first: drafts only of the caller's department (all, for admins)."""
    async with uow.reading():
        found, total = await uow.rounds.search(
            drafts=_drafts_seen(actor), programme_id=programme_id, year=year, states=states or None,
            limit=limit, offset=offset,
        )  # fmt: skip
        return await _shown(uow, actor, found), total


# -- on time, by itself ------------------------------------------------------------------------------------
async def open_due_rounds(uow: GrantsUnitOfWork, now: datetime) -> int:
    """Open every scheduled round whose time has come; the row lock makes each opening happen once."""
    async with uow:
        due = await uow.rounds.claim(state=RoundState.SCHEDULED, due_column="opens_at", now=now)
        programmes = await uow.programmes.by_ids({r.programme_id for r in due})
        for round_ in due:
            programme = programmes[round_.programme_id]
            round_.state, round_.opened_at = RoundState.OPEN, now
            await uow.rounds.save(round_)
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
        await uow.commit()
    return len(due)


async def close_due_rounds(uow: GrantsUnitOfWork, now: datetime) -> int:
    async with uow:
        due = await uow.rounds.claim(state=RoundState.OPEN, due_column="closes_at", now=now)
        for round_ in due:
            round_.state, round_.closed_at = RoundState.CLOSED, now
            await uow.rounds.save(round_)
            uow.emit(
                GrantRoundClosed(
                    round_id=round_.id,
                    programme_id=round_.programme_id,
                    closed_at=now,
                    applications_submitted=await uow.rounds.submitted_applications(round_.id),
                )
            )
        await uow.commit()
    return len(due)


JOBS = [PeriodicJob("open_due_rounds", open_due_rounds), PeriodicJob("close_due_rounds", close_due_rounds)]
