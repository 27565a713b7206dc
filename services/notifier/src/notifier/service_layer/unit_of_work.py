"""The notifier's unit of work: one transaction, and the repositories a use case reaches through it."""

from __future__ import annotations

from typing import Self

from notifier.adapters.decisions import DecisionRepository
from notifier.adapters.newsletter_dates import NewsletterDateRepository
from notifier.adapters.repository import DeliveryRepository, IssueRepository, OptOutRepository, SubscriberRepository
from shared.db import Session
from shared.db.uow import UnitOfWork


class NotifierUnitOfWork(UnitOfWork):
    subscribers: SubscriberRepository
    issues: IssueRepository
    deliveries: DeliveryRepository
    opt_outs: OptOutRepository
    decisions: DecisionRepository
    newsletter_dates: NewsletterDateRepository

    def _open(self, session: Session) -> None:
        self.subscribers = SubscriberRepository(session)
        self.issues = IssueRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.opt_outs = OptOutRepository(session)
        self.decisions = DecisionRepository(session)
        self.newsletter_dates = NewsletterDateRepository(session)

    def one_statement(self) -> Self:
        """For a write that is one statement (the deliver job's marks): it runs outside a transaction block, so
        PostgreSQL commits it on its own, as atomic as any statement and durable once it returns, without the
        BEGIN and COMMIT round trips (the mechanism of ``reading``). Nothing is committed after it."""
        return self.reading()
