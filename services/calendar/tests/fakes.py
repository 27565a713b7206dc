"""The calendar's unit of work without a database, for fast tests of the use cases (``tests/unit``).

The fake schedule applies the same guard as ``shared.copies`` does in SQL: a whole record is written only when
newer than the record the row holds, the state only when newer than anything the row has seen, and a state
arriving first leaves a placeholder.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from calendar_service.adapters.copies import INVITED_KINDS, AssociationCopy, AssociationCopyRepository
from calendar_service.adapters.repository import (
    ClockEntryRepository,
    ProgrammeCopy,
    ProgrammeCopyRepository,
    ScheduleQuery,
    ScheduleRepository,
)
from calendar_service.adapters.surveys import AnswerRepository, InvitationRepository, SurveyRepository
from calendar_service.domain.annual_clock import Audience, Category, ClockEntry
from calendar_service.domain.schedule import EntryState, ScheduleEntry, SourceKind
from calendar_service.domain.survey import Invitation, Survey, SurveyState
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.contracts.directory import ApplicantKind
from shared.testing.uow import FakeUnitOfWorkMixin, InMemoryRepository

ENUMS: dict[str, Any] = {"kind": SourceKind, "category": Category, "audience": Audience, "state": EntryState}


class FakeClockEntryRepository(InMemoryRepository[ClockEntry], ClockEntryRepository):
    """``updated_at`` moves with every write, as the database's default does."""

    async def add(self, obj: ClockEntry) -> None:
        obj.created_at = obj.updated_at = datetime.now(UTC)
        await super().add(obj)

    async def save(self, obj: ClockEntry) -> None:
        obj.updated_at = datetime.now(UTC)
        await super().save(obj)

    async def all_active(self) -> list[ClockEntry]:
        return [copy.deepcopy(e) for e in self.rows.values() if e.active]


class FakeScheduleRepository(ScheduleRepository):
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, dict[str, Any]] = {}

    async def put(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        row = self.rows.get(id_)
        if row is not None and row["record_revision"] is not None and row["record_revision"] >= revision:
            return False
        state_newer = row is None or row["revision"] < revision
        new = dict(row or {}) | dict(values) | {"id": id_, "record_revision": revision}
        if not state_newer:
            new["state"] = row["state"]  # type: ignore[index]
        new["revision"] = max(revision, row["revision"] if row else revision)
        self.rows[id_] = new
        return True

    async def put_state(self, id_: uuid.UUID, revision: int, state: EntryState) -> bool:
        row = self.rows.get(id_)
        if row is None:
            self.rows[id_] = {"id": id_, "revision": revision, "record_revision": None, "state": state.value}
            return True
        if row["revision"] >= revision:
            return False
        row |= {"state": state.value, "revision": revision}
        return True

    async def remove_planned(self, year: int, keep: set[uuid.UUID]) -> list[ScheduleEntry]:
        stale = [
            i for i, r in self.rows.items() if r.get("kind") == "clock" and r.get("year") == year and i not in keep
        ]
        return [self.entry(self.rows.pop(i)) for i in stale]

    async def planned(self, year: int) -> list[ScheduleEntry]:
        return [self.entry(r) for r in self.rows.values() if r.get("kind") == "clock" and r.get("year") == year]

    def entry(self, row: dict[str, Any]) -> ScheduleEntry:
        names = {f.name for f in dataclasses.fields(ScheduleEntry)}
        values: dict[str, Any] = {n: row.get(n) for n in names} | {"revision": row["revision"]}
        for name, enum in ENUMS.items():
            if values[name] is not None:
                values[name] = enum(values[name])
        return ScheduleEntry(**values)

    async def get(self, id_: uuid.UUID) -> ScheduleEntry | None:
        return self.entry(self.rows[id_]) if id_ in self.rows else None

    async def search(self, q: ScheduleQuery, *, limit: int, offset: int) -> tuple[list[ScheduleEntry], int]:
        found = [self.entry(r) for r in self.rows.values() if r.get("starts_on") is not None]
        found = [
            e
            for e in found
            if (q.everything or e.public or e.association_id in q.association_ids)
            and (q.year is None or e.year == q.year)
            and (q.category is None or e.category is q.category)
            and (q.from_date is None or (e.ends_on is not None and e.ends_on >= q.from_date))
        ]
        found = [e for e in found if not (e.kind is SourceKind.NEWSLETTER and e.state is EntryState.CANCELLED)]
        fulfilled = {(e.clock_entry_id, e.year) for e in found if e.kind is not SourceKind.CLOCK and e.clock_entry_id}
        found = [e for e in found if e.kind is not SourceKind.CLOCK or (e.clock_entry_id, e.year) not in fulfilled]
        found.sort(key=lambda e: (e.starts_on, e.kind.value, e.id))
        return found[offset : offset + limit], len(found)


class FakeProgrammeCopyRepository(ProgrammeCopyRepository):
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, ProgrammeCopy] = {}

    async def put_record(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        known = self.rows.get(id_)
        if known is not None and known.revision >= revision:
            return False
        self.rows[id_] = ProgrammeCopy(id=id_, revision=revision, **values)
        return True

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, ProgrammeCopy]:
        return {i: self.rows[i] for i in ids if i in self.rows}


class FakeSurveyRepository(InMemoryRepository[Survey], SurveyRepository):
    async def lock(self, survey_id: uuid.UUID) -> Survey | None:
        return await self.get(survey_id)

    async def due_to_close(self, now: datetime, *, limit: int = 100) -> list[Survey]:
        due = [s for s in self.rows.values() if s.state is SurveyState.OPEN and s.closes_at <= now]
        return copy.deepcopy(due[:limit])


class FakeInvitationRepository(InvitationRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Invitation] = {}

    async def add_all(self, invitations: Sequence[Invitation]) -> None:
        self.rows |= {i.token_hash: copy.deepcopy(i) for i in invitations}

    async def page(self, survey_id: uuid.UUID, *, after: uuid.UUID | None, limit: int) -> list[Invitation]:
        found = sorted((i for i in self.rows.values() if i.survey_id == survey_id), key=lambda i: i.id)
        return copy.deepcopy([i for i in found if after is None or i.id > after][:limit])

    async def lock(self, survey_id: uuid.UUID, token_hash: str) -> Invitation | None:
        found = self.rows.get(token_hash)
        return copy.deepcopy(found) if found is not None and found.survey_id == survey_id else None

    async def mark_used(self, invitation: Invitation) -> None:
        self.rows[invitation.token_hash].used = True

    async def count_used(self, survey_id: uuid.UUID) -> int:
        return sum(1 for i in self.rows.values() if i.survey_id == survey_id and i.used)


class FakeAnswerRepository(AnswerRepository):
    def __init__(self) -> None:
        self.rows: list[tuple[uuid.UUID, date, dict[str, Any]]] = []

    async def add(self, survey_id: uuid.UUID, answered_on: date, answers: dict[str, Any]) -> None:
        self.rows.append((survey_id, answered_on, copy.deepcopy(answers)))

    async def of_survey(self, survey_id: uuid.UUID) -> list[dict[str, Any]]:
        return [copy.deepcopy(a) for s, _, a in self.rows if s == survey_id]


class FakeAssociationCopyRepository(AssociationCopyRepository):
    """Whole records only, newest revision wins (the guard's status half is tested on PostgreSQL)."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, AssociationCopy] = {}

    async def put_record(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        known = self.rows.get(id_)
        if known is not None and known.revision >= revision:
            return False
        kind = ApplicantKind(values["kind"])
        self.rows[id_] = AssociationCopy(id_, kind, values["active"], values["fields_of_activity"], revision)
        return True

    async def put_status(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        known = self.rows.get(id_)
        if known is None:
            self.rows[id_] = AssociationCopy(id_, None, values["active"], None, revision)
        elif known.revision < revision:
            known.active, known.revision = values["active"], revision
        else:
            return False
        return True

    async def invited_ids(self, *, limit: int) -> list[uuid.UUID]:
        found = sorted(i for i, a in self.rows.items() if a.active and a.kind in INVITED_KINDS)
        return found[:limit]


class FakeCalendarUnitOfWork(FakeUnitOfWorkMixin, CalendarUnitOfWork):
    clock_entries: FakeClockEntryRepository
    schedule: FakeScheduleRepository
    programmes: FakeProgrammeCopyRepository
    surveys: FakeSurveyRepository
    invitations: FakeInvitationRepository
    answers: FakeAnswerRepository
    applicants: FakeAssociationCopyRepository

    def _open_fakes(self) -> None:
        self.clock_entries = FakeClockEntryRepository()
        self.schedule = FakeScheduleRepository()
        self.programmes = FakeProgrammeCopyRepository()
        self.surveys = FakeSurveyRepository()
        self.invitations = FakeInvitationRepository()
        self.answers = FakeAnswerRepository()
        self.applicants = FakeAssociationCopyRepository()
