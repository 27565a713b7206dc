"""Object-level authorization: who may manage which facility and see which booking.

Staff act for one department: they manage its facilities and see and decide its bookings, never another
department's. A representative sees and acts for its own associations' bookings only; someone else's booking
is answered as missing, so its existence is not revealed.
"""

from __future__ import annotations

import uuid

from bookings.domain.booking import Booking
from bookings.domain.facility import Facility
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound


def manages(actor: Principal, department_code: str) -> bool:
    return actor.acts_for_department(department_code)


def represents(actor: Principal, applicant_id: uuid.UUID | None) -> bool:
    return actor.role is Role.ASSOCIATION and applicant_id is not None and applicant_id in actor.association_ids


def ensure_manages(actor: Principal, facility: Facility) -> None:
    if not manages(actor, facility.department_code):
        raise Forbidden("Only the managing department's staff may do this.")


def sees(actor: Principal, booking: Booking) -> bool:
    return manages(actor, booking.department_code) or represents(actor, booking.applicant_id)


def ensure_sees(actor: Principal, booking: Booking | None) -> Booking:
    if booking is None or not sees(actor, booking):
        raise NotFound("No such booking.")
    return booking


def ensure_may_book_for(actor: Principal, facility: Facility, applicant_id: uuid.UUID) -> None:
    """A representative books for its own association; the managing department's staff on its behalf."""
    if not (represents(actor, applicant_id) or manages(actor, facility.department_code)):
        raise Forbidden("Only the association's representatives, or the managing department's staff, may book.")
