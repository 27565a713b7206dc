"""Grants' decisions told to the applicants when their round's decisions are published, not before.

A decision may change until it is published (``ApplicationDecided`` comes at each change), so the notifier
keeps the latest one and mails it when a ``DecisionsPublished`` of its round covers it (published at or after
the decision). The two events travel in different queues: a decision arriving after the publication that
covers it is mailed on arrival. One mail per representative who chose grants, per application, once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from notifier.config import Settings
from notifier.domain.grant_decision import GrantDecision, Publication
from notifier.service_layer.notifications import Directory, Notice, Responsible, euros, notify_representatives
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.directory import MessageTopic


async def _announce(
    uow: NotifierUnitOfWork, d: GrantDecision, *, settings: Settings, directory: Directory, publication: Publication
) -> None:
    """The decision's mail, naming the programme's liaison contact (else the liaison coordinator)."""
    programme = publication.programme_id
    notice = Notice(
        "decision_granted" if d.approved_cents > 0 else "decision_declined",
        f"{settings.grants_public_url}/applications/{d.application_id}",
        {"approved": euros(d.approved_cents), "requested": euros(d.requested_cents)},
        responsible=Responsible(f"grants:programme:{programme}" if programme else None),
    )  # fmt: skip
    await notify_representatives(
        uow, settings=settings, directory=directory, source=f"{publication.source}:{d.application_id}",
        notice=notice,
        association_id=d.applicant_id, topic=MessageTopic.GRANTS,
    )  # fmt: skip
    await uow.decisions.mark_announced(d.application_id, uow.clock())


async def record_decision(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, decision: GrantDecision
) -> None:
    async with uow:
        await uow.decisions.lock_round(decision.round_id)
        held = await uow.decisions.record(decision)
        if held.announced_at is None:
            covering = await uow.decisions.publication_covering(held.round_id, held.decided_at)
            if covering is not None:
                await _announce(uow, held, settings=settings, directory=directory, publication=covering)
        await uow.commit()


async def publish_decisions(
    uow: NotifierUnitOfWork, *, settings: Settings, directory: Directory, publication: Publication,
    round_id: uuid.UUID, published_at: datetime,
) -> int:  # fmt: skip
    """Mail every decision of the round this publication covers that no earlier one did; returns how many."""
    async with uow:
        await uow.decisions.lock_round(round_id)
        await uow.decisions.add_publication(round_id, published_at, publication)
        waiting = await uow.decisions.unannounced(round_id, published_at)
        for d in waiting:
            await _announce(uow, d, settings=settings, directory=directory, publication=publication)
        await uow.commit()
    return len(waiting)
