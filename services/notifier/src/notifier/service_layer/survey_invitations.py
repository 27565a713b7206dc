"""Feedback surveys' invitations by mail: on ``FeedbackSurveyOpened``, one mail per invitation with its link.

The calendar hands the open survey's invitations again (``GET /surveys/{id}/invitations``, a ``service``
token; each token is derived from its invitation's id, ADR 0013). An event survey's invitation goes to the
registration's contact person (the calendar's ``GET /recipients``), the yearly evaluation's to the invited
association's representatives who chose the topic ``events`` (the directory, asked 100 associations at a
time). Each invitation is a source of its own (``<event type>:<event id>:invitation:<id>``), so a person
who represents two associations gets both links, and the unique ``(source, recipient_ref)`` of the deliveries
makes a redelivered event (or a second worker) add nothing. A calendar or directory that does not answer
fails the handler with no effect: the consumer retries the event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from notifier.adapters.calendar import SurveyInvitation
from notifier.adapters.directory import Recipient
from notifier.config import Settings
from notifier.service_layer.notices import CLOSES_SURVEY
from notifier.service_layer.notifications import Addressee, Calendar, Directory, Notice, local, notify
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.directory import MessageTopic
from shared.observability.logging import get_logger

log = get_logger(__name__)


async def _addressees(
    calendar: Calendar, invitation: SurveyInvitation, representatives: dict[uuid.UUID, list[Recipient]]
) -> Sequence[Addressee]:
    if invitation.registration_id is not None:
        return await calendar.registrant(invitation.registration_id)
    if invitation.association_id is not None:
        return representatives.get(invitation.association_id, [])
    return []


async def send_invitations(
    uow: NotifierUnitOfWork, *, settings: Settings, calendar: Calendar, directory: Directory, source: str,
    survey_id: uuid.UUID, template: str, closes_at: datetime,
) -> int:  # fmt: skip
    """The mails of the survey's invitations; returns how many deliveries were added."""
    invitations = await calendar.invitations(survey_id)
    associations = [i.association_id for i in invitations if i.association_id is not None]
    representatives = (
        await directory.representatives_of(associations, topic=MessageTopic.EVENTS) if associations else {}
    )
    closes = {lang: words.format(at=local(closes_at)) for lang, words in CLOSES_SURVEY.items()}
    added = 0
    for invitation in invitations:
        recipients = await _addressees(calendar, invitation, representatives)
        if not recipients:
            continue
        notice = Notice(template, invitation.answer_url, {"closes": closes})
        added += await notify(
            uow, settings=settings, source=f"{source}:invitation:{invitation.invitation_id}", notice=notice,
            recipients=recipients,
        )  # fmt: skip
    log.info("survey_invitations_made", source=source, invitations=len(invitations), deliveries=added)
    return added
