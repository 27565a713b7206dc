"""Yearly partnership discussions (kumppanuuskeskustelut): recorded by the department with the partner, and
put due by a job ``notice_days`` ahead of each agreement-year's end."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from grants.adapters.partnerships import AgreementRepository, DiscussionRepository
from grants.domain.clock import local_date
from grants.domain.partnership import AgreedAction, AgreementState, Discussion
from grants.service_layer.partnerships import prepared_agreement
from shared.auth import Principal
from shared.contracts.grants import PartnershipDiscussionDue
from shared.db.uow import UnitOfWork
from shared.errors import Conflict, InvalidInput, NotFound


def _actions(values: Sequence[dict[str, Any]]) -> list[AgreedAction]:
    return [AgreedAction(**value) for value in values]


async def record_discussion(
    uow: UnitOfWork,
    *,
    actor: Principal,
    agreement_id: uuid.UUID,
    now: datetime,
    held_on: date,
    due_on: date | None = None,
    notes: str | None = None,
    agreed_actions: Sequence[dict[str, Any]] = (),
) -> Discussion:
    """Record a held discussion. It counts for the agreement-year ``due_on`` names, by default the oldest one
    still without a discussion: one held early leaves nothing to remind of, one held late settles the debt."""
    agreement = await prepared_agreement(uow, actor, agreement_id)  # the lock makes recordings take turns
    if agreement.state not in (AgreementState.ACTIVE, AgreementState.ENDED):
        raise Conflict("Partnership discussions are held once the agreement is signed.")
    repo, schedule = DiscussionRepository(uow.session), agreement.discussion_due_dates
    held = await repo.held_due_dates(agreement.id)
    if due_on is None:
        due_on = next((d for d in schedule if d not in held), None)
        if due_on is None:
            raise Conflict("No yearly discussion of this agreement remains to be recorded.", field="due_on")
    elif due_on not in schedule:
        dates = ", ".join(d.isoformat() for d in schedule) or "none"
        raise InvalidInput(f"This agreement's discussions are due on: {dates}.", field="due_on")
    discussion = Discussion(
        id=uuid.uuid4(), agreement_id=agreement.id, due_on=due_on, notes=notes, agreed_actions=_actions(agreed_actions)
    )
    discussion.record(
        held_on=held_on, today=local_date(now), year_starts_on=agreement.discussion_year_starts_on(due_on)
    )
    written = await repo.record_held(discussion)
    if written is None:
        raise Conflict("That year's discussion is already recorded: correct it instead.", field="due_on")
    return written


async def correct_discussion(
    uow: UnitOfWork,
    *,
    actor: Principal,
    agreement_id: uuid.UUID,
    discussion_id: uuid.UUID,
    now: datetime,
    changes: dict[str, Any],
) -> Discussion:
    agreement = await prepared_agreement(uow, actor, agreement_id)
    repo = DiscussionRepository(uow.session)
    discussion = await repo.get(discussion_id, for_update=True)
    if discussion is None or discussion.agreement_id != agreement.id:
        raise NotFound("No such discussion.")
    if discussion.held_on is None:
        raise Conflict("Record the discussion as held first.")
    if "agreed_actions" in changes:
        changes["agreed_actions"] = _actions(changes["agreed_actions"])
    for name, value in changes.items():
        setattr(discussion, name, value)
    year_starts_on = agreement.discussion_year_starts_on(discussion.due_on)
    discussion.record(held_on=discussion.held_on, today=local_date(now), year_starts_on=year_starts_on)
    await repo.save(discussion)
    return discussion


# -- on time, by itself ---------------------------------------------------------------------------------------
async def put_discussions_due(uow: UnitOfWork, now: datetime, *, notice_days: int) -> int:
    """Each agreement-year's discussion falls due ``notice`` days ahead: its row is made and the partners are
    told, once; the unique (agreement, due date) row decides between workers and discussions held early."""
    today, notice = local_date(now), timedelta(days=notice_days)
    discussions, made = DiscussionRepository(uow.session), 0
    for agreement, discussed in await AgreementRepository(uow.session).active_with_discussions():
        for due_on in agreement.discussion_due_dates:
            if due_on - notice > today:
                break
            if (
                due_on in discussed
                or (discussion_id := await discussions.create_due(agreement.id, due_on, now)) is None
            ):
                continue
            uow.emit(
                PartnershipDiscussionDue(
                    agreement_id=agreement.id,
                    discussion_id=discussion_id,
                    applicant_id=agreement.applicant_id,
                    due_on=due_on,
                )
            )
            made += 1
    return made
