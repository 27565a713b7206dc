"""Facilities in and out of the database: the rules, price and weekly hours are kept as JSON documents."""

from __future__ import annotations

import dataclasses
import functools
import uuid
from datetime import date, time
from typing import Any, ClassVar

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert

from bookings.adapters.tables import facility, free_use_grant, opening_exception, partnership
from bookings.domain.facility import Facility, FreeUseGrant, PartnershipCopy
from bookings.domain.opening import Hours, OpeningException
from bookings.domain.pricing import Pricing
from bookings.domain.rules import BookingRules
from shared.db.repository import Repository


class FacilityRepository(Repository[Facility]):
    table, model = facility, Facility

    def _from_row(self, row: Any) -> Facility:
        values = dict(row)
        pricing = values["pricing"]
        values["rules"] = BookingRules(**values["rules"])
        values["pricing"] = Pricing(
            hourly_cents=pricing["hourly_cents"],
            hourly_cents_by_kind=pricing.get("hourly_cents_by_kind", {}),
            free_for_kinds=frozenset(pricing.get("free_for_kinds", [])),
        )
        values["weekly_hours"] = {
            day: Hours(time.fromisoformat(h["opens"]), time.fromisoformat(h["closes"]))
            for day, h in values["weekly_hours"].items()
        }
        names = {f.name for f in dataclasses.fields(Facility)}
        return Facility(**{k: v for k, v in values.items() if k in names})

    def _to_row(self, obj: Facility) -> dict[str, Any]:
        return {
            "id": obj.id,
            "name": obj.name,
            "department_code": obj.department_code,
            "address": obj.address,
            "capacity": obj.capacity,
            "contact_id": obj.contact_id,
            "accessibility": obj.accessibility,
            "equipment": obj.equipment,
            "purposes": obj.purposes,
            "rules": dataclasses.asdict(obj.rules),
            "pricing": {
                "hourly_cents": obj.pricing.hourly_cents,
                "hourly_cents_by_kind": obj.pricing.hourly_cents_by_kind,
                "free_for_kinds": sorted(obj.pricing.free_for_kinds),
            },
            "weekly_hours": {
                day: {"opens": h.opens.isoformat("minutes"), "closes": h.closes.isoformat("minutes")}
                for day, h in obj.weekly_hours.items()
            },
            "closed_on_holidays": obj.closed_on_holidays,
            "active": obj.active,
        }

    async def search(self, *, department_code: str | None, limit: int, offset: int) -> tuple[list[Facility], int]:
        t = self.table
        query = select(t).where(t.c.active)
        if department_code:
            query = query.where(t.c.department_code == department_code)
        return await self._page(query, [t.c.name, t.c.id], limit, offset)


class OpeningExceptionRepository(Repository[OpeningException]):
    table, model = opening_exception, OpeningException
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {
        "uq_opening_exception_day": ("day", "This date already has an exception."),
    }

    async def between(self, facility_id: uuid.UUID, first: date, last: date) -> dict[date, OpeningException]:
        rows = await self.session.execute(
            _exceptions_between(), {"facility_id": facility_id, "first": first, "last": last}
        )
        return {e.day: e for e in self._from_rows(rows)}

    async def between_all(
        self, facility_ids: set[uuid.UUID], first: date, last: date
    ) -> dict[uuid.UUID, dict[date, OpeningException]]:
        """``between`` for several facilities in one query."""
        t = self.table
        found: dict[uuid.UUID, dict[date, OpeningException]] = {f: {} for f in facility_ids}
        query = select(t).where(t.c.facility_id.in_(facility_ids), t.c.day.between(first, last))
        for e in await self._all(query) if facility_ids else []:
            found[e.facility_id][e.day] = e  # type: ignore[index]  # the domain types it object
        return found


class FreeUseGrantRepository(Repository[FreeUseGrant]):
    table, model = free_use_grant, FreeUseGrant

    async def of_applicant(self, applicant_id: uuid.UUID, department_code: str) -> list[FreeUseGrant]:
        rows = await self.session.execute(
            _of_applicant(self.table), {"applicant_id": applicant_id, "department": department_code}
        )
        return self._from_rows(rows)

    async def of_applicants(self, applicant_ids: set[uuid.UUID], department_codes: set[str]) -> list[FreeUseGrant]:
        """``of_applicant`` for several associations and departments in one query."""
        t = self.table
        if not applicant_ids:
            return []
        return await self._all(
            select(t).where(t.c.applicant_id.in_(applicant_ids), t.c.department_code.in_(department_codes))
        )


class PartnershipRepository(Repository[PartnershipCopy]):
    table, model = partnership, PartnershipCopy

    async def of_applicant(self, applicant_id: uuid.UUID, department_code: str) -> list[PartnershipCopy]:
        rows = await self.session.execute(
            _of_applicant(self.table), {"applicant_id": applicant_id, "department": department_code}
        )
        return self._from_rows(rows)

    async def of_applicants(self, applicant_ids: set[uuid.UUID], department_codes: set[str]) -> list[PartnershipCopy]:
        """``of_applicant`` for several associations and departments in one query."""
        t = self.table
        if not applicant_ids:
            return []
        return await self._all(
            select(t).where(t.c.applicant_id.in_(applicant_ids), t.c.department_code.in_(department_codes))
        )

    async def put(self, copy: PartnershipCopy) -> None:
        """Signed: the agreement's terms (a redelivery writes the same again; an end already known is kept)."""
        row = dataclasses.asdict(copy)
        row.pop("ended_on")
        statement = insert(self.table).values(row)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[self.table.c.id], set_={k: statement.excluded[k] for k in row if k != "id"}
            )
        )

    async def end(self, agreement_id: uuid.UUID, applicant_id: uuid.UUID, ended_on: date) -> None:
        """Ended: kept on the agreement; arriving before Signed, it leaves a row that Signed completes."""
        statement = insert(self.table).values(
            id=agreement_id, applicant_id=applicant_id, free_premises=False, ended_on=ended_on
        )
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=[self.table.c.id], set_={"ended_on": ended_on})
        )


# -- statements built once (shared.db.statements) ----------------------------------------------------------------
@functools.cache
def _exceptions_between() -> Select[Any]:
    t = opening_exception
    return select(t).where(
        t.c.facility_id == bindparam("facility_id"), t.c.day.between(bindparam("first"), bindparam("last"))
    )


@functools.cache
def _of_applicant(table: Table) -> Select[Any]:
    """Free-use grants or partnerships of an applicant with one department."""
    t = table
    return select(t).where(
        t.c.applicant_id == bindparam("applicant_id"), t.c.department_code == bindparam("department")
    )
