"""A facility's booking rules: how far ahead, how long, on which starts, the buffer, the weekly quota.

Every rule is checked on UTC moments, except the start interval, which is about the wall clock: with a 30-minute
interval a booking starts at 18:00 or 18:30 local time, whatever the offset that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import InvalidInput
from shared.localtime import as_local, local_date


@dataclass(frozen=True)
class BookingRules:
    window_opens_days: int = 180  # bookable at most this many days ahead
    window_closes_hours: int = 24  # and at least this many hours ahead
    min_minutes: int = 60
    max_minutes: int = 240
    start_interval_minutes: int = 30
    buffer_minutes: int = 0  # kept free after every booking (cleaning, setting up)
    weekly_quota_minutes: int | None = None  # per association per week (Monday–Sunday, local), None: no quota
    needs_approval: bool = True
    free_cancellation_days: int = 7  # cancelling later than this many days before is charged
    terms: str = ""

    def validate(self) -> None:
        positive = {
            "window_opens_days": self.window_opens_days,
            "min_minutes": self.min_minutes,
            "max_minutes": self.max_minutes,
            "start_interval_minutes": self.start_interval_minutes,
        }
        for name, value in positive.items():
            if value <= 0:
                raise InvalidInput("Must be more than zero.", field=name)
        for name, value in {
            "window_closes_hours": self.window_closes_hours,
            "buffer_minutes": self.buffer_minutes,
            "free_cancellation_days": self.free_cancellation_days,
        }.items():
            if value < 0:
                raise InvalidInput("Must not be negative.", field=name)
        if self.max_minutes < self.min_minutes:
            raise InvalidInput("The longest booking is at least the shortest.", field="max_minutes")
        if self.weekly_quota_minutes is not None and self.weekly_quota_minutes < self.min_minutes:
            raise InvalidInput("The weekly quota holds at least one shortest booking.", field="weekly_quota_minutes")

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def check_slot(self, starts_at: datetime, ends_at: datetime) -> None:
        """The slot's own shape: its length and its start on the wall clock."""
        if ends_at <= starts_at:
            raise InvalidInput("A booking ends after it starts.", field="ends_at")
        minutes = (ends_at - starts_at) / timedelta(minutes=1)
        if minutes < self.min_minutes:
            raise InvalidInput(f"A booking lasts at least {self.min_minutes} minutes.", field="ends_at")
        if minutes > self.max_minutes:
            raise InvalidInput(f"A booking lasts at most {self.max_minutes} minutes.", field="ends_at")
        local = as_local(starts_at)
        if (local.hour * 60 + local.minute) % self.start_interval_minutes or local.second or local.microsecond:
            raise InvalidInput(
                f"A booking starts on the {self.start_interval_minutes}-minute mark (local time).", field="starts_at"
            )
        if minutes % self.start_interval_minutes:
            raise InvalidInput(
                f"A booking lasts a whole number of {self.start_interval_minutes}-minute steps.", field="ends_at"
            )

    def outside_window(self, starts_at: datetime, now: datetime) -> str | None:
        """Why the slot cannot be booked now (too soon, too far ahead), or None."""
        if starts_at < now + timedelta(hours=self.window_closes_hours):
            return f"bookings close {self.window_closes_hours} hours before the start"
        if local_date(starts_at) > local_date(now) + timedelta(days=self.window_opens_days):
            return f"bookable at most {self.window_opens_days} days ahead"
        return None

    def cancellation_is_free(self, starts_at: datetime, now: datetime) -> bool:
        """Free until N days before: cancelled on or before the local date N days before the start."""
        return local_date(now) <= local_date(starts_at) - timedelta(days=self.free_cancellation_days)
