"""Use cases of feedback surveys: the organising department's staff write a draft, open it (which makes its
invitations) and close it; anyone with an invitation answers once, anonymously.

Opening makes the invitations: for a survey of an event, one per confirmed registration; for the yearly
evaluation, one per active association of the calendar's copy of the directory (``adapters/copies.py``). A
token is derived from its invitation's id under the signing key (ADR 0013): the answer to the opening shows
them, and the notifier gets them again from the service-only invitations read (``survey_invitations.py``);
only their hashes are kept. ``FeedbackSurveyOpened`` and ``FeedbackSurveyClosed`` announce it, never a token.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from calendar_service.domain.event import EventState
from calendar_service.domain.survey import Invitation, Survey, SurveyAudience, SurveyState
from calendar_service.service_layer.events import load_event
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.calendar import FeedbackSurveyAudience, FeedbackSurveyClosed, FeedbackSurveyOpened
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.scheduling import PeriodicJob

MAX_INVITATIONS = 2_000


@dataclass(frozen=True)
class IssuedInvitation:
    invitation_id: uuid.UUID
    token: str
    registration_id: uuid.UUID | None
    association_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Invitee:
    registration_id: uuid.UUID | None = None
    association_id: uuid.UUID | None = None


@dataclass(frozen=True)
class OpenedSurvey:
    survey: Survey
    invitations: list[IssuedInvitation]


def _ensure_department(actor: Principal, survey: Survey) -> None:
    if not actor.acts_for_department(survey.department_code):
        raise Forbidden("Only the organising department's staff (or an admin) may do this.")


async def load_survey(uow: CalendarUnitOfWork, actor: Principal, survey_id: uuid.UUID, *, lock: bool = False) -> Survey:
    survey = await (uow.surveys.lock(survey_id) if lock else uow.surveys.get(survey_id))
    if survey is None or (survey.state is SurveyState.DRAFT and not actor.acts_for_department(survey.department_code)):
        raise NotFound("No such survey.", field="survey_id")
    return survey


async def _check_event(uow: CalendarUnitOfWork, actor: Principal, survey: Survey) -> None:
    if survey.event_id is None:
        return
    try:
        event = await load_event(uow, actor, survey.event_id)
    except NotFound:
        raise InvalidInput("No such event.", field="event_id") from None
    if event.department_code != survey.department_code:
        raise InvalidInput("A survey of an event belongs to the event's department.", field="department_code")
    if event.state in (EventState.DRAFT, EventState.CANCELLED):
        raise InvalidInput(f"The event is {event.state.value}: it has no participants to ask.", field="event_id")


async def create_survey(uow: CalendarUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Survey:
    survey = Survey(id=uuid.uuid4(), **fields)
    survey.validate()
    _ensure_department(actor, survey)
    async with uow:
        await _check_event(uow, actor, survey)
        await uow.surveys.add(survey)
        await uow.commit()
    return survey


async def update_survey(
    uow: CalendarUnitOfWork, *, actor: Principal, survey_id: uuid.UUID, changes: dict[str, Any]
) -> Survey:
    async with uow:
        survey = await load_survey(uow, actor, survey_id, lock=True)
        _ensure_department(actor, survey)
        survey.ensure_draft()
        for name, value in changes.items():
            setattr(survey, name, value)
        survey.validate()
        survey.revision += 1
        await uow.surveys.save(survey)
        await uow.commit()
    return survey


async def _invitees(uow: CalendarUnitOfWork, survey: Survey) -> list[Invitee]:
    if survey.audience is SurveyAudience.EVENT_PARTICIPANTS:
        assert survey.event_id is not None
        registrations = await uow.registrations.confirmed_of_event(survey.event_id)
        if not registrations:
            raise Conflict("The event has no confirmed registrations to invite.", field="invitations")
        return [Invitee(registration_id=r) for r in registrations]
    associations = await uow.applicants.invited_ids(limit=MAX_INVITATIONS + 1)
    if not associations:
        raise Conflict("The calendar knows no active associations to invite.", field="invitations")
    if len(associations) > MAX_INVITATIONS:
        raise Conflict(f"More than {MAX_INVITATIONS} associations to invite.", field="invitations")
    return [Invitee(association_id=a) for a in associations]


def _audience(survey: Survey) -> FeedbackSurveyAudience:
    return FeedbackSurveyAudience(survey.audience.value)


async def open_survey(
    uow: CalendarUnitOfWork, *, actor: Principal, survey_id: uuid.UUID, now: datetime, key: str
) -> OpenedSurvey:
    """Open the draft and make its invitations, their tokens derived under ``key``."""
    async with uow:
        survey = await load_survey(uow, actor, survey_id, lock=True)
        _ensure_department(actor, survey)
        survey.ensure_draft()
        invitees = await _invitees(uow, survey)
        survey.open(now, len(invitees))
        made = [
            Invitation.issue(key, survey.id, registration_id=i.registration_id, association_id=i.association_id)
            for i in invitees
        ]
        await uow.invitations.add_all([invitation for invitation, _ in made])
        issued = [IssuedInvitation(i.id, token, i.registration_id, i.association_id) for i, token in made]
        await uow.surveys.save(survey)
        uow.emit(
            FeedbackSurveyOpened(
                survey_id=survey.id, event_id=survey.event_id, audience=_audience(survey),
                closes_at=survey.closes_at, invitations=survey.invitations,
            )
        )  # fmt: skip
        await uow.commit()
    return OpenedSurvey(survey, issued)


async def _close(uow: CalendarUnitOfWork, survey: Survey) -> None:
    survey.close()
    await uow.surveys.save(survey)
    answered = await uow.invitations.count_used(survey.id)
    closed = {"survey_id": survey.id, "event_id": survey.event_id, "audience": _audience(survey)}
    uow.emit(FeedbackSurveyClosed(**closed, answers=answered))


async def close_survey(uow: CalendarUnitOfWork, *, actor: Principal, survey_id: uuid.UUID) -> Survey:
    async with uow:
        survey = await load_survey(uow, actor, survey_id, lock=True)
        _ensure_department(actor, survey)
        await _close(uow, survey)
        await uow.commit()
    return survey


async def close_due_surveys(uow: CalendarUnitOfWork, now: datetime) -> int:
    """The worker's job: close the open surveys whose ``closes_at`` has passed (answers are refused from then on
    anyway; this makes it final and announces it)."""
    async with uow:
        due = await uow.surveys.due_to_close(now)
        for survey in due:
            await _close(uow, survey)
        await uow.commit()
    return len(due)


CLOSE_DUE_SURVEYS = PeriodicJob("close_due_surveys", close_due_surveys)


async def get_survey(uow: CalendarUnitOfWork, *, actor: Principal, survey_id: uuid.UUID) -> Survey:
    async with uow:
        return await load_survey(uow, actor, survey_id)


async def search_surveys(
    uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID | None, limit: int, offset: int
) -> tuple[list[Survey], int]:
    async with uow:
        return await uow.surveys.search(
            drafts_of=actor.department if actor.role is Role.STAFF else None, all_drafts=actor.role is Role.ADMIN,
            event_id=event_id, limit=limit, offset=offset,
        )  # fmt: skip
