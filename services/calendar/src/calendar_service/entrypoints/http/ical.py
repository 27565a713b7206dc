"""The schedule as iCalendar (RFC 5545), for calendar apps to subscribe to.

Each entry is one VEVENT whose UID is the entry's id, so an app that refreshes the feed moves the event it
already has when a date changes. An entry with times is a timed event in UTC; a date-only entry (a deadline, a
planned month) is an all-day event, its DTEND the day after its last day, as the RFC has it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as VEvent

from calendar_service.domain.schedule import EntryState
from calendar_service.service_layer.schedule import ShownEntry

MEDIA_TYPE = "text/calendar; charset=utf-8"


def calendar_of(entries: list[ShownEntry], *, name: str, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//City of Pori//Yhdistysyhteistyö calendar//FI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Helsinki")
    cal.add("refresh-interval;value=duration", "PT6H")
    for shown in entries:
        entry = shown.entry
        if entry.starts_on is None:
            continue
        event = VEvent()
        event.add("uid", f"{entry.id}@calendar.pori.fi")
        event.add("dtstamp", now)
        event.add("summary", shown.title_fi)
        if entry.starts_at is not None and entry.ends_at is not None:
            event.add("dtstart", entry.starts_at)
            event.add("dtend", entry.ends_at)
        else:
            event.add("dtstart", entry.starts_on)
            event.add("dtend", (entry.ends_on or entry.starts_on) + timedelta(days=1))
        if entry.description_fi:
            event.add("description", entry.description_fi)
        if entry.category is not None:
            event.add("categories", [entry.category.value])
        if entry.address:
            event.add("location", entry.address)
        if entry.online_url:
            event.add("url", entry.online_url)
        status = {EntryState.CANCELLED: "CANCELLED", EntryState.PLANNED: "TENTATIVE"}.get(
            entry.state or EntryState.SCHEDULED, "CONFIRMED"
        )
        event.add("status", status)
        cal.add_component(event)
    return bytes(cal.to_ical())
