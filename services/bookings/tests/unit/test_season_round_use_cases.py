"""The seasonal rounds' use cases on a unit of work without a database: who may do what, the jobs acting on
time once, the events going out with the committed unit, and a refused request committing nothing."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bookings.adapters.copies import ApplicantCopy, DepartmentCopy
from bookings.domain.allocation_model import DEFAULT_AGE_GROUP_PERCENT, Weights
from bookings.domain.facility import Facility
from bookings.domain.opening import Hours
from bookings.domain.season_round import SeasonRoundState
from bookings.service_layer import season_applications, season_proposals, season_rounds
from shared.auth import Principal, Role
from shared.contracts.bookings import SeasonRoundClosed, SeasonRoundOpened
from shared.contracts.directory import ApplicantKind
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound

from .season_fakes import FakeSeasonUnitOfWork

pytestmark = pytest.mark.unit
NOW = datetime(2027, 2, 1, 10, tzinfo=UTC)
DEPARTMENT = "liikunta"
STAFF = Principal(subject="staff-liikunta", role=Role.STAFF, department=DEPARTMENT)
OTHER = Principal(subject="staff-kulttuuri", role=Role.STAFF, department="kulttuuri")


def setting() -> tuple[FakeSeasonUnitOfWork, Facility]:
    uow = FakeSeasonUnitOfWork()
    uow.departments.rows[uuid.uuid4()] = DepartmentCopy(uuid.uuid4(), DEPARTMENT, "Liikuntatoimi")
    hall = Facility(
        id=uuid.uuid4(), name="Sali", department_code=DEPARTMENT, address="Katu 1", capacity=40,
        purposes=["gym"], weekly_hours={d: Hours(time(8), time(22)) for d in ("mon", "tue", "wed")},
    )  # fmt: skip
    uow.facilities.rows[hall.id] = hall
    return uow, hall


def fields(hall: Facility, **overrides: Any) -> dict[str, Any]:
    return {
        "department_code": DEPARTMENT,
        "name": "Vakiovuorot 2027–2028",
        "opens_at": NOW + timedelta(days=1),
        "closes_at": NOW + timedelta(days=30),
        "season_starts_on": date(2027, 8, 16),
        "season_ends_on": date(2028, 5, 31),
        "facility_ids": [hall.id],
    } | overrides


def club(uow: FakeSeasonUnitOfWork, *, active: bool = True) -> Principal:
    applicant_id = uuid.uuid4()
    uow.applicants.rows[applicant_id] = ApplicantCopy(
        applicant_id, ApplicantKind.REGISTERED_ASSOCIATION, "Seura", active
    )
    return Principal(subject=f"rep-{applicant_id}", role=Role.ASSOCIATION, association_ids=frozenset({applicant_id}))


def wish(hall: Facility, **overrides: Any) -> dict[str, Any]:
    return {
        "facility_id": hall.id, "facility_kind": None, "weekdays": ("mon",), "earliest": time(17),
        "latest": time(20), "duration_minutes": 90, "weekly_count": 1, "purpose": "",
    } | overrides  # fmt: skip


async def test_only_the_departments_staff_make_a_round_of_its_own_facilities() -> None:
    uow, hall = setting()
    with pytest.raises(Forbidden):
        await season_rounds.create_season_round(uow, actor=OTHER, fields=fields(hall))
    with pytest.raises(InvalidInput) as exc:
        await season_rounds.create_season_round(uow, actor=STAFF, fields=fields(hall, facility_ids=[uuid.uuid4()]))
    assert exc.value.field == "facility_ids.0"
    assert uow.commits == 0
    made = await season_rounds.create_season_round(uow, actor=STAFF, fields=fields(hall, principles="Lapset ensin."))
    assert uow.season_rounds.principles == {(made.id, 1): "Lapset ensin."}
    with pytest.raises(NotFound):
        await season_rounds.get_season_round(uow, actor=OTHER, round_id=made.id)  # another's draft is not there


async def test_the_jobs_open_and_close_a_round_once_with_one_event_each() -> None:
    uow, hall = setting()
    made = await season_rounds.create_season_round(uow, actor=STAFF, fields=fields(hall))
    assert await season_rounds.open_due_season_rounds(uow, NOW) == 0
    opens = NOW + timedelta(days=1)
    assert await season_rounds.open_due_season_rounds(uow, opens) == 1
    assert await season_rounds.open_due_season_rounds(uow, opens) == 0
    [opened] = uow.emitted(SeasonRoundOpened)
    assert (opened.round_id, opened.principles_version) == (made.id, 1)
    closes = NOW + timedelta(days=30)
    assert await season_rounds.close_due_season_rounds(uow, closes - timedelta(seconds=1)) == 0
    assert await season_rounds.close_due_season_rounds(uow, closes) == 1
    assert await season_rounds.close_due_season_rounds(uow, closes) == 0
    [closed] = uow.emitted(SeasonRoundClosed)
    assert closed.applications_submitted == 0
    stored = await uow.season_rounds.get(made.id)
    assert stored is not None and stored.state is SeasonRoundState.CLOSED


async def test_an_application_is_refused_after_the_deadline_and_for_an_inactive_or_foreign_association() -> None:
    uow, hall = setting()
    made = await season_rounds.create_season_round(uow, actor=STAFF, fields=fields(hall))
    await season_rounds.open_season_round(uow, actor=STAFF, round_id=made.id, now=NOW)
    rep, sleeping = club(uow), club(uow, active=False)
    [mine] = rep.association_ids
    [theirs] = sleeping.association_ids
    with pytest.raises(Forbidden):
        await season_applications.create_application(
            uow, actor=rep, round_id=made.id, applicant_id=theirs, wishes=[wish(hall)], now=NOW
        )
    with pytest.raises(InvalidInput) as exc:
        await season_applications.create_application(
            uow, actor=sleeping, round_id=made.id, applicant_id=theirs, wishes=[wish(hall)], now=NOW
        )
    assert exc.value.field == "applicant_id"
    late = NOW + timedelta(days=30)
    with pytest.raises(Conflict):
        await season_applications.create_application(
            uow, actor=rep, round_id=made.id, applicant_id=mine, wishes=[wish(hall)], now=late
        )
    assert len(uow.season_applications.rows) == 0
    application = await season_applications.create_application(
        uow, actor=rep, round_id=made.id, applicant_id=mine, wishes=[wish(hall)], now=NOW
    )
    with pytest.raises(Conflict):
        await season_applications.submit_application(uow, actor=rep, application_id=application.id, now=late)
    await season_applications.submit_application(uow, actor=rep, application_id=application.id, now=NOW)
    assert await uow.season_rounds.submitted_applications(made.id) == 1


async def test_the_proposal_of_a_closed_round_meets_the_wish_and_replaces_the_earlier_one() -> None:
    uow, hall = setting()
    made = await season_rounds.create_season_round(uow, actor=STAFF, fields=fields(hall))
    await season_rounds.open_season_round(uow, actor=STAFF, round_id=made.id, now=NOW)
    rep = club(uow)
    [mine] = rep.association_ids
    application = await season_applications.create_application(
        uow, actor=rep, round_id=made.id, applicant_id=mine, wishes=[wish(hall, weekdays=("mon", "sun"))], now=NOW
    )
    await season_applications.submit_application(uow, actor=rep, application_id=application.id, now=NOW)
    with pytest.raises(Conflict):
        await season_proposals.compute_proposal(uow, actor=STAFF, round_id=made.id, now=NOW, time_limit=5)
    await season_rounds.close_season_round(uow, actor=STAFF, round_id=made.id, now=NOW)
    with pytest.raises(Forbidden):
        await season_proposals.compute_proposal(uow, actor=OTHER, round_id=made.id, now=NOW, time_limit=5)
    proposal = await season_proposals.compute_proposal(uow, actor=STAFF, round_id=made.id, now=NOW, time_limit=5)
    assert [(s.weekday, s.end - s.start) for s in proposal.slots] == [("mon", 90)]  # the hall is closed on Sundays
    assert (proposal.wishes_met, proposal.wishes_total, proposal.hours_per_association()) == (1, 1, {mine: 1.5})
    again = await season_proposals.compute_proposal(uow, actor=STAFF, round_id=made.id, now=NOW, time_limit=5)
    assert (await season_proposals.get_proposal(uow, actor=STAFF, round_id=made.id)).slots == again.slots


async def test_staff_tune_the_rounds_weights_until_it_is_published_and_bad_ones_change_nothing() -> None:
    uow, hall = setting()
    made = await season_rounds.create_season_round(uow, actor=STAFF, fields=fields(hall))
    assert made.weights == Weights()  # the ADR's defaults
    await season_rounds.open_season_round(uow, actor=STAFF, round_id=made.id, now=NOW)
    with pytest.raises(Forbidden):
        await season_rounds.change_weights(uow, actor=OTHER, round_id=made.id, changes={"continuity_percent": 0})
    for changes, field in (
        ({"priority_step_percent": 101}, "priority_step_percent"),
        ({"age_group_percent": {"adults": 0}}, "age_group_percent"),
        ({"fair_share_percent": -1}, "fair_share_percent"),
    ):
        with pytest.raises(InvalidInput) as exc:
            await season_rounds.change_weights(uow, actor=STAFF, round_id=made.id, changes=changes)
        assert exc.value.field == field
    assert uow.season_rounds.rows[made.id].weights == Weights()
    changed = await season_rounds.change_weights(
        uow, actor=STAFF, round_id=made.id, changes={"age_group_percent": {"adults": 400}, "continuity_percent": 0}
    )
    assert changed.weights.age_group_percent == DEFAULT_AGE_GROUP_PERCENT | {"adults": 400}
    assert (changed.weights.continuity_percent, changed.weights.fair_share_percent) == (0, 50)
    assert uow.season_rounds.rows[made.id].weights == changed.weights
    await season_rounds.close_season_round(uow, actor=STAFF, round_id=made.id, now=NOW)
    proposal = await season_proposals.compute_proposal(uow, actor=STAFF, round_id=made.id, now=NOW, time_limit=5)
    assert proposal.weights == asdict(changed.weights)  # the proposal records what it weighed
    uow.season_rounds.rows[made.id].state = SeasonRoundState.PUBLISHED
    with pytest.raises(Conflict):
        await season_rounds.change_weights(uow, actor=STAFF, round_id=made.id, changes={"continuity_percent": 10})
