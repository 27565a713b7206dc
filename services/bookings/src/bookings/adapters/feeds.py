"""Calendar feeds in and out of the database."""

from __future__ import annotations

from bookings.adapters.tables import calendar_feed
from bookings.domain.feed import CalendarFeed
from shared.db.repository import Repository


class CalendarFeedRepository(Repository[CalendarFeed]):
    table, model = calendar_feed, CalendarFeed
