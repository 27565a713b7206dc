"""The schedule's use cases on the fake unit of work: generating is idempotent (and announces the clock's
newsletter dates to the notifier), and grants' events put one entry per source on it, in whatever order and
however often they arrive."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from calendar_service.domain.annual_clock import Audience, Category
from calendar_service.domain.schedule import EntryState, SourceKind, entry_id
from calendar_service.service_layer import annual_clock, schedule, schedule_sources
from shared.auth import Principal, Role
from shared.contracts.calendar import NewsletterDatePlanned, NewsletterDateWithdrawn
from shared.errors import Forbidden

from ..fakes import FakeCalendarUnitOfWork

STAFF = Principal(subject="s", role=Role.STAFF, department="culture")
PUBLIC = Principal(subject="anonymous", role=Role.ANONYMOUS)


def entry_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "title_fi": "Yhdistysilta",
        "category": Category.ASSOCIATION_EVENING,
        "audience": Audience.ASSOCIATIONS,
        "month": 3,
        "weekday": 1,
        "week": 2,
        "responsible_department": "culture",
    } | overrides


async def test_generating_a_year_twice_gives_one_set_and_follows_the_clocks_changes() -> None:
    uow = FakeCalendarUnitOfWork()
    evening = await annual_clock.create_entry(uow, actor=STAFF, fields=entry_fields())
    await annual_clock.create_entry(
        uow, actor=STAFF, fields=entry_fields(title_fi="Haku", month=1, week=None, weekday=None)
    )
    assert await schedule.generate_schedule(uow, actor=STAFF, year=2027) == 2
    assert await schedule.generate_schedule(uow, actor=STAFF, year=2027) == 0
    shown, total = await schedule.search_schedule(uow, actor=PUBLIC, year=2027, limit=100, offset=0)
    assert total == 2 and [s.entry.starts_on for s in shown] == [date(2027, 1, 1), date(2027, 3, 9)]

    await annual_clock.update_entry(uow, actor=STAFF, entry_id=evening.id, changes={"week": 3})
    assert await schedule.generate_schedule(uow, actor=STAFF, year=2027) == 1
    shown, total = await schedule.search_schedule(uow, actor=PUBLIC, year=2027, limit=100, offset=0)
    assert total == 2 and shown[1].entry.starts_on == date(2027, 3, 16)

    await annual_clock.update_entry(uow, actor=STAFF, entry_id=evening.id, changes={"active": False})
    assert await schedule.generate_schedule(uow, actor=STAFF, year=2027) == 1  # its planned entry is removed
    assert (await schedule.search_schedule(uow, actor=PUBLIC, year=2027, limit=100, offset=0))[1] == 1


async def test_the_worker_keeps_this_and_next_year_generated_by_helsinki_time() -> None:
    uow = FakeCalendarUnitOfWork()
    await annual_clock.create_entry(uow, actor=STAFF, fields=entry_fields())
    new_year_in_pori = datetime(2027, 12, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 January 2028 in Helsinki
    assert await schedule.keep_schedules_generated(uow, new_year_in_pori, years_ahead=1) == 2
    years = {r["year"] for r in uow.schedule.rows.values()}
    assert years == {2028, 2029}


async def test_only_staff_generate() -> None:
    with pytest.raises(Forbidden):
        await schedule.generate_schedule(FakeCalendarUnitOfWork(), actor=PUBLIC, year=2027)


# -- grants' rounds, in every order -------------------------------------------------------------------------
ROUND, PROGRAMME = uuid.uuid4(), uuid.uuid4()
T0 = datetime(2027, 1, 5, 8, tzinfo=UTC)
OPENS = datetime(2027, 3, 27, 22, 30, tzinfo=UTC)  # 00:30 on 28 March in Helsinki, the night the clocks go forward


def _at(minutes: int) -> int:
    return int((T0 + timedelta(minutes=minutes)).timestamp() * 1_000_000)


Step = Callable[[FakeCalendarUnitOfWork], Awaitable[None]]


def scheduled(closes: datetime, minutes: int, usage: date | None) -> Step:
    async def step(uow: FakeCalendarUnitOfWork) -> None:
        await schedule_sources.round_dated(
            uow, round_id=ROUND, programme_id=PROGRAMME, year=2027, opens_at=OPENS, closes_at=closes,
            state=EntryState.SCHEDULED, revision=_at(minutes), usage_report_deadline=usage, deadlines_known=True,
        )  # fmt: skip

    return step


def opened(closes: datetime, minutes: int) -> Step:
    async def step(uow: FakeCalendarUnitOfWork) -> None:
        await schedule_sources.round_dated(
            uow, round_id=ROUND, programme_id=PROGRAMME, year=2027, opens_at=OPENS, closes_at=closes,
            state=EntryState.OPEN, revision=_at(minutes),
        )  # fmt: skip

    return step


def closed(minutes: int) -> Step:
    async def step(uow: FakeCalendarUnitOfWork) -> None:
        await schedule_sources.round_state(uow, round_id=ROUND, state=EntryState.CLOSED, revision=_at(minutes))

    return step


FIRST_CLOSE, MOVED_CLOSE = datetime(2027, 4, 30, 13, tzinfo=UTC), datetime(2027, 5, 14, 13, tzinfo=UTC)
STEPS = [
    scheduled(FIRST_CLOSE, 0, date(2028, 3, 31)),
    scheduled(MOVED_CLOSE, 10, date(2028, 4, 30)),  # rescheduled: the close and the deadline move
    opened(MOVED_CLOSE, 20),
    closed(30),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
async def test_round_events_in_any_order_and_twice_end_in_one_entry_with_the_newest_dates(order: tuple[int]) -> None:
    uow = FakeCalendarUnitOfWork()
    for i in order:
        await STEPS[i](uow)
    for i in reversed(order):  # every event redelivered, late
        await STEPS[i](uow)
    period = await uow.schedule.get(entry_id(SourceKind.GRANT_ROUND, ROUND))
    assert period is not None
    assert (period.starts_on, period.ends_on, period.state) == (date(2027, 3, 28), date(2027, 5, 14), EntryState.CLOSED)
    deadline = await uow.schedule.get(entry_id(SourceKind.ROUND_USAGE_DEADLINE, ROUND))
    assert deadline is not None and deadline.starts_on == date(2028, 4, 30)
    assert len(uow.schedule.rows) == 3  # the period, its usage-report and decision deadlines; nothing twice
    _, total = await schedule.search_schedule(uow, actor=PUBLIC, limit=100, offset=0)
    assert total == 2  # the decision deadline was never given: not shown


async def test_a_grantees_own_deadline_is_shown_only_to_it_and_to_staff() -> None:
    uow = FakeCalendarUnitOfWork()
    mine, other = uuid.uuid4(), uuid.uuid4()
    report = uuid.uuid4()
    await schedule_sources.association_deadline(
        uow, kind=SourceKind.USAGE_REPORT, source_id=report, association_id=mine, due_on=date(2028, 3, 31), revision=1
    )
    rep = Principal(subject="r", role=Role.ASSOCIATION, association_ids=frozenset({mine}))
    stranger = Principal(subject="x", role=Role.ASSOCIATION, association_ids=frozenset({other}))
    assert (await schedule.search_schedule(uow, actor=rep, limit=10, offset=0))[1] == 1
    assert (await schedule.search_schedule(uow, actor=STAFF, limit=10, offset=0))[1] == 1
    assert (await schedule.search_schedule(uow, actor=stranger, limit=10, offset=0))[1] == 0
    assert (await schedule.search_schedule(uow, actor=PUBLIC, limit=10, offset=0))[1] == 0
    await schedule_sources.source_state(
        uow, kind=SourceKind.USAGE_REPORT, source_id=report, state=EntryState.DONE, revision=2
    )
    [shown], _ = await schedule.search_schedule(uow, actor=rep, limit=10, offset=0)
    assert shown.entry.state is EntryState.DONE and shown.title_fi == "Käyttöselvitys palautettava"


async def test_an_application_period_is_named_after_its_programme() -> None:
    uow = FakeCalendarUnitOfWork()
    await scheduled(FIRST_CLOSE, 0, None)(uow)
    await schedule_sources.programme_named(
        uow, programme_id=PROGRAMME, name="Kulttuurin toiminta-avustus", department_code="culture", revision=1
    )
    [shown], _ = await schedule.search_schedule(uow, actor=PUBLIC, limit=10, offset=0)
    assert shown.title_fi == "Avustushaku: Kulttuurin toiminta-avustus"


async def test_the_clocks_newsletter_dates_are_announced_when_written_and_withdrawn_when_gone() -> None:
    uow = FakeCalendarUnitOfWork()
    spring = await annual_clock.create_entry(
        uow, actor=STAFF,
        fields=entry_fields(title_fi="Kevään numero", category=Category.NEWSLETTER, audience=Audience.EVERYONE,
                            month=2, day=23, week=None, weekday=None),
    )  # fmt: skip
    await annual_clock.create_entry(uow, actor=STAFF, fields=entry_fields())  # not a newsletter: never announced
    now = datetime(2027, 1, 10, 10, tzinfo=UTC)
    await schedule.keep_schedules_generated(uow, now, years_ahead=1)
    planned = uow.emitted(NewsletterDatePlanned)
    assert [(p.year, p.planned_on, p.title_fi) for p in planned] == [
        (2027, date(2027, 2, 23), "Kevään numero"), (2028, date(2028, 2, 23), "Kevään numero")
    ]  # fmt: skip
    assert {p.entry_id for p in planned} == {entry_id(SourceKind.CLOCK, spring.id, y) for y in (2027, 2028)}
    await schedule.keep_schedules_generated(uow, now, years_ahead=1)
    assert len(uow.emitted(NewsletterDatePlanned)) == 2  # nothing changed, nothing announced by the worker
    assert await schedule.generate_schedule(uow, actor=STAFF, year=2027) == 0
    again = uow.emitted(NewsletterDatePlanned)[2:]  # staff regenerating announce the year's dates again
    assert [(p.planned_on, p.revision) for p in again] == [(date(2027, 2, 23), planned[0].revision)]

    await annual_clock.update_entry(uow, actor=STAFF, entry_id=spring.id, changes={"day": 26})
    await schedule.generate_year(uow, year=2027)
    moved = uow.emitted(NewsletterDatePlanned)[-1]
    assert moved.planned_on == date(2027, 2, 26) and moved.revision > planned[0].revision

    await annual_clock.update_entry(uow, actor=STAFF, entry_id=spring.id, changes={"category": Category.OTHER})
    await schedule.generate_year(uow, year=2027)
    [withdrawn] = uow.emitted(NewsletterDateWithdrawn)
    assert withdrawn.entry_id == moved.entry_id and withdrawn.revision > moved.revision
    await annual_clock.update_entry(
        uow, actor=STAFF, entry_id=spring.id, changes={"category": Category.NEWSLETTER, "active": False}
    )
    await schedule.generate_year(uow, year=2028)  # 2028's planned issue leaves the schedule
    assert [w.year for w in uow.emitted(NewsletterDateWithdrawn)] == [2027, 2028]
