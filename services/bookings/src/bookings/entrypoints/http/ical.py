"""Bookings as iCalendar (RFC 5545), for calendar apps to subscribe to.

The public feed of a facility shows only that time is taken: no booker, no purpose, no price. An association's
private feed shows its own bookings with the facility's name and the purpose it gave. A weekly series is **one**
recurring VEVENT in Europe/Helsinki time (with its VTIMEZONE), so 18:00 stays 18:00 across the clock changes:
``RRULE:FREQ=WEEKLY;UNTIL=…`` from its first day, and an ``EXDATE`` for every week of the season without an
active occurrence (skipped at request, cancelled one by one, or a time that did not exist that night). A single
booking or a staff block is one VEVENT per active occurrence. UIDs are the booking's id, so an app that
refreshes the feed updates the events it already has.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

from bookings.domain.booking import BookingKind, BookingState
from bookings.service_layer.feeds import Feed, FeedBooking
from shared.localtime import as_local

MEDIA_TYPE = "text/calendar; charset=utf-8"
HELSINKI = ZoneInfo("Europe/Helsinki")
TAKEN = "Varattu"  # what the public sees of a booking: that the time is taken


def calendar_of(feed: Feed, *, now: datetime, private: bool = False) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//City of Pori//Yhdistysyhteistyö bookings//FI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", feed.name)
    cal.add("x-wr-timezone", "Europe/Helsinki")
    cal.add("refresh-interval;value=duration", "PT1H")
    for item in feed.bookings:
        for event in _events(item, now=now):
            if private:
                event["summary"] = item.booking.purpose or item.facility_name or TAKEN
                event.add("location", item.facility_name)
            cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _events(item: FeedBooking, *, now: datetime) -> list[VEvent]:
    b = item.booking
    active = [o for o in item.occurrences if o.active]
    if b.kind is BookingKind.SERIES and b.first_day and b.last_day and b.local_starts and b.local_ends and active:
        event = _event(f"{b.id}@bookings.pori.fi", b.state, now)
        event.add("dtstart", _local(b.first_day, b.local_starts))
        event.add("dtend", _local(b.first_day, b.local_ends))
        until = datetime.combine(b.last_day, time(23, 59, 59), HELSINKI).astimezone(UTC)
        event.add("rrule", {"freq": "weekly", "until": until})
        held = {as_local(o.starts_at).date() for o in active}
        weeks = [b.first_day + timedelta(weeks=n) for n in range((b.last_day - b.first_day).days // 7 + 1)]
        missing = [_local(day, b.local_starts) for day in weeks if day not in held]
        if missing:
            event.add("exdate", missing)
        return [event]
    events = []
    for o in active:
        uid = f"{b.id}@bookings.pori.fi" if len(active) == 1 else f"{b.id}-{o.id}@bookings.pori.fi"
        event = _event(uid, b.state, now)
        event.add("dtstart", as_local(o.starts_at))
        event.add("dtend", as_local(o.ends_at))
        events.append(event)
    return events


def _event(uid: str, state: BookingState, now: datetime) -> VEvent:
    event = VEvent()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("summary", TAKEN)
    event.add("status", "CONFIRMED" if state is BookingState.CONFIRMED else "TENTATIVE")
    event.add("transp", "OPAQUE")
    return event


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, HELSINKI)
