"""Newsletter issues on the fake unit of work: each matched to the clock's nearest planned issue of its year,
the same in every order of its events; the planned issue it fulfils is shown by it."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

from calendar_service.domain.annual_clock import Audience, Category, ClockEntry
from calendar_service.domain.schedule import EntryState, SourceKind, days_apart, entry_id, nearest_clock_entry
from calendar_service.service_layer import annual_clock, schedule, schedule_sources
from shared.auth import Principal, Role

from ..fakes import FakeCalendarUnitOfWork

STAFF = Principal(subject="s", role=Role.STAFF, department="culture")
PUBLIC = Principal(subject="anonymous", role=Role.ANONYMOUS)


def clock(month: int, day: int | None = None, category: Category = Category.NEWSLETTER) -> ClockEntry:
    return ClockEntry(id=uuid.uuid4(), title_fi=f"Uutiset {month}", category=category, audience=Audience.EVERYONE,
                      month=month, day=day, responsible_department="culture")  # fmt: skip


def test_days_apart_is_zero_inside_and_counts_outside() -> None:
    assert days_apart(date(2027, 3, 5), date(2027, 3, 1), date(2027, 3, 31)) == 0
    assert days_apart(date(2027, 2, 27), date(2027, 3, 1), date(2027, 3, 1)) == 2
    assert days_apart(date(2027, 4, 3), date(2027, 3, 1), date(2027, 3, 31)) == 3


def test_the_nearest_entry_of_the_category_wins_and_a_specific_day_beats_a_whole_month() -> None:
    march_10, whole_march, may = clock(3, 10), clock(3), clock(5, 15)
    evening = clock(3, 11, Category.ASSOCIATION_EVENING)
    entries = [whole_march, may, evening, march_10]
    assert nearest_clock_entry(entries, Category.NEWSLETTER, date(2027, 3, 10)) is march_10
    assert nearest_clock_entry(entries, Category.NEWSLETTER, date(2027, 4, 28)) is may
    assert nearest_clock_entry(entries, Category.NEWSLETTER, date(2027, 3, 20)) is whole_march
    assert nearest_clock_entry([evening], Category.NEWSLETTER, date(2027, 3, 20)) is None


async def test_an_issues_events_in_every_order_give_one_matched_entry() -> None:
    issue = uuid.uuid4()
    t0 = datetime(2027, 1, 5, 8, tzinfo=UTC)
    steps = [
        (datetime(2027, 3, 8, 7, tzinfo=UTC), EntryState.SCHEDULED, None, 1),
        (datetime(2027, 3, 12, 7, tzinfo=UTC), EntryState.SCHEDULED, None, 2),
        (datetime(2027, 3, 12, 9, tzinfo=UTC), EntryState.DONE, "Kevään numero", 3),
    ]
    results = set()
    for order in itertools.permutations(steps):
        uow = FakeCalendarUnitOfWork()
        planned = await annual_clock.create_entry(
            uow, actor=STAFF, fields={"title_fi": "Yhdistysuutiset 1", "category": Category.NEWSLETTER,
                                      "audience": Audience.EVERYONE, "month": 3, "day": 10,
                                      "responsible_department": "culture"},
        )  # fmt: skip
        await schedule.generate_schedule(uow, actor=STAFF, year=2027)
        for at, state, subject, n in [*order, order[0]]:  # and one redelivered
            revision = int((t0 + timedelta(seconds=n)).timestamp() * 1_000_000)
            await schedule_sources.newsletter_dated(
                uow, issue_id=issue, at=at, state=state, subject=subject, revision=revision
            )
        entry = await uow.schedule.get(entry_id(SourceKind.NEWSLETTER, issue))
        assert entry is not None and entry.clock_entry_id == planned.id
        results.add((entry.starts_on, entry.state, entry.description_fi, entry.title_fi))
        shown, _ = await schedule.search_schedule(uow, actor=PUBLIC, year=2027, limit=100, offset=0)
        assert [s.entry.kind for s in shown] == [SourceKind.NEWSLETTER]  # the planned issue is shown by it
    assert results == {(date(2027, 3, 12), EntryState.DONE, "Kevään numero", "Yhdistysuutiset 1")}


async def test_an_issue_scheduled_on_a_clock_entry_fulfils_that_one_not_the_nearest() -> None:
    uow = FakeCalendarUnitOfWork()
    fields = {"category": Category.NEWSLETTER, "audience": Audience.EVERYONE, "responsible_department": "culture"}
    march = await annual_clock.create_entry(uow, actor=STAFF, fields=fields | {"title_fi": "Maaliskuu", "month": 3,
                                                                               "day": 1})  # fmt: skip
    await annual_clock.create_entry(uow, actor=STAFF, fields=fields | {"title_fi": "Huhtikuu", "month": 4, "day": 1})
    at = datetime(2027, 3, 25, 7, tzinfo=UTC)  # nearer April's plan than March's
    named, unknown = uuid.uuid4(), uuid.uuid4()
    for issue, clock_entry_id in ((named, march.id), (unknown, uuid.uuid4())):
        await schedule_sources.newsletter_dated(
            uow, issue_id=issue, at=at, state=EntryState.SCHEDULED, subject=None, revision=1,
            clock_entry_id=clock_entry_id,
        )  # fmt: skip
    by_name = await schedule.entries_of_source(uow, SourceKind.NEWSLETTER, named)
    nearest = await schedule.entries_of_source(uow, SourceKind.NEWSLETTER, unknown)
    assert by_name is not None and (by_name.clock_entry_id, by_name.title_fi) == (march.id, "Maaliskuu")
    assert nearest is not None and nearest.title_fi == "Huhtikuu"  # a clock entry it does not know: the nearest
