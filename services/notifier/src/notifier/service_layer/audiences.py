"""Whom an event for associations is told of: its audience (``EventScheduled.audience``) as the directory's
``/recipients`` filters, the way a grant round's eligible applicants are found.

``everyone`` is every active applicant (associations, groups and private persons), ``associations`` the
registered associations and unregistered groups (also what an older message without an audience means). Only
representatives who chose the ``events`` topic are told. The directory knows neither who holds a grant nor who
is a partner, and staff events are the city's own: those audiences are told nothing here (logged).
"""

from __future__ import annotations

from notifier.config import Settings
from notifier.service_layer.notifications import Directory, Notice, notify_eligible
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.calendar import EventAudience
from shared.contracts.directory import ApplicantKind, MessageTopic
from shared.observability.logging import get_logger

log = get_logger(__name__)

AUDIENCE_KINDS: dict[EventAudience, list[ApplicantKind]] = {
    EventAudience.EVERYONE: [],  # no filter: every kind
    EventAudience.ASSOCIATIONS: [ApplicantKind.REGISTERED_ASSOCIATION, ApplicantKind.UNREGISTERED_GROUP],
}


async def notify_audience(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, source: str, notice: Notice,
    audience: EventAudience | None,
) -> int:  # fmt: skip
    """The representatives of the event's audience who chose events; returns how many deliveries were made."""
    audience = audience or EventAudience.ASSOCIATIONS
    kinds = AUDIENCE_KINDS.get(audience)
    if kinds is None:
        log.info("event_audience_not_told", source=source, audience=audience.value)
        return 0
    return await notify_eligible(
        uow, settings=settings, directory=directory, source=source, notice=notice, topic=MessageTopic.EVENTS,
        kinds=[k.value for k in kinds], fields_of_activity=[],
    )  # fmt: skip
