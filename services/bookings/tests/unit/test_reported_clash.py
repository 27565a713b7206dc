"""A clash lost in a race is named from PostgreSQL's exclusion report (the transaction can no longer be asked)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from bookings.adapters.bookings import SlotTaken, _reported_clash
from shared.errors import Conflict

pytestmark = pytest.mark.unit

DETAIL = (
    "Key (facility_id, tstzrange(starts_at, blocked_until))=(00000000-0000-0000-0000-000000000001, "
    '["2027-09-07 16:00:00+00","2027-09-07 18:15:00+00")) conflicts with existing key (facility_id, '
    "tstzrange(starts_at, blocked_until))=(00000000-0000-0000-0000-000000000001, "
    '["2027-09-07 15:00:00+00","2027-09-07 17:15:00+00")).'
)


class _Reported(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__("exclusion violation")
        self.detail = detail


def _violation(detail: str) -> IntegrityError:
    orig = Exception("ex_occurrence_no_overlap")
    orig.__cause__ = _Reported(detail)
    return IntegrityError("INSERT", {}, orig)


def test_the_existing_occurrence_is_named_in_helsinki_time_buffer_included() -> None:
    error = _reported_clash(_violation(DETAIL))
    assert isinstance(error, SlotTaken) and error.field == "starts_at"
    assert "2027-09-07 18:00–20:15 (Helsinki time)" in str(error)


def test_an_unreadable_report_still_refuses_naming_the_field() -> None:
    error = _reported_clash(_violation("something else"))
    assert type(error) is Conflict and "already booked" in str(error) and error.field == "starts_at"
