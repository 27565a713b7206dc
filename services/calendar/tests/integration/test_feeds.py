"""The iCalendar feeds, read back with an independent parser (``ical``, not the ``icalendar`` that writes them)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import httpx
from ical.calendar_stream import IcsCalendarStream

from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock


async def test_the_public_feed_and_a_categorys_parse_with_another_library(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    department = f"culture-{uuid.uuid4().hex[:4]}"
    year = clock.now.year
    await api.clock_entry(department, title_fi="Yhdistysilta syksyllä", month=9, weekday=3, week=1)
    await client.post("/schedule/generate", json={"year": year}, headers=tokens.staff(department))
    starts = clock.now + timedelta(days=30)
    made = await client.post(
        "/events",
        json={"kind": "workshop", "title_fi": "Hakutyöpaja", "department_code": department, "starts_at": starts.isoformat(),
              "ends_at": (starts + timedelta(hours=2)).isoformat(), "online_url": "https://teams.example/pori"},
        headers=tokens.staff(department),
    )  # fmt: skip
    await client.post(f"/events/{made.json()['id']}/publish", headers=tokens.staff(department))

    answer = await client.get("/schedule.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    parsed = IcsCalendarStream.calendar_from_ics(answer.text)
    by_summary = {e.summary: e for e in parsed.events}
    workshop = by_summary["Hakutyöpaja"]
    assert isinstance(workshop.dtstart, datetime) and workshop.dtstart.tzinfo is not None
    assert workshop.dtstart == starts.replace(microsecond=0)
    planned = by_summary["Yhdistysilta syksyllä"]
    assert isinstance(planned.dtstart, date) and not isinstance(planned.dtstart, datetime)
    assert planned.dtstart.month == 9 and planned.dtstart.weekday() == 3
    assert planned.dtend == planned.dtstart + timedelta(days=1)  # all day, DTEND exclusive
    assert len({e.uid for e in parsed.events}) == len(parsed.events)

    events_only = IcsCalendarStream.calendar_from_ics((await client.get("/schedule/event.ics")).text)
    assert "Hakutyöpaja" in {e.summary for e in events_only.events}
    assert "Yhdistysilta syksyllä" not in {e.summary for e in events_only.events}
    assert (await client.get("/schedule/party.ics")).status_code == 422


async def test_an_associations_feed_needs_its_signed_link_and_revoking_stops_the_old_one(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    from calendar_service.domain.schedule import SourceKind
    from calendar_service.service_layer import schedule_sources

    mine, other = uuid.uuid4(), uuid.uuid4()
    await schedule_sources.association_deadline(
        api.calendar.uow(), kind=SourceKind.USAGE_REPORT, source_id=uuid.uuid4(), association_id=mine,
        due_on=date.today() + timedelta(days=40), revision=1,
    )  # fmt: skip
    rep = tokens.association(mine)
    assert (await client.post(f"/associations/{mine}/feed-link", headers=tokens.association(other))).status_code == 403
    assert (await client.post(f"/associations/{mine}/feed-link")).status_code == 401
    link = (await client.post(f"/associations/{mine}/feed-link", headers=rep)).json()["url"]
    assert (await client.post(f"/associations/{mine}/feed-link", headers=rep)).json()["url"] == link  # stable
    feed = await client.get(link)
    assert feed.status_code == 200
    summaries = {e.summary for e in IcsCalendarStream.calendar_from_ics(feed.text).events}
    assert "Käyttöselvitys palautettava" in summaries
    # another association's id with this token, or a guessed token, finds nothing
    assert (await client.get(link.replace(str(mine), str(other)))).status_code == 404
    assert (await client.get(f"/associations/{mine}/schedule.ics", params={"token": "guess"})).status_code == 404
    public = {e.summary for e in IcsCalendarStream.calendar_from_ics((await client.get("/schedule.ics")).text).events}
    assert "Käyttöselvitys palautettava" not in public
    new = (await client.post(f"/associations/{mine}/feed-link/revoke", headers=rep)).json()["url"]
    assert new != link
    assert (await client.get(link)).status_code == 404
    assert (await client.get(new)).status_code == 200
