"""Use cases for facilities: registered and managed by their department's staff, public to read."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, time
from typing import Any

from bookings.domain.facility import Facility, FreeUseGrant
from bookings.domain.opening import Hours, OpeningException
from bookings.domain.pricing import Pricing
from bookings.domain.rules import BookingRules
from bookings.service_layer.access import ensure_manages, manages
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.contracts.bookings import FacilityRegistered
from shared.errors import Forbidden, InvalidInput, NotFound


def build_facility(fields: dict[str, Any]) -> Facility:
    """A facility from the request's plain values (rules, price and hours as their value objects)."""
    values = dict(fields)
    values["rules"] = BookingRules(**values.pop("rules", {}))
    pricing = values.pop("pricing", {})
    values["pricing"] = Pricing(
        hourly_cents=pricing.get("hourly_cents", 0),
        hourly_cents_by_kind=pricing.get("hourly_cents_by_kind", {}),
        free_for_kinds=frozenset(pricing.get("free_for_kinds", [])),
    )
    values["weekly_hours"] = {
        day: Hours(hours["opens"], hours["closes"]) for day, hours in values.pop("weekly_hours", {}).items()
    }
    return Facility(id=uuid.uuid4(), **values)


async def register_facility(uow: BookingsUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Facility:
    facility = build_facility(fields)
    if not manages(actor, facility.department_code):
        raise Forbidden("Staff register facilities of their own department.")
    facility.validate()
    async with uow:
        if not await uow.departments.known(facility.department_code):
            raise InvalidInput("No such department in the directory.", field="department_code")
        if facility.contact_id is not None:
            contact = await uow.liaisons.get(facility.contact_id)
            if contact is None or not contact.answers_for_facilities:
                raise InvalidInput("Not a facility contact in the directory.", field="contact_id")
        await uow.facilities.add(facility)
        uow.emit(
            FacilityRegistered(
                facility_id=facility.id,
                name=facility.name,
                department_code=facility.department_code,
                address=facility.address,
                capacity=facility.capacity,
                contact_id=facility.contact_id,
            )
        )
        await uow.commit()
    return facility


def _revisions(facility: Facility, changes: dict[str, Any]) -> dict[str, Any]:
    """The request's plain changes as the facility's values: rules and price merged into the current ones,
    the weekly hours replaced as a whole pattern."""
    values = dict(changes)
    if "rules" in values:
        values["rules"] = dataclasses.replace(facility.rules, **values["rules"])
    if "pricing" in values:
        pricing, current = values["pricing"], facility.pricing
        values["pricing"] = Pricing(
            hourly_cents=pricing.get("hourly_cents", current.hourly_cents),
            hourly_cents_by_kind=pricing.get("hourly_cents_by_kind", current.hourly_cents_by_kind),
            free_for_kinds=frozenset(pricing.get("free_for_kinds", current.free_for_kinds)),
        )
    if "weekly_hours" in values:
        values["weekly_hours"] = {
            day: Hours(hours["opens"], hours["closes"]) for day, hours in values["weekly_hours"].items()
        }
    return values


async def update_facility(
    uow: BookingsUnitOfWork, *, actor: Principal, facility_id: uuid.UUID, changes: dict[str, Any]
) -> Facility:
    """The managing department changes a facility's description, rules, price or weekly hours. Bookings made
    before keep their recorded price and stay where they are; the new rules apply to requests from now on.
    Writers of one facility take turns on its row (it has no version column to compare)."""
    async with uow:
        facility = await uow.facilities.get(facility_id, for_update=True)
        if facility is None or not facility.active:
            raise NotFound("No such facility.")
        ensure_manages(actor, facility)
        revised = facility.revised(_revisions(facility, changes))
        if revised.contact_id is not None and revised.contact_id != facility.contact_id:
            contact = await uow.liaisons.get(revised.contact_id)
            if contact is None or not contact.answers_for_facilities:
                raise InvalidInput("Not a facility contact in the directory.", field="contact_id")
        if revised != facility:
            await uow.facilities.save(revised)
            await uow.commit()
    return revised


async def get_facility(uow: BookingsUnitOfWork, *, facility_id: uuid.UUID) -> Facility:
    async with uow:
        facility = await uow.facilities.get(facility_id)
    if facility is None or not facility.active:
        raise NotFound("No such facility.")
    return facility


async def list_facilities(
    uow: BookingsUnitOfWork, *, department_code: str | None, limit: int, offset: int
) -> tuple[list[Facility], int]:
    async with uow:
        return await uow.facilities.search(department_code=department_code, limit=limit, offset=offset)


async def add_opening_exception(
    uow: BookingsUnitOfWork,
    *,
    actor: Principal,
    facility_id: uuid.UUID,
    day: date,
    opens: time | None,
    closes: time | None,
    reason: str,
) -> OpeningException:
    """A closure (no hours) or changed hours on one date. Bookings already made are not moved: staff cancel
    them with a reason if the closure demands it."""
    if (opens is None) != (closes is None):
        raise InvalidInput("Give both opening and closing time, or neither for a closure.", field="closes")
    if opens is not None and closes is not None:
        Hours(opens, closes).validate("closes")
    exception = OpeningException(
        id=uuid.uuid4(), facility_id=facility_id, day=day, opens=opens, closes=closes, reason=reason
    )
    async with uow:
        facility = await uow.facilities.get(facility_id)
        if facility is None:
            raise NotFound("No such facility.")
        ensure_manages(actor, facility)
        await uow.exceptions.add(exception)
        await uow.commit()
    return exception


async def grant_free_use(
    uow: BookingsUnitOfWork, *, actor: Principal, department_code: str, fields: dict[str, Any]
) -> FreeUseGrant:
    """The managing department grants an association free use of its premises (one facility, or all)."""
    if not manages(actor, department_code):
        raise Forbidden("Staff grant free use of their own department's premises.")
    grant = FreeUseGrant(id=uuid.uuid4(), department_code=department_code, **fields)
    if grant.valid_until < grant.valid_from:
        raise InvalidInput("The grant ends on or after it begins.", field="valid_until")
    async with uow:
        applicant = await uow.applicants.get(grant.applicant_id)
        if applicant is None or applicant.kind is None:
            raise InvalidInput("No such association in the directory.", field="applicant_id")
        if grant.facility_id is not None:
            facility = await uow.facilities.get(grant.facility_id)
            if facility is None or facility.department_code != department_code:
                raise InvalidInput("No such facility of this department.", field="facility_id")
        await uow.free_use.add(grant)
        await uow.commit()
    return grant
