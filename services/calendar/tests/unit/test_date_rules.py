"""The annual clock's date rules, and Helsinki dates of moments around the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from calendar_service.domain.annual_clock import LAST, DateRule
from shared.errors import InvalidInput
from shared.localtime import local_date, local_moment


def test_a_month_alone_is_the_whole_month_also_in_a_leap_year() -> None:
    assert DateRule(2).dates_in(2028) == (date(2028, 2, 1), date(2028, 2, 29))
    assert DateRule(2).dates_in(2027) == (date(2027, 2, 1), date(2027, 2, 28))
    assert DateRule(12).dates_in(2027) == (date(2027, 12, 1), date(2027, 12, 31))


def test_a_fixed_day_and_its_duration() -> None:
    assert DateRule(1, day=31).dates_in(2027) == (date(2027, 1, 31), date(2027, 1, 31))
    assert DateRule(3, day=15, duration_days=3).dates_in(2027) == (date(2027, 3, 15), date(2027, 3, 17))
    # a rule across the year's end lasts into the next year
    assert DateRule(12, day=30, duration_days=4).dates_in(2027) == (date(2027, 12, 30), date(2028, 1, 2))


def test_29_february_falls_on_the_28th_in_other_years() -> None:
    assert DateRule(2, day=29).dates_in(2028)[0] == date(2028, 2, 29)
    assert DateRule(2, day=29).dates_in(2027)[0] == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("rule", "year", "expected"),
    [
        (DateRule(3, weekday=1, week=2), 2027, date(2027, 3, 9)),  # March 2027 begins on a Monday
        (DateRule(3, weekday=0, week=1), 2027, date(2027, 3, 1)),
        (DateRule(9, weekday=3, week=1), 2027, date(2027, 9, 2)),  # the first Thursday of September
        (DateRule(10, weekday=6, week=LAST), 2027, date(2027, 10, 31)),  # the night the clocks go back
        (DateRule(3, weekday=6, week=LAST), 2027, date(2027, 3, 28)),
        (DateRule(2, weekday=1, week=4), 2028, date(2028, 2, 22)),
        (DateRule(2, weekday=1, week=LAST), 2028, date(2028, 2, 29)),
    ],
)
def test_the_nth_and_last_weekday_of_a_month(rule: DateRule, year: int, expected: date) -> None:
    start, end = rule.dates_in(year)
    assert start == expected == end and start.weekday() == rule.weekday


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (DateRule(0), "month"),
        (DateRule(13), "month"),
        (DateRule(2, day=30), "day"),
        (DateRule(4, day=31), "day"),
        (DateRule(3, day=5, weekday=1, week=1), "day"),
        (DateRule(3, weekday=1), "week"),
        (DateRule(3, weekday=7, week=1), "weekday"),
        (DateRule(3, weekday=1, week=5), "week"),
        (DateRule(3, weekday=1, week=0), "week"),
        (DateRule(3, day=1, duration_days=0), "duration_days"),
        (DateRule(3, day=1, duration_days=93), "duration_days"),
    ],
)
def test_impossible_rules_are_refused_naming_the_field(rule: DateRule, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        rule.validate()
    assert refused.value.field == field


def test_rules_read_in_finnish() -> None:
    assert DateRule(3, weekday=1, week=2).describe_fi() == "maaliskuun 2. tiistai"
    assert DateRule(10, weekday=3, week=LAST).describe_fi() == "lokakuun viimeinen torstai"
    assert DateRule(1, day=31).describe_fi() == "31.1."
    assert DateRule(6).describe_fi() == "kesäkuu"


def test_moments_fall_on_their_helsinki_dates_across_the_clock_changes() -> None:
    # Spring: 21:59 UTC on 27 March 2027 is 23:59 EET; 22:00 UTC is already 28 March (00:00 EET).
    assert local_date(datetime(2027, 3, 27, 21, 59, tzinfo=UTC)) == date(2027, 3, 27)
    assert local_date(datetime(2027, 3, 27, 22, 0, tzinfo=UTC)) == date(2027, 3, 28)
    # Autumn: 20:59 UTC on 30 October is 23:59 EEST; 21:00 UTC is 31 October; 21:00 UTC on 31 October is 23:00 EET.
    assert local_date(datetime(2027, 10, 30, 20, 59, tzinfo=UTC)) == date(2027, 10, 30)
    assert local_date(datetime(2027, 10, 30, 21, 0, tzinfo=UTC)) == date(2027, 10, 31)
    assert local_date(datetime(2027, 10, 31, 21, 59, tzinfo=UTC)) == date(2027, 10, 31)
    # A 16:00 deadline is 13:00 UTC in summer and 14:00 UTC in winter.
    assert local_moment(date(2027, 3, 29), time(16)) == datetime(2027, 3, 29, 13, tzinfo=UTC)
    assert local_moment(date(2027, 3, 26), time(16)) == datetime(2027, 3, 26, 14, tzinfo=UTC)
