"""Whom an event for associations is told of: its audience (``EventScheduled.audience``), resolved when the event
arrives from the services that own it (ADR 0003, ADR 0017). Only representatives who chose the ``events`` topic
are told, each once per event (``notify``'s unique ``(source, recipient_ref)``), whichever way they were found.

- ``everyone``: every active applicant (associations, groups and private persons); ``associations``: the
  registered associations and unregistered groups (also what an older message without an audience means).
  The directory's ``/recipients`` filters them by kind, as a grant round's eligible applicants are found.
- ``grantees`` (those holding a grant) and ``partners`` (the city's partner associations): grants names them,
  as applicant ids (``GET /audiences/grantees``: a published grant of this year's or last year's round;
  ``GET /audiences/partners``: an agreement in force); the directory then gives those applicants'
  representatives. A grants or directory that does not answer fails the handler: the consumer retries.
- ``staff`` (the city's own staff: no association is told): nobody is mailed, and the log says so. The
  notifier mails associations' representatives who chose a topic. The only staff the directory knows are the
  liaison contacts of its public liaison directory: a few of the staff, listed so that associations find them,
  who never chose to be mailed; the city reaches its own staff through its own channels.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from notifier.config import Settings
from notifier.service_layer.notifications import (
    Directory,
    Grants,
    Notice,
    notify_associations,
    notify_eligible,
)
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.calendar import EventAudience
from shared.contracts.directory import ApplicantKind, MessageTopic
from shared.observability.logging import get_logger

log = get_logger(__name__)

AUDIENCE_KINDS: dict[EventAudience, list[ApplicantKind]] = {
    EventAudience.EVERYONE: [],  # no filter: every kind
    EventAudience.ASSOCIATIONS: [ApplicantKind.REGISTERED_ASSOCIATION, ApplicantKind.UNREGISTERED_GROUP],
}
NAMED_BY_GRANTS: dict[EventAudience, Callable[[Grants], Awaitable[list[uuid.UUID]]]] = {
    EventAudience.GRANTEES: lambda grants: grants.grantees(),
    EventAudience.PARTNERS: lambda grants: grants.partners(),
}


async def notify_audience(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, grants: Grants, source: str,
    notice: Notice, audience: EventAudience | None,
) -> int:  # fmt: skip
    """The representatives of the event's audience who chose events; returns how many deliveries were made."""
    audience = audience or EventAudience.ASSOCIATIONS
    if (kinds := AUDIENCE_KINDS.get(audience)) is not None:
        return await notify_eligible(
            uow, settings=settings, directory=directory, source=source, notice=notice, topic=MessageTopic.EVENTS,
            kinds=[k.value for k in kinds], fields_of_activity=[],
        )  # fmt: skip
    if (named := NAMED_BY_GRANTS.get(audience)) is not None:
        return await notify_associations(
            uow, settings=settings, directory=directory, source=source, notice=notice,
            association_ids=await named(grants), topic=MessageTopic.EVENTS,
        )  # fmt: skip
    log.info("event_audience_not_told", source=source, audience=audience.value, reason="city_staff_are_not_mailed")
    return 0
