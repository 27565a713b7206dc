"""The use cases of programmes and rounds on a unit of work without a database.

What the integration tests show over HTTP, here in milliseconds: a programme answers to a department and a
liaison contact the directory knows; a round opens and closes on time exactly once; scheduling follows the
round's rules; the events go out with the committed unit; a refused request commits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from grants.adapters.repository import DepartmentCopy, LiaisonCopy, PrinciplesVersion
from grants.domain.application import Application, ApplicationState
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.service_layer import programmes, rounds
from shared.auth import Principal, Role
from shared.auth.principal import ANONYMOUS
from shared.contracts.directory import ApplicantKind, LiaisonKind
from shared.contracts.grants import (
    GrantKind,
    GrantProgrammeCreated,
    GrantRoundClosed,
    GrantRoundOpened,
    GrantRoundScheduled,
    Intake,
)
from shared.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from shared.testing.clock import MovableClock

from ..fakes import FakeGrantsUnitOfWork

NOW = datetime(2027, 1, 4, 10, tzinfo=UTC)  # Monday noon in Helsinki (UTC+2)
DEPARTMENT = "culture"
STAFF = Principal(subject="staff-culture", role=Role.STAFF, department=DEPARTMENT)
OTHER = Principal(subject="staff-sports", role=Role.STAFF, department="sports")
ADMIN = Principal(subject="admin", role=Role.ADMIN)


@dataclass
class Setting:
    """A fake unit of work knowing the department, holding one programme with its first principles."""

    uow: FakeGrantsUnitOfWork
    programme: Programme

    def round_fields(self, **overrides: Any) -> dict[str, Any]:
        return {
            "year": 2027,
            "opens_at": datetime(2027, 1, 10, 9),  # Helsinki wall-clock time
            "closes_at": datetime(2027, 2, 28, 16),
            "appropriation_cents": 1_000_000,
        } | overrides

    async def draft(self, **overrides: Any) -> Round:
        return await rounds.create_round(
            self.uow, actor=STAFF, programme_id=self.programme.id, fields=self.round_fields(**overrides)
        )

    async def scheduled(self, **overrides: Any) -> Round:
        made = await self.draft(**overrides)
        return await rounds.schedule_round(self.uow, actor=STAFF, round_id=made.id, now=NOW)

    async def stored(self, round_id: uuid.UUID) -> Round:
        found: Round | None = await self.uow.rounds.get(round_id)
        assert found is not None
        return found


def programme_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Toiminta-avustus",
        "kind": GrantKind.OPERATING,
        "intake": Intake.YEARLY_ROUND,
        "department_code": DEPARTMENT,
        "eligible_kinds": [ApplicantKind.REGISTERED_ASSOCIATION],
        "fields_of_activity": ["culture"],
    } | overrides


async def empty_uow() -> FakeGrantsUnitOfWork:
    uow = FakeGrantsUnitOfWork(MovableClock(NOW))
    await uow.departments.add(DepartmentCopy(uuid.uuid4(), DEPARTMENT, "Kulttuuri"))
    return uow


async def setting() -> Setting:
    uow = await empty_uow()
    programme = Programme(id=uuid.uuid4(), **programme_fields())
    await uow.programmes.add(programme)
    await uow.principles.add(PrinciplesVersion(uuid.uuid4(), programme.id, 1, "Periaatteet", "...", date(2026, 11, 1)))
    return Setting(uow, programme)


def refused_without_a_trace(uow: FakeGrantsUnitOfWork, commits: int) -> None:
    assert uow.commits == commits and uow.events == []


# -- programmes -------------------------------------------------------------------------------------------
async def test_a_programme_of_a_known_department_is_created_and_announced() -> None:
    uow = await empty_uow()
    liaison = LiaisonCopy(uuid.uuid4(), LiaisonKind.PROGRAMME_CONTACT, None, None, assigned=True)
    await uow.liaisons.add(liaison)
    made = await programmes.create_programme(
        uow, actor=STAFF, fields=programme_fields(responsible_liaison_id=liaison.id)
    )
    assert await uow.programmes.get(made.id) == made and uow.commits == 1
    [event] = uow.emitted(GrantProgrammeCreated)
    assert event.programme_id == made.id and event.department_code == DEPARTMENT


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"department_code": "no-such"}, "department_code"),
        ({"responsible_liaison_id": uuid.UUID(int=1)}, "responsible_liaison_id"),  # unknown
        ({"responsible_liaison_id": uuid.UUID(int=2)}, "responsible_liaison_id"),  # no longer in the role
        ({"responsible_liaison_id": uuid.UUID(int=3)}, "responsible_liaison_id"),  # only its removal is known
    ],
)
async def test_a_programme_names_only_what_the_directory_knows(fields: dict[str, Any], field: str) -> None:
    uow = await empty_uow()
    await uow.liaisons.add(LiaisonCopy(uuid.UUID(int=2), LiaisonKind.PROGRAMME_CONTACT, None, None, assigned=False))
    await uow.liaisons.add(LiaisonCopy(uuid.UUID(int=3), None, None, None, assigned=False))
    actor = ADMIN if "department_code" in fields else STAFF
    with pytest.raises(InvalidInput) as refused:
        await programmes.create_programme(uow, actor=actor, fields=programme_fields(**fields))
    assert refused.value.field == field
    refused_without_a_trace(uow, 0)
    assert uow.programmes.rows == {}


async def test_only_the_departments_staff_create_its_programmes() -> None:
    uow = await empty_uow()
    with pytest.raises(Forbidden):
        await programmes.create_programme(uow, actor=OTHER, fields=programme_fields())
    refused_without_a_trace(uow, 0)


async def test_principles_are_versioned_by_the_department() -> None:
    s = await setting()
    adopted = await programmes.adopt_principles(
        s.uow, actor=STAFF, programme_id=s.programme.id, title="2028", body="...", adopted_on=date(2027, 11, 1)
    )
    assert adopted.version == 2 and s.uow.commits == 1
    with pytest.raises(Forbidden):
        await programmes.adopt_principles(
            s.uow, actor=OTHER, programme_id=s.programme.id, title="x", body="x", adopted_on=date(2027, 11, 1)
        )
    listed = await programmes.list_principles(s.uow, programme_id=s.programme.id)
    assert [p.version for p in listed] == [1, 2] and s.uow.commits == 1


# -- creating and scheduling a round ------------------------------------------------------------------------
async def test_a_draft_round_takes_helsinki_times_and_the_newest_principles() -> None:
    s = await setting()
    made = await s.draft(closes_at=None)
    assert made.state is RoundState.DRAFT and made.opens_at == datetime(2027, 1, 10, 7, tzinfo=UTC)
    assert made.closes_at == Round.year_end(2027)  # continuous until the year's end unless it closes earlier
    [principles] = await s.uow.principles.of_programme(s.programme.id)
    assert made.principles_version_id == principles.id
    assert s.uow.commits == 1 and s.uow.events == []  # a draft tells nobody


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"opens_at": datetime(2028, 1, 10, 9)}, "opens_at"),
        ({"closes_at": datetime(2027, 1, 9, 9)}, "closes_at"),
        ({"principles_version": 7}, "principles_version"),
        ({"decision_deadline": date(2027, 2, 1)}, "decision_deadline"),
    ],
)
async def test_bad_round_input_names_the_field_and_commits_nothing(overrides: dict[str, Any], field: str) -> None:
    s = await setting()
    with pytest.raises(InvalidInput) as refused:
        await s.draft(**overrides)
    assert refused.value.field == field
    refused_without_a_trace(s.uow, 0)
    assert s.uow.rounds.rows == {}


async def test_a_round_needs_principles_and_its_own_department() -> None:
    s = await setting()
    s.uow.principles.rows.clear()
    with pytest.raises(InvalidInput) as refused:
        await s.draft()
    assert refused.value.field == "programme_id"
    with pytest.raises(Forbidden):
        await rounds.create_round(s.uow, actor=OTHER, programme_id=s.programme.id, fields=s.round_fields())
    with pytest.raises(NotFound):
        await rounds.create_round(s.uow, actor=STAFF, programme_id=uuid.uuid4(), fields=s.round_fields())
    refused_without_a_trace(s.uow, 0)


async def test_scheduling_announces_the_dates_once() -> None:
    s = await setting()
    made = await s.scheduled()
    assert made.state is RoundState.SCHEDULED and s.uow.commits == 2
    [event] = s.uow.emitted(GrantRoundScheduled)
    assert (event.round_id, event.opens_at, event.closes_at) == (made.id, made.opens_at, made.closes_at)
    with pytest.raises(Conflict):
        await rounds.schedule_round(s.uow, actor=STAFF, round_id=made.id, now=NOW)
    assert s.uow.commits == 2 and len(s.uow.emitted(GrantRoundScheduled)) == 1


async def test_a_round_whose_period_is_over_is_not_scheduled() -> None:
    s = await setting()
    made = await s.draft()
    with pytest.raises(InvalidInput) as refused:
        await rounds.schedule_round(s.uow, actor=STAFF, round_id=made.id, now=made.closes_at)
    assert refused.value.field == "closes_at" and (await s.stored(made.id)).state is RoundState.DRAFT
    refused_without_a_trace(s.uow, 1)


async def test_a_scheduled_round_moves_with_a_new_announcement_but_an_open_one_stays() -> None:
    s = await setting()
    made = await s.scheduled()
    moved = await rounds.update_round(
        s.uow, actor=STAFF, round_id=made.id, changes={"opens_at": datetime(2027, 1, 11, 9)}
    )
    assert moved.opens_at == datetime(2027, 1, 11, 7, tzinfo=UTC)
    assert [e.opens_at for e in s.uow.emitted(GrantRoundScheduled)] == [made.opens_at, moved.opens_at]
    await rounds.open_due_rounds(s.uow, moved.opens_at)
    commits = s.uow.commits
    with pytest.raises(Conflict):
        await rounds.update_round(s.uow, actor=STAFF, round_id=made.id, changes={"appropriation_cents": 5})
    assert s.uow.commits == commits and (await s.stored(made.id)).appropriation_cents == 1_000_000


# -- on time, by itself -------------------------------------------------------------------------------------------
async def test_a_round_opens_on_time_exactly_once() -> None:
    s = await setting()
    made = await s.scheduled()
    assert await rounds.open_due_rounds(s.uow, made.opens_at - timedelta(seconds=1)) == 0
    assert (await s.stored(made.id)).state is RoundState.SCHEDULED and s.uow.emitted(GrantRoundOpened) == []
    assert await rounds.open_due_rounds(s.uow, made.opens_at) == 1  # on the second
    assert await rounds.open_due_rounds(s.uow, made.opens_at + timedelta(minutes=1)) == 0
    opened = await s.stored(made.id)
    assert opened.state is RoundState.OPEN and opened.opened_at == made.opens_at
    [event] = s.uow.emitted(GrantRoundOpened)
    assert event.round_id == made.id and event.eligible_kinds == [ApplicantKind.REGISTERED_ASSOCIATION]
    assert event.fields_of_activity == ["culture"]


async def test_a_round_closes_on_time_exactly_once_and_counts_what_was_submitted() -> None:
    s = await setting()
    made = await s.scheduled()
    await rounds.open_due_rounds(s.uow, made.opens_at)
    for state, submitted_at in [
        (ApplicationState.SUBMITTED, NOW),
        (ApplicationState.WITHDRAWN, NOW),  # it was received all the same
        (ApplicationState.DRAFT, None),
    ]:
        await s.uow.applications.add(
            Application(uuid.uuid4(), made.id, uuid.uuid4(), "Toiminta", 1_000, "rep", state=state,
                        submitted_at=submitted_at)
        )  # fmt: skip
    assert await rounds.close_due_rounds(s.uow, made.closes_at - timedelta(seconds=1)) == 0
    assert await rounds.close_due_rounds(s.uow, made.closes_at) == 1
    assert await rounds.close_due_rounds(s.uow, made.closes_at + timedelta(days=1)) == 0
    closed = await s.stored(made.id)
    assert closed.state is RoundState.CLOSED and closed.closed_at == made.closes_at
    [event] = s.uow.emitted(GrantRoundClosed)
    assert event.round_id == made.id and event.applications_submitted == 2 and event.closed_at == made.closes_at


async def test_a_draft_never_opens_by_itself() -> None:
    s = await setting()
    made = await s.draft()
    commits = s.uow.commits
    assert await rounds.open_due_rounds(s.uow, made.opens_at + timedelta(days=1)) == 0
    assert (await s.stored(made.id)).state is RoundState.DRAFT and s.uow.commits == commits + 1
    assert s.uow.events == []


# -- who sees a draft ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        (STAFF, True),
        (ADMIN, True),
        (OTHER, False),
        (ANONYMOUS, False),
        (Principal(subject="rep", role=Role.ASSOCIATION, association_ids=frozenset({uuid.uuid4()})), False),
    ],
)
async def test_a_draft_is_read_back_by_its_department_and_admins_only(actor: Principal, sees: bool) -> None:
    s = await setting()
    made = await s.draft()
    if sees:
        shown = await rounds.get_round(s.uow, actor=actor, round_id=made.id)
        assert shown.round.id == made.id and shown.money
    else:
        with pytest.raises(NotFound):
            await rounds.get_round(s.uow, actor=actor, round_id=made.id)
        with pytest.raises(DomainError):  # nor moved: not there at all for another department
            await rounds.schedule_round(s.uow, actor=actor, round_id=made.id, now=NOW)
    assert (await s.stored(made.id)).state is RoundState.DRAFT


async def test_a_yearly_rounds_money_is_the_departments_until_published() -> None:
    s = await setting()
    made = await s.scheduled()
    assert not (await rounds.get_round(s.uow, actor=ANONYMOUS, round_id=made.id)).money
    assert (await rounds.get_round(s.uow, actor=STAFF, round_id=made.id)).money
