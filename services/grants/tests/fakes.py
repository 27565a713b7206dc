"""Grants' unit of work without a database, for fast tests of the use cases (``tests/unit``).

Each fake repository keeps copies of dataclasses in memory and answers the custom queries the use cases ask
(``RoundRepository.reserve`` ...) the way the SQL does. It subclasses the real repository only so that the
use cases type-check against it; a real query method nobody has faked yet fails loudly (it has no session).
Repositories no use case under test needs (partnerships, comments, scores) are not built:
reaching one raises ``AttributeError``, so a test that needs it adds a fake here.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

from grants.adapters.applications import ApplicationRepository, DecisionRepository
from grants.adapters.repository import (
    ApplicantCopy,
    ApplicantCopyRepository,
    DepartmentCopy,
    DepartmentCopyRepository,
    LiaisonCopy,
    LiaisonCopyRepository,
    PrinciplesRepository,
    PrinciplesVersion,
    ProgrammeRepository,
    RoundRepository,
)
from grants.adapters.usage_reports import UsageReportRepository
from grants.domain.application import Application, ApplicationState, Decision
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.domain.usage_report import OUTSTANDING, UsageReport
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.testing.uow import FakeUnitOfWorkMixin, InMemoryRepository


class FakeProgrammeRepository(InMemoryRepository[Programme], ProgrammeRepository):
    async def all(self, *, active_only: bool) -> list[Programme]:
        found = sorted(self.rows.values(), key=lambda p: p.name)
        return [copy.deepcopy(p) for p in found if p.active or not active_only]


class FakePrinciplesRepository(InMemoryRepository[PrinciplesVersion], PrinciplesRepository):
    async def of_programme(self, programme_id: uuid.UUID) -> list[PrinciplesVersion]:
        found = [copy.deepcopy(p) for p in self.rows.values() if p.programme_id == programme_id]
        return sorted(found, key=lambda p: p.version)

    async def next_version(self, programme_id: uuid.UUID) -> int:
        return len(await self.of_programme(programme_id)) + 1


class FakeDepartmentCopyRepository(InMemoryRepository[DepartmentCopy], DepartmentCopyRepository):
    """The departments the directory has told grants of (events' revisions are not kept: tests add each once)."""

    async def apply(self, copy: DepartmentCopy, *, revision: int) -> None:
        await self.add(copy)

    async def known(self, code: str) -> bool:
        return any(d.code == code for d in self.rows.values())


class FakeLiaisonCopyRepository(InMemoryRepository[LiaisonCopy], LiaisonCopyRepository):
    async def apply(self, copy: LiaisonCopy, *, revision: int) -> None:
        await self.add(copy)

    async def unknown_of(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        return {i for i in ids if i not in self.rows or not self.rows[i].in_role}


class FakeApplicantCopyRepository(InMemoryRepository[ApplicantCopy], ApplicantCopyRepository):
    pass


class FakeRoundRepository(InMemoryRepository[Round], RoundRepository):
    """``reserved_cents`` moves only by ``reserve``, within 0 … the appropriation, as in the database.
    ``applications`` is the unit of work's, for the count a closing round reports."""

    applications: FakeApplicationRepository

    async def claim(self, *, state: RoundState, due_column: str, now: datetime) -> list[Round]:
        due = [r for r in self.rows.values() if r.state is state and getattr(r, due_column) <= now]
        return [copy.deepcopy(r) for r in sorted(due, key=lambda r: getattr(r, due_column))]

    async def submitted_applications(self, round_id: uuid.UUID) -> int:
        rows = self.applications.rows.values()
        return sum(1 for a in rows if a.round_id == round_id and a.submitted_at is not None)

    async def save(self, obj: Round) -> None:
        stored = self.rows.get(obj.id)
        saved = copy.deepcopy(obj)
        if stored is not None:
            saved.reserved_cents = stored.reserved_cents  # the real save leaves the column to reserve()
        self.rows[obj.id] = saved

    async def reserve(self, round_id: uuid.UUID, delta_cents: int) -> int | None:
        round_ = self.rows[round_id]
        reserved = round_.reserved_cents + delta_cents
        if not 0 <= reserved <= round_.appropriation_cents:
            return None
        round_.reserved_cents = reserved
        return round_.appropriation_cents - reserved


class FakeApplicationRepository(InMemoryRepository[Application], ApplicationRepository):
    async def of_applicants(
        self,
        applicant_ids: Sequence[uuid.UUID],
        *,
        round_id: uuid.UUID | None,
        states: list[ApplicationState] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Application], int]:
        found = [
            copy.deepcopy(a)
            for a in self.rows.values()
            if a.applicant_id in applicant_ids
            and (round_id is None or a.round_id == round_id)
            and (not states or a.state in states)
        ]
        return found[offset : offset + limit], len(found)

    async def count_in_states(self, round_id: uuid.UUID, states: Sequence[ApplicationState]) -> int:
        return sum(1 for a in self.rows.values() if a.round_id == round_id and a.state in states)


class FakeDecisionRepository(DecisionRepository):
    """One decision per application, keyed by its application."""

    def __init__(self, *decisions: Decision) -> None:
        self.rows = {d.application_id: copy.deepcopy(d) for d in decisions}

    async def get(self, application_id: uuid.UUID) -> Decision | None:
        found = self.rows.get(application_id)
        return copy.deepcopy(found) if found else None

    async def of_applications(self, application_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decision]:
        return {i: copy.deepcopy(self.rows[i]) for i in application_ids if i in self.rows}

    async def put(self, made: Decision) -> None:
        self.rows[made.application_id] = copy.deepcopy(made)


class FakeUsageReportRepository(InMemoryRepository[UsageReport], UsageReportRepository):
    """Reports are stored with what they account for (department, round) already filled in."""

    async def create_obligations(self, grants: list[tuple[uuid.UUID, uuid.UUID]], due_date: date) -> int:
        owed = {r.application_id for r in self.rows.values()}
        created = 0
        for application_id, applicant_id in grants:
            if application_id not in owed:
                report = UsageReport(uuid.uuid4(), application_id, applicant_id, due_date)
                self.rows[report.id] = report
                created += 1
        return created

    async def applicants_owing(self, applicant_ids: Collection[uuid.UUID], today: date) -> set[uuid.UUID]:
        return {
            r.applicant_id
            for r in self.rows.values()
            if r.applicant_id in applicant_ids and r.state in OUTSTANDING and r.due_date < today
        }


class FakeGrantsUnitOfWork(FakeUnitOfWorkMixin, GrantsUnitOfWork):
    """``uow.events`` holds what committed units emitted; ``uow.commits`` counts the commits."""

    programmes: FakeProgrammeRepository
    principles: FakePrinciplesRepository
    applicants: FakeApplicantCopyRepository
    departments: FakeDepartmentCopyRepository
    liaisons: FakeLiaisonCopyRepository
    rounds: FakeRoundRepository
    applications: FakeApplicationRepository
    decisions: FakeDecisionRepository
    usage_reports: FakeUsageReportRepository

    def _open_fakes(self) -> None:
        self.programmes = FakeProgrammeRepository()
        self.principles = FakePrinciplesRepository()
        self.applicants = FakeApplicantCopyRepository()
        self.departments = FakeDepartmentCopyRepository()
        self.liaisons = FakeLiaisonCopyRepository()
        self.rounds = FakeRoundRepository()
        self.applications = FakeApplicationRepository()
        self.decisions = FakeDecisionRepository()
        self.usage_reports = FakeUsageReportRepository()
        self.rounds.applications = self.applications
