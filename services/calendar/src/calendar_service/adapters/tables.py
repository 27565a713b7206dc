"""The calendar service's tables (its own database), beside the shared outbox, inbox and idempotency tables.

The schedule's entries are kept with ``shared.copies``' guarded writes: an entry's id follows from its source,
``revision`` orders the events of that source (their ``occurred_at``), so a redelivered or late event changes
nothing that is already as new, and a status event arriving before its source's dates leaves a placeholder.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    SmallInteger,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from shared.copies import copy_table
from shared.db import new_metadata
from shared.db.tables import timestamps

metadata = new_metadata()

CATEGORIES = (
    "grant_application", "usage_report", "association_evening", "newsletter", "partnership_discussion",
    "evaluation", "event", "cooperation_group", "other",
)  # fmt: skip
AUDIENCES = ("everyone", "associations", "grantees", "partners", "staff")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


clock_entry = Table(
    "clock_entry",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title_fi", Text, nullable=False),
    Column("title_sv", Text),
    Column("title_en", Text),
    Column("description_fi", Text, nullable=False, server_default=""),
    Column("description_sv", Text),
    Column("description_en", Text),
    Column("category", Text, nullable=False),
    Column("audience", Text, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("day", SmallInteger),
    Column("weekday", SmallInteger),
    Column("week", SmallInteger),
    Column("duration_days", SmallInteger, nullable=False, server_default=text("1")),
    Column("responsible_department", Text),
    Column("responsible_liaison_id", UUID(as_uuid=True)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    *timestamps(),
    CheckConstraint(_one_of("category", CATEGORIES), name="category_known"),
    CheckConstraint(_one_of("audience", AUDIENCES), name="audience_known"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_in_year"),
    CheckConstraint("day IS NULL OR day BETWEEN 1 AND 31", name="day_in_month"),
    CheckConstraint("duration_days BETWEEN 1 AND 92", name="duration_days_bounded"),
    CheckConstraint(
        "responsible_department IS NOT NULL OR responsible_liaison_id IS NOT NULL", name="responsible_named"
    ),
)

# The schedule: planned entries (from the clock, per year) and dated ones (from grants' events, later the
# notifier's and bookings', and the calendar's own events). Columns other than the state are NULL in a
# placeholder (only a status event of the source has arrived).
schedule_entry = copy_table(
    "schedule_entry",
    metadata,
    Column("kind", Text),
    Column("source_id", UUID(as_uuid=True)),
    Column("year", SmallInteger),
    Column("category", Text),
    Column("audience", Text),
    Column("title_fi", Text),
    Column("title_sv", Text),
    Column("title_en", Text),
    Column("description_fi", Text),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("starts_at", DateTime(timezone=True)),
    Column("ends_at", DateTime(timezone=True)),
    Column("clock_entry_id", UUID(as_uuid=True)),
    Column("programme_id", UUID(as_uuid=True)),
    Column("association_id", UUID(as_uuid=True)),  # set: the association's own entry, never public
    Column("facility_id", UUID(as_uuid=True)),  # a city facility (bookings' id), or
    Column("address", Text),  # a street address
    Column("online_url", Text),
    Column("state", Text, nullable=False),
    CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    Index("ix_schedule_entry_year_starts_on", "year", "starts_on"),
    Index("ix_schedule_entry_association_id", "association_id"),
)

# Grants' programmes, kept from GrantProgrammeCreated, for the names of application periods.
grant_programme = copy_table(
    "grant_programme",
    metadata,
    Column("name", Text),
    Column("department_code", Text),
)
