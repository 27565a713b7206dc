"""A facility's public iCalendar feed, read back with an independent parser (``ical``, not ``icalendar``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from ical.calendar_stream import IcsCalendarStream

from ..conftest import Api

pytestmark = pytest.mark.integration
HELSINKI = ZoneInfo("Europe/Helsinki")


async def test_a_series_is_one_recurring_event_that_keeps_its_local_time_and_leaves_out_its_gaps(api: Api) -> None:
    facility = await api.facility()
    association = await api.association()
    rep = api.tokens.association(association)
    series = {
        "facility_id": facility["id"],
        "applicant_id": str(association),
        "starts_at": "2027-09-04T10:00",  # Saturdays, across the October clock change
        "ends_at": "2027-09-04T12:00",
        "repeat_until": "2027-12-18",
        "accepts_terms": True,
        "purpose": "Junioreiden harjoitukset",
        "skip_days": ["2027-11-06"],  # All Saints' Day: closed
    }
    made = await api.client.post("/bookings", json=series, headers=rep)
    assert made.status_code == 201, made.text
    booking = made.json()
    staff = api.tokens.staff(facility["department_code"])
    if booking["state"] == "requested":
        assert (await api.client.post(f"/bookings/{booking['id']}/confirm", headers=staff)).status_code == 200
    cancelled = next(o for o in booking["occurrences"] if o["starts_at"].startswith("2027-10-16"))
    gone = await api.client.post(
        f"/bookings/{booking['id']}/occurrences/{cancelled['id']}/cancel", json={"reason": "Turnaus"}, headers=rep
    )
    assert gone.status_code == 200, gone.text
    single = await api.book(facility, association, starts_at="2027-09-07T18:00", ends_at="2027-09-07T20:00")
    assert single.status_code == 201, single.text

    answer = await api.client.get(f"/facilities/{facility['id']}/bookings.ics")  # no token: public
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert str(association) not in answer.text and "Junioreiden" not in answer.text  # who and why stay out
    assert "BEGIN:VTIMEZONE" in answer.text and answer.text.count("RRULE:") == 1

    calendar = IcsCalendarStream.calendar_from_ics(answer.text)
    assert len(calendar.events) == 2  # the series as one event, the single booking as another
    held = [e for e in calendar.timeline if e.summary == "Varattu"]
    starts = [e.dtstart.astimezone(HELSINKI) for e in held if isinstance(e.dtstart, datetime)]
    saturdays = [s for s in starts if s.weekday() == 5]
    assert {s.strftime("%H:%M") for s in saturdays} == {"10:00"}  # 10:00 in Pori before and after 31 October
    days = {s.date() for s in saturdays}
    assert len(days) == 14 and date(2027, 11, 6) not in days and date(2027, 10, 16) not in days
    assert date(2027, 10, 30) in days and date(2027, 11, 13) in days
    assert any(s.date() == date(2027, 9, 7) and s.strftime("%H:%M") == "18:00" for s in starts)


async def test_a_cancelled_booking_leaves_the_feed_and_an_unknown_facility_has_none(api: Api) -> None:
    facility = await api.facility()
    association = await api.association()
    made = await api.book(facility, association)
    assert made.status_code == 201, made.text
    rep = api.tokens.association(association)
    assert (await api.client.get(f"/facilities/{facility['id']}/bookings.ics")).text.count("BEGIN:VEVENT") == 1
    cancel = await api.client.post(f"/bookings/{made.json()['id']}/cancel", json={"reason": "Peruttu"}, headers=rep)
    assert cancel.status_code == 200, cancel.text
    assert "BEGIN:VEVENT" not in (await api.client.get(f"/facilities/{facility['id']}/bookings.ics")).text
    missing = await api.client.get("/facilities/00000000-0000-4000-8000-000000000000/bookings.ics")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


async def test_an_association_reads_its_own_bookings_through_its_link_until_it_revokes_it(api: Api) -> None:
    facility = await api.facility()
    ours, theirs = await api.association(), await api.association()
    rep = api.tokens.association(ours)
    assert (await api.book(facility, ours, purpose="Kuoroharjoitus")).status_code == 201
    other = await api.book(facility, theirs, starts_at="2027-09-09T18:00", ends_at="2027-09-09T20:00")
    assert other.status_code == 201, other.text

    foreign = await api.client.post("/feeds", json={"applicant_id": str(theirs)}, headers=rep)
    assert foreign.status_code == 403 and foreign.headers["content-type"] == "application/problem+json"
    made = await api.client.post("/feeds", json={"applicant_id": str(ours)}, headers=rep)
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["revoked"] is False and str(ours) not in link["url"]

    answer = await api.client.get(link["url"])  # no token: the link is the key
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = IcsCalendarStream.calendar_from_ics(answer.text).events
    assert [e.summary for e in events] == ["Kuoroharjoitus"]  # its own booking only, with its purpose
    assert events[0].location == facility["name"]

    forged = link["url"].replace(link["url"][-20], "0" if link["url"][-20] != "0" else "1")
    assert (await api.client.get(forged)).status_code == 404
    stranger = api.tokens.association(theirs)
    assert (await api.client.post(f"/feeds/{link['id']}/revoke", headers=stranger)).status_code == 404
    revoked = await api.client.post(f"/feeds/{link['id']}/revoke", headers=rep)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    gone = await api.client.get(link["url"])
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
    assert (await api.client.post(f"/feeds/{link['id']}/revoke", headers=rep)).json()["revoked"] is True
