"""Yearly partnership discussions (kumppanuuskeskustelut): recorded by the department with the partner, and
put due by a job ``notice_days`` ahead of each agreement-year's end. They are the partners' own: the department
(and admins) and the association read them; the department records and corrects them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from grants.domain.partnership import AgreedAction, Agreement, AgreementState, Discussion
from grants.service_layer.partnerships import party, prepared_agreement, visible_agreement
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal
from shared.contracts.grants import PartnershipDiscussionDue
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.localtime import local_date


def _actions(values: Sequence[dict[str, Any]]) -> list[AgreedAction]:
    return [AgreedAction(**value) for value in values]


async def record_discussion(
    uow: GrantsUnitOfWork,
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
    async with uow:
        agreement = await prepared_agreement(uow, actor, agreement_id)  # the lock makes recordings take turns
        if agreement.state not in (AgreementState.ACTIVE, AgreementState.ENDED):
            raise Conflict("Partnership discussions are held once the agreement is signed.")
        schedule = agreement.discussion_due_dates
        held = await uow.discussions.held_due_dates(agreement.id)
        if due_on is None:
            due_on = next((d for d in schedule if d not in held), None)
            if due_on is None:
                raise Conflict("No yearly discussion of this agreement remains to be recorded.", field="due_on")
        elif due_on not in schedule:
            dates = ", ".join(d.isoformat() for d in schedule) or "none"
            raise InvalidInput(f"This agreement's discussions are due on: {dates}.", field="due_on")
        discussion = Discussion(
            id=uuid.uuid4(),
            agreement_id=agreement.id,
            due_on=due_on,
            notes=notes,
            agreed_actions=_actions(agreed_actions),
        )
        discussion.record(
            held_on=held_on, today=local_date(now), year_starts_on=agreement.discussion_year_starts_on(due_on)
        )
        written = await uow.discussions.record_held(discussion)
        if written is None:
            raise Conflict("That year's discussion is already recorded: correct it instead.", field="due_on")
        await uow.commit()
    return written


async def correct_discussion(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    agreement_id: uuid.UUID,
    discussion_id: uuid.UUID,
    now: datetime,
    changes: dict[str, Any],
) -> Discussion:
    async with uow:
        agreement = await prepared_agreement(uow, actor, agreement_id)
        discussion = await uow.discussions.get(discussion_id, for_update=True)
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
        await uow.discussions.save(discussion)
        await uow.commit()
    return discussion


async def _partners_of(uow: GrantsUnitOfWork, actor: Principal, agreement_id: uuid.UUID) -> Agreement:
    agreement = await visible_agreement(uow, actor, agreement_id)
    if not party(actor, agreement):
        raise Forbidden("Partnership discussions are the partners' own.")
    return agreement


async def list_discussions(uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID) -> list[Discussion]:
    """The discussions so far, notes included: they are held together, so the association reads them too."""
    async with uow:
        await _partners_of(uow, actor, agreement_id)
        return await uow.discussions.of_agreement(agreement_id)


async def get_discussion(
    uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID, discussion_id: uuid.UUID
) -> Discussion:
    async with uow:
        await _partners_of(uow, actor, agreement_id)
        discussion = await uow.discussions.get(discussion_id)
    if discussion is None or discussion.agreement_id != agreement_id:
        raise NotFound("No such discussion.")
    return discussion


# -- on time, by itself ---------------------------------------------------------------------------------------
async def put_discussions_due(uow: GrantsUnitOfWork, now: datetime, *, notice_days: int) -> int:
    """Each agreement-year's discussion falls due ``notice`` days ahead: its row is made and the partners are
    told, once; the unique (agreement, due date) row decides between workers and discussions held early."""
    today, notice, made = local_date(now), timedelta(days=notice_days), 0
    async with uow:
        for agreement, discussed in await uow.agreements.active_with_discussions():
            for due_on in agreement.discussion_due_dates:
                if due_on - notice > today:
                    break
                if (
                    due_on in discussed
                    or (discussion_id := await uow.discussions.create_due(agreement.id, due_on, now)) is None
                ):
                    continue
                uow.emit(
                    PartnershipDiscussionDue(
                        agreement_id=agreement.id,
                        discussion_id=discussion_id,
                        applicant_id=agreement.applicant_id,
                        due_on=due_on,
                        department_code=agreement.department_code,
                    )
                )
                made += 1
        await uow.commit()
    return made
