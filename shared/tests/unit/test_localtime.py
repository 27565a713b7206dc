"""Helsinki wall-clock times: one moment each, or refused — never guessed at the daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from shared.errors import InvalidInput
from shared.localtime import HELSINKI, LocalTimeError, end_of_local_day, local_date, local_moment, resolve_local


@pytest.mark.parametrize(
    ("wall", "utc"),
    [
        (datetime(2027, 3, 28, 2, 59), datetime(2027, 3, 28, 0, 59, tzinfo=UTC)),  # last minute of winter time
        (datetime(2027, 3, 28, 4, 0), datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),  # first of summer time
        (datetime(2027, 10, 31, 2, 59), datetime(2027, 10, 30, 23, 59, tzinfo=UTC)),
        (datetime(2027, 10, 31, 4, 0), datetime(2027, 10, 31, 2, 0, tzinfo=UTC)),
        (datetime(2027, 6, 1, 12, 0), datetime(2027, 6, 1, 9, 0, tzinfo=UTC)),
        (datetime(2027, 1, 15, 12, 0), datetime(2027, 1, 15, 10, 0, tzinfo=UTC)),
    ],
)
def test_a_wall_clock_time_that_is_one_moment_is_that_moment(wall: datetime, utc: datetime) -> None:
    resolved = resolve_local(wall)
    assert resolved.tzinfo is HELSINKI and resolved == utc


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_time_in_the_skipped_spring_hour_is_refused(minute: int) -> None:
    with pytest.raises(LocalTimeError, match="does not exist") as refused:
        resolve_local(datetime(2027, 3, 28, 3, minute), field="opens_at")
    assert refused.value.field == "opens_at" and "offset" in refused.value.message


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_time_in_the_repeated_autumn_hour_is_refused_naming_both_offsets(minute: int) -> None:
    with pytest.raises(LocalTimeError, match="happens twice") as refused:
        resolve_local(datetime(2027, 10, 31, 3, minute))
    assert "+03:00" in refused.value.message and "+02:00" in refused.value.message


def test_an_explicit_offset_settles_either_night() -> None:
    first = resolve_local(datetime.fromisoformat("2027-10-31T03:30:00+03:00"))
    second = resolve_local(datetime.fromisoformat("2027-10-31T03:30:00+02:00"))
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert (first.utcoffset(), second.utcoffset()) == (timedelta(hours=3), timedelta(hours=2))
    spring = resolve_local(datetime.fromisoformat("2027-03-28T03:30:00+02:00"))  # 01:30 UTC, shown as 04:30 local
    assert spring.hour == 4 and spring.minute == 30


def test_a_date_and_a_wall_clock_time_are_checked_the_same_way() -> None:
    assert local_moment(date(2027, 3, 28), time(10, 0)) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    with pytest.raises(LocalTimeError):
        local_moment(date(2027, 3, 28), time(3, 15), field="starts_at")


def test_a_local_day_ends_at_local_midnight_and_dates_are_local() -> None:
    assert end_of_local_day(date(2027, 1, 31)) == datetime(2027, 1, 31, 21, 59, 59, 999999, tzinfo=UTC)
    assert local_date(datetime(2027, 1, 31, 22, 30, tzinfo=UTC)) == date(2027, 2, 1)


@pytest.mark.parametrize("day", [date(1, 1, 1)])
def test_a_date_at_the_edge_of_the_calendar_is_refused_not_crashed(day: date) -> None:
    with pytest.raises(InvalidInput) as refused:
        local_moment(day, time(0, 0), field="from")
    assert refused.value.field == "from"
