"""Decisions and their publication, by staff of the programme's department (or admins).

When: a yearly round's applications are decided after the round closes; a continuous (light) round's any
time after submission. The approved amount is 0 … requested, and the sum of approved amounts never exceeds
the appropriation: the money is moved atomically with ``RoundRepository.reserve`` (a yearly round reserves
at decision time, re-deciding moves the difference; a continuous round already holds the requested amount
and a smaller decision releases the rest). A decision may be changed until it is published.

Publishing a yearly round needs every submitted (or returned) application decided; the round becomes
``published`` and DecisionsPublished is emitted once. A continuous round publishes what is decided so far,
in batches: each publication covers the decisions made since the previous one (one event per batch); the
round stays open, and becomes ``published`` when published after it has closed with nothing left undecided
(with no event when that last publication has no new decisions).
Every approved grant (more than 0 €) then owes a usage report by the round's usage-report deadline, or by
default by the end of June of the following year.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from grants.domain.application import AWAITING_DECISION, Application, Decision
from grants.domain.budget import euros
from grants.domain.round import Round, RoundState
from grants.service_layer.reviews import for_reviewer, round_for_staff
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from grants.service_layer.usage_reports import create_obligations
from shared.auth import Principal
from shared.contracts.grants import ApplicationDecided, DecisionsPublished, Intake
from shared.errors import Conflict, NotFound

_TICK = timedelta(microseconds=1)


def usage_report_due(round_: Round) -> date:
    """The round's deadline, or by default the end of June of the year after the round's year."""
    return round_.usage_report_deadline or date(round_.year + 1, 6, 30)


async def decide(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    application_id: uuid.UUID,
    approved_cents: int,
    rationale: str,
    now: datetime,
) -> tuple[Application, Decision]:
    async with uow:
        dossier = await for_reviewer(uow, actor, application_id, lock=True)  # the application, then its round
        app, round_ = dossier.application, dossier.round
        app.ensure_decidable()
        if round_.state is RoundState.PUBLISHED:
            raise Conflict("The round's decisions are already published.", field="round_id")
        if not dossier.continuous and round_.state is not RoundState.CLOSED:
            raise Conflict("A yearly round's applications are decided after the round closes.", field="round_id")
        earlier = await uow.decisions.get(app.id)
        if earlier and earlier.is_public(round_published=False, published_at=round_.published_at):
            raise Conflict("This decision is already published and can no longer change.", field="approved_cents")
        # A publication covers decisions made up to its time: a later decision must come after it.
        decided_at = max(now, round_.published_at + _TICK) if round_.published_at else now
        made = Decision(app.id, round_.id, approved_cents, rationale, decided_by=actor.subject, decided_at=decided_at)
        made.validate(app.requested_cents)
        held_before = app.held_cents(
            continuous=dossier.continuous, approved_cents=earlier.approved_cents if earlier else None
        )
        app.mark_decided()
        delta = made.approved_cents - held_before
        if delta and await uow.rounds.reserve(round_.id, delta) is None:
            raise Conflict(
                f"This would exceed the appropriation: {euros(round_.remaining_cents)} remains.",
                field="approved_cents",
            )
        await uow.applications.save(app)
        await uow.decisions.put(made)
        uow.emit(
            ApplicationDecided(
                application_id=app.id,
                round_id=round_.id,
                applicant_id=app.applicant_id,
                requested_cents=app.requested_cents,
                approved_cents=made.approved_cents,
            )
        )
        await uow.commit()
    return app, made


@dataclass
class Publication:
    round: Round
    decisions: int
    granted_cents: int
    usage_reports: int


def _check_publishable(round_: Round, *, continuous: bool, pending: int) -> None:
    if round_.state is RoundState.PUBLISHED:
        raise Conflict("The round's decisions are already published.", field="round_id")
    if round_.state is RoundState.DRAFT:
        raise NotFound("No such round.", field="round_id")
    if continuous:
        if round_.state is RoundState.SCHEDULED:
            raise Conflict("The round has not opened yet.", field="round_id")
        return
    if round_.state is not RoundState.CLOSED:
        raise Conflict("Decisions are published after the round closes.", field="round_id")
    if pending:
        raise Conflict(f"{pending} application(s) still await a decision.", field="round_id")


async def publish(uow: GrantsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, now: datetime) -> Publication:
    async with uow:
        round_, programme = await round_for_staff(uow, actor, round_id, lock=True)  # serialises with decisions
        continuous = programme.intake is Intake.CONTINUOUS
        pending = await uow.applications.count_in_states(round_.id, AWAITING_DECISION)
        _check_publishable(round_, continuous=continuous, pending=pending)
        batch = await uow.decisions.in_round(round_.id, decided_after=round_.published_at)
        final = round_.state is RoundState.CLOSED and not pending
        if continuous and not batch and not final:
            raise Conflict("There are no new decisions to publish.", field="round_id")
        if batch or round_.published_at is None:  # a publication covers every decision made up to its time
            round_.published_at = max([now, *(d.decided_at for d, _ in batch)])
        if final:
            round_.state = RoundState.PUBLISHED
        await uow.rounds.save(round_)
        granted = [(d.application_id, applicant_id) for d, applicant_id in batch if d.approved_cents > 0]
        reports = await create_obligations(uow, grants=granted, due_date=usage_report_due(round_))
        granted_cents = sum(d.approved_cents for d, _ in batch)
        if batch or not continuous:  # a closed continuous round with nothing new: no news, only its state
            uow.emit(
                DecisionsPublished(
                    round_id=round_.id,
                    programme_id=round_.programme_id,
                    year=round_.year,
                    decisions=len(batch),
                    granted_cents=granted_cents,
                    published_at=round_.published_at,
                )
            )
        await uow.commit()
    return Publication(round_, len(batch), granted_cents, reports)
