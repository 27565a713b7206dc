"""Bookings' unit of work without a database, for fast tests of the use cases (``tests/unit``).

Each fake repository keeps copies of dataclasses in memory and answers the queries the use cases ask the way
the SQL does. It subclasses the real repository only so that the use cases type-check against it; a real query
method nobody has faked yet fails loudly (it has no session).

Two honest differences from PostgreSQL, said here so nobody relies on the fake for them:

- **No overlap** is the database's exclusion constraint ``ex_occurrence_no_overlap`` (active occurrences of one
  facility, ``[starts_at, blocked_until)`` ranges, must not meet). The fake checks the same rule in Python in
  ``add_all`` and raises the same :class:`SlotTaken`; it proves nothing about races, which
  ``tests/integration/test_no_double_booking.py`` covers on the real database.
- **Rollback**: leaving the outermost unit without ``commit`` puts every repository's rows back as they were
  when it was entered, as a rolled-back transaction would (the shared mixin only drops the pending events).
  The directory's copies keep only the newest *revision* the way ``shared.copies`` does, without the
  placeholder subtleties (``tests/integration/test_messaging.py`` covers those on the real database).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from bookings.adapters.bookings import BookingRepository, OccurrenceRepository, SlotTaken
from bookings.adapters.copies import (
    ApplicantCopy,
    ApplicantCopyRepository,
    DepartmentCopy,
    DepartmentCopyRepository,
    LiaisonCopy,
    LiaisonCopyRepository,
)
from bookings.adapters.facilities import (
    FacilityRepository,
    FreeUseGrantRepository,
    OpeningExceptionRepository,
    PartnershipRepository,
)
from bookings.domain.booking import ACTIVE_STATES, Booking, Occurrence
from bookings.domain.facility import Facility, FreeUseGrant, PartnershipCopy
from bookings.domain.opening import OpeningException
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.testing.uow import FakeUnitOfWorkMixin, InMemoryRepository


class FakeFacilityRepository(InMemoryRepository[Facility], FacilityRepository):
    async def search(self, *, department_code: str | None, limit: int, offset: int) -> tuple[list[Facility], int]:
        found = sorted(
            (
                f
                for f in self.rows.values()
                if f.active and (not department_code or f.department_code == department_code)
            ),
            key=lambda f: (f.name, f.id),
        )
        return [copy.deepcopy(f) for f in found[offset : offset + limit]], len(found)


class FakeOpeningExceptionRepository(InMemoryRepository[OpeningException], OpeningExceptionRepository):
    async def between(self, facility_id: uuid.UUID, first: date, last: date) -> dict[date, OpeningException]:
        return {
            e.day: copy.deepcopy(e)
            for e in self.rows.values()
            if e.facility_id == facility_id and first <= e.day <= last
        }


class FakeFreeUseGrantRepository(InMemoryRepository[FreeUseGrant], FreeUseGrantRepository):
    async def of_applicant(self, applicant_id: uuid.UUID, department_code: str) -> list[FreeUseGrant]:
        return [
            copy.deepcopy(g)
            for g in self.rows.values()
            if g.applicant_id == applicant_id and g.department_code == department_code
        ]


class FakePartnershipRepository(InMemoryRepository[PartnershipCopy], PartnershipRepository):
    async def of_applicant(self, applicant_id: uuid.UUID, department_code: str) -> list[PartnershipCopy]:
        return [
            copy.deepcopy(p)
            for p in self.rows.values()
            if p.applicant_id == applicant_id and p.department_code == department_code
        ]

    async def put(self, copy_: PartnershipCopy) -> None:
        known = self.rows.get(copy_.id)
        saved = copy.deepcopy(copy_)
        saved.ended_on = known.ended_on if known else None  # an end already known is kept
        self.rows[copy_.id] = saved

    async def end(self, agreement_id: uuid.UUID, applicant_id: uuid.UUID, ended_on: date) -> None:
        known = self.rows.get(agreement_id)
        if known is None:
            self.rows[agreement_id] = PartnershipCopy(agreement_id, applicant_id, None, None, None, False, [], ended_on)
        else:
            known.ended_on = ended_on


class FakeBookingRepository(InMemoryRepository[Booking], BookingRepository):
    """``occurrences`` is the unit of work's, for ``current``. ``created_at`` is stamped from a counter so the
    newest-first order of ``search`` is the order of adding, as the database's ``now()`` would make it."""

    occurrences: FakeOccurrenceRepository

    async def add(self, obj: Booking) -> None:
        obj.created_at = obj.updated_at = datetime.min + timedelta(microseconds=len(self.rows))
        await super().add(obj)

    async def search(
        self,
        *,
        facility_id: uuid.UUID | None,
        department_code: str | None,
        applicant_ids: set[uuid.UUID] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Booking], int]:
        found = [
            b
            for b in self.rows.values()
            if (facility_id is None or b.facility_id == facility_id)
            and (department_code is None or b.department_code == department_code)
            and (applicant_ids is None or b.applicant_id in applicant_ids)
        ]
        found.sort(key=lambda b: b.created_at or datetime.min, reverse=True)
        return [copy.deepcopy(b) for b in found[offset : offset + limit]], len(found)

    async def current(
        self,
        since: datetime,
        *,
        facility_id: uuid.UUID | None = None,
        applicant_id: uuid.UUID | None = None,
        limit: int,
    ) -> list[Booking]:
        live = {o.booking_id for o in self.occurrences.rows.values() if o.active and o.ends_at > since}
        found = [
            b
            for b in self.rows.values()
            if b.state in ACTIVE_STATES
            and b.id in live
            and (facility_id is None or b.facility_id == facility_id)
            and (applicant_id is None or b.applicant_id == applicant_id)
        ]
        found.sort(key=lambda b: (b.first_day or date.max, b.created_at or datetime.min))
        return [copy.deepcopy(b) for b in found[:limit]]

    async def lock_quota(self, facility_id: uuid.UUID, applicant_id: uuid.UUID) -> None:
        """One test task at a time: there is nobody to take turns with."""


class FakeOccurrenceRepository(InMemoryRepository[Occurrence], OccurrenceRepository):
    """The exclusion constraint, checked in Python (see the module's docstring); ``bookings`` is the unit of
    work's, for the queries that join the booking."""

    bookings: FakeBookingRepository

    def _holding(self, facility_id: uuid.UUID, starts_at: datetime, until: datetime) -> list[Occurrence]:
        found = [
            o
            for o in self.rows.values()
            if o.facility_id == facility_id and o.active and o.starts_at < until and starts_at < o.blocked_until
        ]
        return sorted(found, key=lambda o: o.starts_at)

    async def add_all(self, items: Sequence[Occurrence], *, recoverable: bool = True) -> None:
        placed: list[Occurrence] = []
        for item in items:
            held = self._holding(item.facility_id, item.starts_at, item.blocked_until)
            clash = held + [p for p in placed if p.starts_at < item.blocked_until and item.starts_at < p.blocked_until]
            if item.active and clash:  # all or nothing, like the one INSERT in its savepoint
                raise SlotTaken(clash[0].starts_at, clash[0].ends_at)
            placed.append(item)
        for item in placed:
            await self.add(item)

    async def save(self, obj: Occurrence) -> None:
        others = self._holding(obj.facility_id, obj.starts_at, obj.blocked_until)
        if obj.active and any(o.id != obj.id for o in others):
            raise SlotTaken(obj.starts_at, obj.ends_at)
        await super().save(obj)

    async def taken(
        self, facility_id: uuid.UUID, starts_at: datetime, until: datetime, *, limit: int | None = None
    ) -> list[Occurrence]:
        found = [copy.deepcopy(o) for o in self._holding(facility_id, starts_at, until)]
        return found[:limit] if limit else found

    async def taken_any(self, facility_id: uuid.UUID, spans: Sequence[tuple[datetime, datetime]]) -> list[Occurrence]:
        found = {o.id: o for s, u in spans for o in self._holding(facility_id, s, u)}
        return [copy.deepcopy(o) for o in sorted(found.values(), key=lambda o: o.starts_at)]

    async def of_booking(self, booking_id: uuid.UUID) -> list[Occurrence]:
        found = sorted((o for o in self.rows.values() if o.booking_id == booking_id), key=lambda o: o.starts_at)
        return [copy.deepcopy(o) for o in found]

    async def of_bookings(self, booking_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[Occurrence]]:
        return {b: await self.of_booking(b) for b in booking_ids}

    async def deactivate(self, booking_id: uuid.UUID) -> None:
        for o in self.rows.values():
            if o.booking_id == booking_id:
                o.active = False

    async def minutes_of_applicant(
        self, facility_id: uuid.UUID, applicant_id: uuid.UUID, starts_at: datetime, ends_at: datetime
    ) -> int:
        mine = {b.id for b in self.bookings.rows.values() if b.applicant_id == applicant_id}
        return sum(
            o.minutes
            for o in self.rows.values()
            if o.facility_id == facility_id and o.booking_id in mine and o.active and starts_at <= o.starts_at < ends_at
        )

    async def in_period(self, facility_id: uuid.UUID, starts_at: datetime, ends_at: datetime) -> list[dict[str, Any]]:
        rows = []
        for o in self._holding(facility_id, starts_at, ends_at):
            b = self.bookings.rows[o.booking_id]
            rows.append(
                vars(copy.deepcopy(o)) | {"kind": b.kind.value, "state": b.state.value, "applicant_id": b.applicant_id}
            )
        return rows


class _Revisioned:
    """The newest revision each copy has seen: an older event changes nothing (``shared.copies``' guard)."""

    def __init__(self) -> None:
        self.revisions: dict[uuid.UUID, int] = {}

    def newer(self, id_: uuid.UUID, revision: int) -> bool:
        if self.revisions.get(id_, -1) >= revision:
            return False
        self.revisions[id_] = revision
        return True


class FakeApplicantCopyRepository(InMemoryRepository[ApplicantCopy], ApplicantCopyRepository, _Revisioned):
    def __init__(self) -> None:
        InMemoryRepository.__init__(self)
        _Revisioned.__init__(self)

    async def apply_state(
        self, id_: uuid.UUID, *, kind: ApplicantKind, name: str | None, active: bool, revision: int
    ) -> None:
        if self.newer(id_, revision):
            self.rows[id_] = ApplicantCopy(id_, kind, name, active)

    async def apply_status(self, id_: uuid.UUID, *, active: bool, revision: int) -> None:
        if self.newer(id_, revision):
            known = self.rows.get(id_)
            self.rows[id_] = ApplicantCopy(id_, known.kind if known else None, known.name if known else None, active)


class FakeDepartmentCopyRepository(InMemoryRepository[DepartmentCopy], DepartmentCopyRepository, _Revisioned):
    def __init__(self) -> None:
        InMemoryRepository.__init__(self)
        _Revisioned.__init__(self)

    async def apply(self, id_: uuid.UUID, *, code: str, name: str, revision: int) -> None:
        if self.newer(id_, revision):
            self.rows[id_] = DepartmentCopy(id_, code, name)

    async def known(self, code: str) -> bool:
        return any(d.code == code for d in self.rows.values())


class FakeLiaisonCopyRepository(InMemoryRepository[LiaisonCopy], LiaisonCopyRepository, _Revisioned):
    def __init__(self) -> None:
        InMemoryRepository.__init__(self)
        _Revisioned.__init__(self)

    async def apply(self, id_: uuid.UUID, *, kind: LiaisonKind, department_id: uuid.UUID | None, revision: int) -> None:
        if self.newer(id_, revision):
            self.rows[id_] = LiaisonCopy(id_, kind, department_id, assigned=True)

    async def unassign(self, id_: uuid.UUID, *, revision: int) -> None:
        if self.newer(id_, revision):
            known = self.rows.get(id_)
            self.rows[id_] = LiaisonCopy(
                id_, known.kind if known else None, known.department_id if known else None, False
            )


class FakeBookingsUnitOfWork(FakeUnitOfWorkMixin, BookingsUnitOfWork):
    """``uow.events`` holds what committed units emitted; ``uow.commits`` counts the commits. Calendar feeds
    are not built (no use case under test here needs them): reaching ``uow.feeds`` raises AttributeError."""

    facilities: FakeFacilityRepository
    exceptions: FakeOpeningExceptionRepository
    free_use: FakeFreeUseGrantRepository
    partnerships: FakePartnershipRepository
    bookings: FakeBookingRepository
    occurrences: FakeOccurrenceRepository
    applicants: FakeApplicantCopyRepository
    departments: FakeDepartmentCopyRepository
    liaisons: FakeLiaisonCopyRepository

    def _open_fakes(self) -> None:
        self.facilities = FakeFacilityRepository()
        self.exceptions = FakeOpeningExceptionRepository()
        self.free_use = FakeFreeUseGrantRepository()
        self.partnerships = FakePartnershipRepository()
        self.bookings = FakeBookingRepository()
        self.occurrences = FakeOccurrenceRepository()
        self.applicants = FakeApplicantCopyRepository()
        self.departments = FakeDepartmentCopyRepository()
        self.liaisons = FakeLiaisonCopyRepository()
        self.bookings.occurrences, self.occurrences.bookings = self.occurrences, self.bookings
        self._snapshot: dict[str, Any] | None = None

    def _stores(self) -> dict[str, Any]:
        return {name: repo for name, repo in vars(self).items() if isinstance(repo, InMemoryRepository)}

    async def __aenter__(self) -> Self:
        if self._depth == 0:
            self._snapshot = {
                name: copy.deepcopy((repo.rows, getattr(repo, "revisions", None)))
                for name, repo in self._stores().items()
            }
        return await super().__aenter__()

    async def commit(self) -> None:
        await super().commit()
        if not self.joined:
            self._snapshot = None

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await super().__aexit__(exc_type, exc, tb)
        if self._depth == 0 and self._snapshot is not None:  # left without commit: roll back
            for name, (rows, revisions) in self._snapshot.items():
                repo = self._stores()[name]
                repo.rows = rows
                if revisions is not None:
                    repo.revisions = revisions
            self._snapshot = None
