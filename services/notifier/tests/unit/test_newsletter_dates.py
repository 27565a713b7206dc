"""The annual clock's planned newsletter dates in the notifier: the sending hour in Helsinki across the clock
changes, and scheduling an issue on a planned date (on the fake unit of work): the time it gets, the clock entry
it names in ``NewsletterScheduled``, and the refusals that name their field and commit nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from notifier.domain.issue import Issue
from notifier.domain.newsletter_date import NewsletterDate, send_time
from notifier.service_layer import issues, newsletter_dates
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.notifier import NewsletterScheduled
from shared.errors import Forbidden, InvalidInput
from shared.testing.uow import FakeUnitOfWorkMixin, InMemoryRepository

pytestmark = pytest.mark.unit
NOW = datetime(2027, 1, 10, 10, tzinfo=UTC)
STAFF = Principal(subject="staff-culture", role=Role.STAFF, department="culture")
REP = Principal(subject="rep", role=Role.ASSOCIATION, association_ids=frozenset({uuid.uuid4()}))


class FakeDates:
    """As the copy's guarded writes: a record or a withdrawal applies only when newer than what the row saw."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, NewsletterDate] = {}

    async def get(self, id_: uuid.UUID) -> NewsletterDate | None:
        return self.rows.get(id_)

    async def put_record(self, id_: uuid.UUID, revision: int, values: dict[str, Any]) -> bool:
        row = self.rows.get(id_)
        if row is not None and row.title_fi is not None and row.revision >= revision:
            return False
        withdrawn = row.withdrawn if row is not None and row.revision >= revision else values["withdrawn"]
        seen = max(revision, row.revision if row is not None else revision)
        self.rows[id_] = NewsletterDate(id_, **(values | {"withdrawn": withdrawn}), revision=seen)
        return True

    async def put_status(self, id_: uuid.UUID, revision: int, values: dict[str, Any]) -> bool:
        row = self.rows.get(id_) or NewsletterDate(id_, None, None, None, None, revision=revision - 1)
        if row.revision >= revision:
            return False
        row.withdrawn, row.revision = values["withdrawn"], revision
        self.rows[id_] = row
        return True

    async def of_year(self, year: int) -> list[NewsletterDate]:
        return sorted((d for d in self.rows.values() if d.year == year and d.listed), key=lambda d: d.planned_on)  # type: ignore[arg-type, return-value]


class FakeUow(FakeUnitOfWorkMixin, NotifierUnitOfWork):
    def _open_fakes(self) -> None:
        self.issues = InMemoryRepository[Issue]()  # type: ignore[assignment]
        self.newsletter_dates = FakeDates()  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2027, 3, 27), 7),  # the last day of winter time (UTC+2)
        (date(2027, 3, 28), 6),  # the clocks went forward that night (UTC+3)
        (date(2027, 10, 30), 6),
        (date(2027, 10, 31), 7),  # back to UTC+2 that night
    ],
)
def test_nine_in_helsinki_is_nine_on_either_side_of_the_clock_changes(day: date, utc_hour: int) -> None:
    assert send_time(day, 9) == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)


async def planned(uow: FakeUow, day: date, revision: int = 1, entry: uuid.UUID | None = None) -> uuid.UUID:
    entry_id = entry or uuid.uuid4()
    await newsletter_dates.date_planned(
        uow, entry_id=entry_id, clock_entry_id=uuid.uuid5(entry_id, "clock"), year=day.year, planned_on=day,
        title_fi="Yhdistysuutiset", revision=revision,
    )  # fmt: skip
    return entry_id


async def test_an_issue_scheduled_on_a_planned_date_goes_out_at_the_sending_hour_naming_its_clock_entry() -> None:
    uow = FakeUow()
    spring = await planned(uow, date(2027, 4, 14))
    issue = await issues.compose(uow, actor=STAFF, fields={"subject_fi": "Kevät", "body_fi": "Uutisia."})
    done = await issues.schedule(uow, actor=STAFF, issue_id=issue.id, now=NOW, newsletter_date_id=spring, send_hour=9)
    assert done.send_at == datetime(2027, 4, 14, 6, tzinfo=UTC)  # 09:00 in summer time
    [announced] = uow.emitted(NewsletterScheduled)
    assert announced.clock_entry_id == uuid.uuid5(spring, "clock") == done.clock_entry_id
    # Scheduling again at a time of one's own leaves the clock; sending now too.
    moved = await issues.schedule(uow, actor=STAFF, issue_id=issue.id, now=NOW, send_at=NOW + timedelta(days=2))
    assert moved.clock_entry_id is None and uow.emitted(NewsletterScheduled)[-1].clock_entry_id is None


async def test_scheduling_refuses_both_neither_unknown_withdrawn_and_past_dates_and_commits_nothing() -> None:
    uow = FakeUow()
    issue = await issues.compose(uow, actor=STAFF, fields={"subject_fi": "Kevät", "body_fi": "Uutisia."})
    today = await planned(uow, NOW.date())  # 09:00 today has passed at 12:00 Helsinki
    gone = await planned(uow, date(2027, 9, 1))
    await newsletter_dates.date_withdrawn(uow, entry_id=gone, revision=2)
    commits = uow.commits
    attempts: list[tuple[dict[str, Any], str]] = [
        ({"send_at": NOW + timedelta(days=1), "newsletter_date_id": today}, "send_at"),
        ({}, "send_at"),
        ({"newsletter_date_id": uuid.uuid4()}, "newsletter_date_id"),
        ({"newsletter_date_id": gone}, "newsletter_date_id"),
        ({"newsletter_date_id": today}, "newsletter_date_id"),
    ]
    for given, field in attempts:
        with pytest.raises(InvalidInput) as refused:
            await issues.schedule(uow, actor=STAFF, issue_id=issue.id, now=NOW, **given)
        assert refused.value.field == field, given
    assert uow.commits == commits and uow.emitted(NewsletterScheduled) == []


async def test_the_copy_keeps_the_newest_date_and_a_withdrawal_that_came_first() -> None:
    uow = FakeUow()
    entry = uuid.uuid4()
    await newsletter_dates.date_withdrawn(uow, entry_id=entry, revision=5)  # overtook the date it withdraws
    await planned(uow, date(2027, 2, 23), revision=3, entry=entry)
    assert await newsletter_dates.list_dates(uow, actor=STAFF, year=2027, send_hour=9) == []
    await planned(uow, date(2027, 2, 26), revision=7, entry=entry)  # the entry came back, moved
    await planned(uow, date(2027, 2, 23), revision=3, entry=entry)  # a late, older date changes nothing
    [shown] = await newsletter_dates.list_dates(uow, actor=STAFF, year=2027, send_hour=9)
    assert shown.date.planned_on == date(2027, 2, 26) and shown.send_at == datetime(2027, 2, 26, 7, tzinfo=UTC)
    with pytest.raises(Forbidden):
        await newsletter_dates.list_dates(uow, actor=REP, year=2027, send_hour=9)
    with pytest.raises(InvalidInput) as refused:
        await newsletter_dates.list_dates(uow, actor=STAFF, year=1999, send_hour=9)
    assert refused.value.field == "year"
