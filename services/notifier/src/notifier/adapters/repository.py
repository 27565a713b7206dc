"""Repositories of subscribers, issues, deliveries and opt-outs."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, ClassVar, cast

from sqlalchemy import (
    CursorResult,
    DateTime,
    Text,
    and_,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import UUID, insert

from notifier.adapters.marks import marks
from notifier.adapters.tables import delivery, newsletter_issue, opt_out, subscriber
from notifier.domain.delivery import Delivery, DeliveryKind, DeliveryState, NewDelivery
from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Language, Subscriber, SubscriberState
from shared.db.repository import Repository
from shared.messaging.tables import idempotency_table


class SubscriberRepository(Repository[Subscriber]):
    table, model = subscriber, Subscriber
    enums: ClassVar[dict[str, Any]] = {"state": SubscriberState, "language": Language}

    async def with_digest(self, email_digest: str, *, for_update: bool = False) -> Subscriber | None:
        query = select(self.table).where(self.table.c.email_digest == email_digest)
        if for_update:
            query = query.with_for_update()
        found = await self._all(query)
        return found[0] if found else None

    async def upsert_pending(self, s: Subscriber) -> Subscriber:
        """The address's row, created when new; concurrent subscriptions of one address meet in one row."""
        row = self._to_row(s)
        await self.session.execute(
            insert(self.table).values(row).on_conflict_do_nothing(index_elements=["email_digest"])
        )
        found = await self.with_digest(s.email_digest, for_update=True)
        assert found is not None
        return found


class IssueRepository(Repository[Issue]):
    table, model = newsletter_issue, Issue
    enums: ClassVar[dict[str, Any]] = {"state": IssueState}

    async def search(self, *, states: list[IssueState] | None, limit: int, offset: int) -> tuple[list[Issue], int]:
        query = select(self.table)
        if states:
            query = query.where(self.table.c.state.in_([s.value for s in states]))
        return await self._page(query, [self.table.c.created_at.desc(), self.table.c.id], limit, offset)

    async def sent(self, limit: int, offset: int) -> tuple[list[Issue], int]:
        query = select(self.table).where(self.table.c.state == IssueState.SENT.value)
        return await self._page(query, [self.table.c.sent_at.desc(), self.table.c.id], limit, offset)

    async def claim_due(self, now: datetime) -> list[Issue]:
        """Scheduled issues whose time came, locked so that one replica alone fans each out."""
        t = self.table
        query = (
            select(t)
            .where(t.c.state == IssueState.SCHEDULED.value, t.c.send_at <= now)
            .order_by(t.c.send_at)
            .limit(5)
            .with_for_update(skip_locked=True)
        )
        return await self._all(query)

    async def sending(self) -> list[Issue]:
        return await self._all(
            select(self.table).where(self.table.c.state == IssueState.SENDING.value).with_for_update(skip_locked=True)
        )

    async def fan_out(self, issue: Issue, domain: str, now: datetime) -> int:
        """One pending delivery per confirmed subscriber in the issue's segment, due ``now``, in one statement; a
        second run adds none (the unique source and recipient)."""
        s, d = subscriber, delivery
        source = f"newsletter:{issue.id}"
        conditions = [s.c.state == SubscriberState.CONFIRMED.value]
        if issue.languages:
            conditions.append(s.c.language.in_(issue.languages))
        for wanted, column in (
            (issue.fields_of_activity, s.c.fields_of_activity),
            (issue.districts, s.c.districts),
            (issue.association_kinds, s.c.association_kinds),
        ):
            if wanted:
                conditions.append(column.overlap(cast(Any, wanted)))
        new_id = func.gen_random_uuid()
        rows = (
            select(
                new_id.label("id"),
                literal(source).label("source"),
                literal(DeliveryKind.NEWSLETTER.value).label("kind"),
                literal(issue.id, UUID(as_uuid=True)).label("issue_id"),
                s.c.id.label("subscriber_id"),
                (literal("subscriber:") + sql_cast(s.c.id, Text)).label("recipient_ref"),
                s.c.email_digest.label("recipient_digest"),
                s.c.language.label("language"),
                literal(now, DateTime(timezone=True)).label("next_attempt_at"),
            )
            .where(and_(*conditions))
            .subquery()
        )
        statement = (
            insert(d)
            .from_select(
                [
                    "id",
                    "source",
                    "kind",
                    "issue_id",
                    "subscriber_id",
                    "recipient_ref",
                    "recipient_digest",
                    "language",
                    "message_id",
                    "next_attempt_at",
                ],
                select(
                    rows.c.id,
                    rows.c.source,
                    rows.c.kind,
                    rows.c.issue_id,
                    rows.c.subscriber_id,
                    rows.c.recipient_ref,
                    rows.c.recipient_digest,
                    rows.c.language,
                    literal("<") + sql_cast(rows.c.id, Text) + literal(f"@{domain}>"),
                    rows.c.next_attempt_at,
                ),
            )
            .on_conflict_do_nothing(constraint="uq_delivery_source_recipient")
        )
        result = await self.session.execute(statement)
        return cast("CursorResult[Any]", result).rowcount or 0


class DeliveryRepository:
    def __init__(self, session: Any) -> None:
        self.session = session

    async def add(self, new: NewDelivery, *, domain: str, now: datetime) -> bool:
        """False when this recipient already has this source's delivery (a redelivered event, a second ask).

        Due ``now`` by the service's clock, which is also the clock the deliver job claims by (the database's
        own ``now()`` may run ahead of it, and a delivery would wait for no reason)."""
        delivery_id = uuid.uuid4()
        values = {
            "id": delivery_id, "source": new.source, "kind": new.kind.value, "recipient_ref": new.recipient_ref,
            "recipient_digest": new.recipient_digest, "language": new.language, "subject": new.subject,
            "text_body": new.text_body, "html_body": new.html_body, "address": new.address,
            "subscriber_id": new.subscriber_id, "message_id": f"<{delivery_id}@{domain}>", "next_attempt_at": now,
        }  # fmt: skip
        result = await self.session.execute(
            insert(delivery).values(values).on_conflict_do_nothing(constraint="uq_delivery_source_recipient")
        )
        return bool(cast("CursorResult[Any]", result).rowcount)

    async def claim(self, now: datetime, *, limit: int, lease: timedelta) -> list[Delivery]:
        """Due deliveries (pending, or claimed by a sender whose lease ran out), each claimed by one replica."""
        d, s = delivery, subscriber
        due = (
            select(d.c.id)
            .where(
                d.c.next_attempt_at <= now,
                or_(
                    d.c.state == DeliveryState.PENDING.value,
                    and_(d.c.state == DeliveryState.SENDING.value, d.c.claimed_until < now),
                ),
            )
            .order_by(d.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        claimed = (
            update(d)
            .where(d.c.id.in_(due))
            .values(state=DeliveryState.SENDING.value, claimed_until=now + lease, attempts=d.c.attempts + 1)
            .returning(d.c.id)
        )
        ids = [r[0] for r in await self.session.execute(claimed)]
        if not ids:
            return []
        rows = await self.session.execute(
            select(
                d.c.id, d.c.kind, d.c.recipient_ref, d.c.language, d.c.message_id, d.c.attempts, d.c.issue_id,
                d.c.subject, d.c.text_body, d.c.html_body, d.c.handed_over_at, d.c.source,
                func.coalesce(d.c.address, s.c.email).label("address"),
            )
            .select_from(d.outerjoin(s, s.c.id == d.c.subscriber_id))
            .where(d.c.id.in_(ids))
        )  # fmt: skip
        return [Delivery(**{**r, "kind": DeliveryKind(r["kind"])}) for r in rows.mappings()]

    async def mark_sent(self, ids: list[uuid.UUID], now: datetime) -> None:
        await self.record(handed_over=[], sent=ids, now=now)

    async def record(self, *, handed_over: list[uuid.UUID], sent: list[uuid.UUID], now: datetime) -> None:
        """The deliver job's marks of many mails in one statement: these are about to go to the SMTP server,
        those were accepted by it (array parameters: one prepared statement whatever the numbers)."""
        await self.session.execute(marks(), {"sent": sent, "handed_over": handed_over, "now": now})

    async def mark_retry(self, delivery_id: uuid.UUID, at: datetime, error: str) -> None:
        await self.session.execute(
            update(delivery)
            .where(delivery.c.id == delivery_id)
            .values(
                state=DeliveryState.PENDING.value,
                next_attempt_at=at,
                claimed_until=None,
                last_error=error,
                handed_over_at=None,
            )
        )

    async def mark_failed(self, delivery_id: uuid.UUID, error: str) -> None:
        await self.session.execute(
            update(delivery)
            .where(delivery.c.id == delivery_id)
            .values(
                state=DeliveryState.FAILED.value,
                address=None,
                claimed_until=None,
                last_error=error,
                handed_over_at=None,
            )
        )

    async def mark_handed_over(self, delivery_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(update(delivery).where(delivery.c.id == delivery_id).values(handed_over_at=now))

    async def counts(self, issue_id: uuid.UUID) -> dict[str, int]:
        rows = await self.session.execute(
            select(delivery.c.state, func.count()).where(delivery.c.issue_id == issue_id).group_by(delivery.c.state)
        )
        return {str(state): int(n) for state, n in rows}

    async def log(
        self, *, issue_id: uuid.UUID | None = None, recipient_digest: str | None = None, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        d = delivery
        query = select(
            d.c.id, d.c.kind, d.c.source, d.c.recipient_ref, d.c.state, d.c.attempts, d.c.last_error, d.c.sent_at,
            d.c.message_id, d.c.created_at, d.c.subject,
        )  # fmt: skip
        if issue_id is not None:
            query = query.where(d.c.issue_id == issue_id)
        if recipient_digest is not None:
            query = query.where(d.c.recipient_digest == recipient_digest)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(query.order_by(d.c.created_at, d.c.id).limit(limit).offset(offset))
        return [dict(r) for r in rows.mappings()], int(total)

    async def erase(self, recipient_digest: str) -> int:
        result = await self.session.execute(delete(delivery).where(delivery.c.recipient_digest == recipient_digest))
        return cast("CursorResult[Any]", result).rowcount or 0

    async def forget_replies(self, *, email: str, resource_ids: list[uuid.UUID]) -> int:
        """Delete the stored idempotent replies that hold the address (an export's) or are of its records."""
        t = idempotency_table()
        matches = [func.lower(t.c.response_body["email"].astext) == email.lower()]
        if resource_ids:
            matches.append(t.c.resource_id.in_(resource_ids))
        result = await self.session.execute(delete(t).where(or_(*matches)))
        return cast("CursorResult[Any]", result).rowcount or 0


class OptOutRepository:
    def __init__(self, session: Any) -> None:
        self.session = session

    async def add(self, recipient_ref: str) -> None:
        await self.session.execute(insert(opt_out).values(recipient_ref=recipient_ref).on_conflict_do_nothing())

    async def opted_out(self, refs: list[str]) -> set[str]:
        if not refs:
            return set()
        rows = await self.session.execute(select(opt_out.c.recipient_ref).where(opt_out.c.recipient_ref.in_(refs)))
        return {r[0] for r in rows}
