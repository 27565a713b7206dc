"""Use cases of the applicant: draft, edit, submit and withdraw an application, and read its own.

An association's representative (or, for light grants, an unregistered group or a private person) acts for
the applicant ids in its token. Someone else's application answers 404; staff may read submitted ones of
their department but not change them (403).

Continuous intake is first come, first served: submitting holds the requested amount of the appropriation
atomically (``RoundRepository.reserve``); if it does not fit, the submission is refused with 409 and
nothing is written. Withdrawing releases what the application held.

Each use case owns its transaction (``async with uow``); ``load`` and the checks below run inside one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from grants.domain.application import Application, ApplicationState, Decision, check_round_takes_drafts
from grants.domain.budget import euros
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.service_layer.access import ensure_acts_for_applicant, ensure_reads_for_department, hidden, represents
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.grants import ApplicationSubmitted, ApplicationWithdrawn, Intake
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound


@dataclass
class Dossier:
    """An application with the round and programme it belongs to, loaded for one use case."""

    application: Application
    round: Round
    programme: Programme

    @property
    def continuous(self) -> bool:
        return self.programme.intake is Intake.CONTINUOUS


def is_own(actor: Principal, app: Application) -> bool:
    return represents(actor, app.applicant_id)


async def load(uow: GrantsUnitOfWork, application_id: uuid.UUID, *, for_update: bool = False) -> Dossier:
    """The application, its round and programme; rows locked in that order when ``for_update``."""
    app = await uow.applications.get(application_id, for_update=for_update)
    if app is None:
        raise hidden("application")
    round_ = await uow.rounds.get(app.round_id, for_update=for_update)
    assert round_ is not None, "an application always belongs to a round"
    programme = await uow.programmes.get(round_.programme_id)
    assert programme is not None, "a round always belongs to a programme"
    return Dossier(app, round_, programme)


def ensure_may_read(actor: Principal, dossier: Dossier) -> None:
    """Its applicant always; staff of the department once submitted; others are told it does not exist."""
    app = dossier.application
    if is_own(actor, app):
        return
    if not app.was_submitted:
        raise hidden("application")
    ensure_reads_for_department(actor, dossier.programme.department_code, "application")


def ensure_may_change(actor: Principal, dossier: Dossier) -> None:
    ensure_may_read(actor, dossier)
    if not is_own(actor, dossier.application):
        raise Forbidden("Only the applicant's own representatives may change an application.")


async def _check_applicant(uow: GrantsUnitOfWork, programme: Programme, applicant_id: uuid.UUID) -> None:
    copy = await uow.applicants.get(applicant_id)
    if copy is None or not copy.may_apply or copy.kind is None:
        raise InvalidInput("The applicant is unknown or no longer active in the directory.", field="applicant_id")
    programme.check_eligible(copy.kind)


async def _move_held_money(uow: GrantsUnitOfWork, dossier: Dossier, held_before: int, held_after: int) -> None:
    """Change what the application holds of the appropriation; refuse (409) when it is used up."""
    delta = held_after - held_before
    if delta == 0:
        return
    if await uow.rounds.reserve(dossier.round.id, delta) is None:
        raise Conflict(
            f"The appropriation is used up: {euros(max(dossier.round.remaining_cents, 0))} remains.",
            field="requested_cents",
        )


async def create_application(
    uow: GrantsUnitOfWork, *, actor: Principal, now: datetime, fields: dict[str, Any]
) -> Application:
    """A draft: only its applicant sees it until it is submitted."""
    fields = dict(fields)
    applicant_id, round_id = fields.pop("applicant_id"), fields.pop("round_id")
    ensure_acts_for_applicant(actor, applicant_id)
    async with uow:
        round_ = await uow.rounds.get(round_id)
        if round_ is None or round_.state is RoundState.DRAFT:
            raise NotFound("No such round.", field="round_id")
        programme = await uow.programmes.get(round_.programme_id)
        assert programme is not None
        check_round_takes_drafts(round_, now)
        await _check_applicant(uow, programme, applicant_id)
        app = Application(
            id=uuid.uuid4(), round_id=round_id, applicant_id=applicant_id, created_by=actor.subject, **fields
        )
        programme.check_amount(app.requested_cents)
        app.validate()
        await uow.applications.add(app)
        await uow.commit()
    return app


async def update_application(
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, changes: dict[str, Any]
) -> Application:
    """Edit a draft, or a returned application (which keeps what it holds, adjusted to the new amount)."""
    async with uow:
        dossier = await load(uow, application_id, for_update=True)
        ensure_may_change(actor, dossier)
        app = dossier.application
        held_before = app.held_cents(continuous=dossier.continuous, approved_cents=None)
        app.edit(changes)
        dossier.programme.check_amount(app.requested_cents)
        await _move_held_money(
            uow, dossier, held_before, app.held_cents(continuous=dossier.continuous, approved_cents=None)
        )
        await uow.applications.save(app)
        await uow.commit()
    return app


async def submit_application(
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, now: datetime
) -> Application:
    """Submit a draft within the application period, or resubmit a returned one before publication."""
    async with uow:
        dossier = await load(uow, application_id, for_update=True)
        ensure_may_change(actor, dossier)
        app, round_ = dossier.application, dossier.round
        app.ensure_editable()
        if app.state is ApplicationState.DRAFT:
            round_.ensure_accepts_applications(now)
        elif round_.state is RoundState.PUBLISHED:
            raise Conflict("The round's decisions are already published.", field="round_id")
        await _check_applicant(uow, dossier.programme, app.applicant_id)
        dossier.programme.check_amount(app.requested_cents)
        held_before = app.held_cents(continuous=dossier.continuous, approved_cents=None)
        app.submit(now)
        await _move_held_money(
            uow, dossier, held_before, app.held_cents(continuous=dossier.continuous, approved_cents=None)
        )
        await uow.applications.save(app)
        uow.emit(
            ApplicationSubmitted(
                application_id=app.id,
                round_id=round_.id,
                programme_id=round_.programme_id,
                applicant_id=app.applicant_id,
                requested_cents=app.requested_cents,
            )
        )
        await uow.commit()
    return app


async def withdraw_application(uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID) -> Application:
    """Withdraw before the decision; what the application held goes back to the appropriation.

    A draft may be withdrawn too (discarded); as nobody else knew of it, no event is published.
    """
    async with uow:
        dossier = await load(uow, application_id, for_update=True)
        ensure_may_change(actor, dossier)
        app = dossier.application
        held_before = app.held_cents(continuous=dossier.continuous, approved_cents=None)
        app.withdraw()
        await _move_held_money(uow, dossier, held_before, 0)
        await uow.applications.save(app)
        if app.was_submitted:
            uow.emit(ApplicationWithdrawn(application_id=app.id, applicant_id=app.applicant_id, round_id=app.round_id))
        await uow.commit()
    return app


async def get_application(
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID
) -> tuple[Application, Decision | None]:
    """The application and its decision, which is shown once published (until then it may still change)."""
    async with uow:
        dossier = await load(uow, application_id)
        ensure_may_read(actor, dossier)
        return dossier.application, await public_decision(uow, dossier)


async def public_decision(uow: GrantsUnitOfWork, dossier: Dossier) -> Decision | None:
    found = await uow.decisions.get(dossier.application.id)
    round_ = dossier.round
    if found and found.is_public(
        round_published=round_.state is RoundState.PUBLISHED, published_at=round_.published_at
    ):
        return found
    return None


async def list_own_applications(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    applicant_id: uuid.UUID | None,
    round_id: uuid.UUID | None,
    states: list[ApplicationState] | None,
    limit: int,
    offset: int,
) -> tuple[list[Application], int]:
    """The applications of the applicants the caller acts for (or of one of them)."""
    if actor.role is not Role.ASSOCIATION:
        raise Forbidden("Staff list a round's applications at /rounds/{round_id}/applications.")
    ids = list(actor.association_ids)
    if applicant_id is not None:
        ensure_acts_for_applicant(actor, applicant_id)
        ids = [applicant_id]
    async with uow:
        return await uow.applications.of_applicants(ids, round_id=round_id, states=states, limit=limit, offset=offset)
