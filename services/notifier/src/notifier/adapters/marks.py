"""The deliver job's marks as one statement: these deliveries are about to go to the SMTP server (handed over),
those were accepted by it (sent). Array parameters, so one prepared statement serves any numbers."""

from __future__ import annotations

from functools import cache

from sqlalchemy import DateTime, Update, any_, bindparam, case, null, or_, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from notifier.adapters.tables import delivery
from notifier.domain.delivery import DeliveryState


@cache
def marks() -> Update:
    """Built once: the statement is the same for every write, only its arrays differ."""
    d, array = delivery, ARRAY(UUID(as_uuid=True))
    accepted = d.c.id == any_(bindparam("sent", type_=array))
    at = bindparam("now", type_=DateTime(timezone=True))
    return (
        update(d)
        .where(or_(accepted, d.c.id == any_(bindparam("handed_over", type_=array))))
        .values(
            state=case((accepted, DeliveryState.SENT.value), else_=d.c.state),
            sent_at=case((accepted, at), else_=d.c.sent_at),
            address=case((accepted, null()), else_=d.c.address),
            claimed_until=case((accepted, null()), else_=d.c.claimed_until),
            last_error=case((accepted, null()), else_=d.c.last_error),
            handed_over_at=case((accepted, null()), else_=at),
        )
    )
