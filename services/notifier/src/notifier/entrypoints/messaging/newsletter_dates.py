"""The calendar's planned newsletter dates into the notifier's copy (ADR 0014): ``on_<event>(uow, event, meta)``.

Apart from ``subscribers`` (the notifications), as keeping a copy is not telling anyone anything.
"""

from __future__ import annotations

from typing import Any

from notifier.service_layer import newsletter_dates
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.calendar import NewsletterDatePlanned, NewsletterDateWithdrawn
from shared.messaging.consumer import EventMeta, Subscription


async def on_newsletter_date_planned(uow: NotifierUnitOfWork, event: NewsletterDatePlanned, meta: EventMeta) -> None:
    await newsletter_dates.date_planned(
        uow, entry_id=event.entry_id, clock_entry_id=event.clock_entry_id, year=event.year,
        planned_on=event.planned_on, title_fi=event.title_fi, revision=event.revision,
    )  # fmt: skip


async def on_newsletter_date_withdrawn(
    uow: NotifierUnitOfWork, event: NewsletterDateWithdrawn, meta: EventMeta
) -> None:
    await newsletter_dates.date_withdrawn(uow, entry_id=event.entry_id, revision=event.revision)


def subscriptions() -> list[Subscription[Any]]:
    return [
        Subscription(NewsletterDatePlanned, on_newsletter_date_planned),
        Subscription(NewsletterDateWithdrawn, on_newsletter_date_withdrawn),
    ]
