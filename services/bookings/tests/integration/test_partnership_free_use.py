"""Free use through an active partnership agreement, learned from grants' events (no call at booking time)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from bookings.service_layer import copies

from ..conftest import Api

pytestmark = pytest.mark.integration


async def test_an_active_partnership_with_premises_terms_makes_use_free_until_it_ends(api: Api) -> None:
    department = await api.department()
    facility = await api.facility(department)
    partner = await api.association()
    agreement = uuid.uuid4()
    await copies.copy_partnership(
        api.bookings.uow(), agreement_id=agreement, applicant_id=partner, department_code=department,
        starts_on=date(2027, 1, 1), ends_on=date(2028, 12, 31), free_premises=True, facility_ids=[],
    )  # fmt: skip
    free = await api.book(facility, partner)
    assert free.status_code == 201 and free.json()["free_use_reason"] == "partnership"
    assert free.json()["price_cents"] == 0

    await copies.copy_partnership_ended(
        api.bookings.uow(), agreement_id=agreement, applicant_id=partner, ended_on=date(2027, 9, 30)
    )
    paid = await api.book(facility, partner, starts_at="2027-10-05T18:00", ends_at="2027-10-05T20:00")
    assert paid.status_code == 201 and paid.json()["free_use_reason"] is None
    assert paid.json()["price_cents"] == 4000
