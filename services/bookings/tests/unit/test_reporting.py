"""Pure rules of the reports and of changing a facility: months, formula-safe cells, euros, revisions."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from bookings.domain.facility import Facility
from bookings.domain.reporting import Month, UsageFigures, hours
from bookings.domain.rules import BookingRules
from bookings.entrypoints.http.invoicing_csv import cell, euros
from shared.errors import InvalidInput

pytestmark = pytest.mark.unit


def test_a_month_knows_its_days_and_the_next_one() -> None:
    september, december = Month.parse("2027-09"), Month.parse("2027-12")
    assert (september.first_day, september.next_first_day) == (date(2027, 9, 1), date(2027, 10, 1))
    assert december.next_first_day == date(2028, 1, 1) and str(december) == "2027-12"


@pytest.mark.parametrize("text", ["2027-13", "2027-00", "2027-9", "0999-01", "2027-09-01", ""])
def test_a_bad_month_is_refused_naming_it(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Month.parse(text)
    assert refused.value.field == "month"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+358", "'+358"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("Seura ry", "Seura ry"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_quoted(value: str, shown: str) -> None:
    assert cell(value) == shown


def test_euros_have_two_decimals_and_hours_two_at_most() -> None:
    assert [euros(c) for c in (0, 5, 3750, 123456)] == ["0.00", "0.05", "37.50", "1234.56"]
    assert cell(None) == "" and hours(90) == 1.5 and hours(5) == 0.08
    assert UsageFigures(free_minutes=30, rented_minutes=90).minutes == 120


def _facility() -> Facility:
    return Facility(id=uuid.uuid4(), name="Sali", department_code="culture", address="Katu 1", capacity=10)


def test_a_revision_is_checked_as_a_whole_and_keeps_the_department() -> None:
    facility = _facility()
    revised = facility.revised({"capacity": 20, "rules": BookingRules(min_minutes=30)})
    assert revised.capacity == 20 and revised.rules.min_minutes == 30 and facility.capacity == 10
    with pytest.raises(InvalidInput) as moved:
        facility.revised({"department_code": "sports"})
    assert moved.value.field == "department_code"
    with pytest.raises(InvalidInput) as shorter:
        facility.revised({"rules": BookingRules(min_minutes=120, max_minutes=60)})
    assert shorter.value.field == "max_minutes"
