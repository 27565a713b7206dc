"""The use cases of applications, decisions and usage reports on a unit of work without a database.

What the integration tests show over HTTP, here in milliseconds: who may act, what moves the appropriation,
which events a committed unit emits, and that a refused request commits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from grants.adapters.repository import ApplicantCopy
from grants.domain.application import Application, ApplicationState
from grants.domain.budget import BudgetLine, LineKind
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.domain.usage_report import UsageReport, UsageReportState
from grants.service_layer import applications, decisions, usage_reports
from shared.auth import Principal, Role
from shared.contracts.directory import ApplicantKind
from shared.contracts.grants import (
    ApplicationDecided,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    GrantKind,
    Intake,
    UsageReportSubmitted,
)
from shared.errors import Conflict, Forbidden, NotFound
from shared.testing.clock import MovableClock

from ..fakes import FakeGrantsUnitOfWork

NOW = datetime(2027, 3, 1, 10, tzinfo=UTC)
DEPARTMENT = "culture"


def representative(*applicant_ids: uuid.UUID) -> Principal:
    return Principal(subject="rep", role=Role.ASSOCIATION, association_ids=frozenset(applicant_ids))


def staff(department: str = DEPARTMENT) -> Principal:
    return Principal(subject=f"staff-{department}", role=Role.STAFF, department=department)


@dataclass
class Setting:
    """A fake unit of work holding one programme, its open round and an active applicant."""

    uow: FakeGrantsUnitOfWork
    programme: Programme
    round: Round
    applicant_id: uuid.UUID

    @property
    def me(self) -> Principal:
        return representative(self.applicant_id)

    async def applicant(self) -> uuid.UUID:
        copy = ApplicantCopy(uuid.uuid4(), ApplicantKind.REGISTERED_ASSOCIATION, "Seura ry", active=True, revision=1)
        await self.uow.applicants.add(copy)
        return copy.id

    def fields(self, cents: int = 30_000, applicant_id: uuid.UUID | None = None) -> dict[str, Any]:
        return {
            "round_id": self.round.id,
            "applicant_id": applicant_id or self.applicant_id,
            "purpose": "Kesäleiri nuorille",
            "requested_cents": cents,
            "budget": [BudgetLine(LineKind.EXPENSE, "Tarvikkeet", cents)],
        }

    async def draft(self, cents: int = 30_000, applicant_id: uuid.UUID | None = None) -> Application:
        who = applicant_id or self.applicant_id
        return await applications.create_application(
            self.uow, actor=representative(who), now=NOW, fields=self.fields(cents, who)
        )

    async def submitted(self, cents: int = 30_000, applicant_id: uuid.UUID | None = None) -> Application:
        made = await self.draft(cents, applicant_id)
        who = representative(applicant_id or self.applicant_id)
        return await applications.submit_application(self.uow, actor=who, application_id=made.id, now=NOW)

    async def reserved(self) -> int:
        found: Round | None = await self.uow.rounds.get(self.round.id)
        assert found is not None
        return found.reserved_cents


async def setting(*, intake: Intake = Intake.CONTINUOUS, appropriation_cents: int = 60_000) -> Setting:
    uow = FakeGrantsUnitOfWork(MovableClock(NOW))
    programme = Programme(
        id=uuid.uuid4(),
        name="Kevytavustus",
        kind=GrantKind.LIGHT if intake is Intake.CONTINUOUS else GrantKind.OPERATING,
        intake=intake,
        department_code=DEPARTMENT,
        eligible_kinds=[ApplicantKind.REGISTERED_ASSOCIATION],
        max_amount_cents=100_000 if intake is Intake.CONTINUOUS else None,
    )
    round_ = Round(
        id=uuid.uuid4(),
        programme_id=programme.id,
        year=NOW.year,
        principles_version_id=uuid.uuid4(),
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=30),
        appropriation_cents=appropriation_cents,
        state=RoundState.OPEN,
    )
    await uow.programmes.add(programme)
    await uow.rounds.add(round_)
    made = Setting(uow, programme, round_, uuid.uuid4())
    await uow.applicants.add(
        ApplicantCopy(made.applicant_id, ApplicantKind.REGISTERED_ASSOCIATION, "Porin Soutajat ry", True, 1)
    )
    return made


# -- the applicant ----------------------------------------------------------------------------------------
async def test_a_draft_is_stored_and_tells_nobody() -> None:
    s = await setting()
    made = await s.draft()
    stored = await s.uow.applications.get(made.id)
    assert stored is not None and stored.state is ApplicationState.DRAFT and stored.created_by == "rep"
    assert s.uow.commits == 1 and s.uow.events == []
    assert await s.reserved() == 0  # a draft holds no money


async def test_only_the_applicants_own_representative_drafts() -> None:
    s = await setting()
    with pytest.raises(Forbidden):
        await applications.create_application(s.uow, actor=representative(uuid.uuid4()), now=NOW, fields=s.fields())
    assert s.uow.commits == 0 and s.uow.applications.rows == {}


async def test_submitting_holds_the_requested_amount_and_says_so() -> None:
    s = await setting()
    sent = await s.submitted(30_000)
    assert sent.state is ApplicationState.SUBMITTED and sent.submitted_at == NOW
    assert await s.reserved() == 30_000
    [event] = s.uow.emitted(ApplicationSubmitted)
    assert event.application_id == sent.id and event.requested_cents == 30_000
    assert event.programme_id == s.programme.id


async def test_when_the_appropriation_runs_out_the_submission_is_refused_and_nothing_is_committed() -> None:
    s = await setting(appropriation_cents=60_000)
    await s.submitted(40_000)
    late = await s.draft(30_000, await s.applicant())
    commits, events = s.uow.commits, list(s.uow.events)

    with pytest.raises(Conflict) as refused:
        await applications.submit_application(
            s.uow, actor=representative(late.applicant_id), application_id=late.id, now=NOW
        )
    assert refused.value.status == 409 and refused.value.field == "requested_cents"
    assert "appropriation is used up" in refused.value.message and "200.00 EUR" in refused.value.message
    assert s.uow.commits == commits and s.uow.events == events
    stored = await s.uow.applications.get(late.id)
    assert stored is not None and stored.state is ApplicationState.DRAFT and stored.submitted_at is None
    assert await s.reserved() == 40_000


async def test_withdrawing_gives_the_money_back() -> None:
    s = await setting()
    sent = await s.submitted(30_000)
    withdrawn = await applications.withdraw_application(s.uow, actor=s.me, application_id=sent.id)
    assert withdrawn.state is ApplicationState.WITHDRAWN and await s.reserved() == 0
    [event] = s.uow.emitted(ApplicationWithdrawn)
    assert event.application_id == sent.id
    with pytest.raises(Conflict):
        await applications.withdraw_application(s.uow, actor=s.me, application_id=sent.id)


async def test_a_discarded_draft_is_withdrawn_without_news() -> None:
    s = await setting()
    made = await s.draft()
    await applications.withdraw_application(s.uow, actor=s.me, application_id=made.id)
    assert s.uow.emitted(ApplicationWithdrawn) == [] and await s.reserved() == 0


async def test_someone_elses_application_does_not_exist_for_them() -> None:
    s = await setting()
    made = await s.draft()
    with pytest.raises(NotFound):
        await applications.withdraw_application(s.uow, actor=representative(uuid.uuid4()), application_id=made.id)
    with pytest.raises(NotFound):
        await applications.get_application(s.uow, actor=staff(), application_id=made.id)  # a draft is theirs


# -- decisions --------------------------------------------------------------------------------------------
async def test_a_decision_moves_money_within_the_appropriation() -> None:
    s = await setting(intake=Intake.YEARLY_ROUND, appropriation_cents=50_000)
    first, second = await s.submitted(40_000), await s.submitted(30_000, await s.applicant())
    assert await s.reserved() == 0  # a yearly round holds money only for decisions
    s.round.state = RoundState.CLOSED
    await s.uow.rounds.save(s.round)

    app, made = await decisions.decide(
        s.uow, actor=staff(), application_id=first.id, approved_cents=35_000, rationale="Hyvä.", now=NOW
    )
    assert app.state is ApplicationState.DECIDED and made.approved_cents == 35_000
    assert await s.reserved() == 35_000
    [event] = s.uow.emitted(ApplicationDecided)
    assert event.approved_cents == 35_000 and event.requested_cents == 40_000

    commits = s.uow.commits
    with pytest.raises(Conflict) as refused:
        await decisions.decide(
            s.uow, actor=staff(), application_id=second.id, approved_cents=20_000, rationale="Hyvä.", now=NOW
        )
    assert refused.value.field == "approved_cents" and "150.00 EUR remains" in refused.value.message
    assert s.uow.commits == commits and await s.uow.decisions.get(second.id) is None
    stored = await s.uow.applications.get(second.id)
    assert stored is not None and stored.state is ApplicationState.SUBMITTED

    await decisions.decide(  # re-deciding moves only the difference
        s.uow, actor=staff(), application_id=first.id, approved_cents=30_000, rationale="Hyvä.", now=NOW
    )
    await decisions.decide(
        s.uow, actor=staff(), application_id=second.id, approved_cents=20_000, rationale="Hyvä.", now=NOW
    )
    assert await s.reserved() == 50_000


async def test_a_smaller_light_grant_releases_the_rest_and_other_departments_may_not_decide() -> None:
    s = await setting()
    sent = await s.submitted(30_000)
    with pytest.raises(Forbidden):
        await decisions.decide(
            s.uow, actor=staff("sports"), application_id=sent.id, approved_cents=1, rationale="x", now=NOW
        )
    await decisions.decide(
        s.uow, actor=staff(), application_id=sent.id, approved_cents=10_000, rationale="Osittain.", now=NOW
    )
    assert await s.reserved() == 10_000


# -- usage reports ----------------------------------------------------------------------------------------
async def _report(s: Setting, *, department: str = DEPARTMENT) -> UsageReport:
    report = UsageReport(
        id=uuid.uuid4(),
        application_id=uuid.uuid4(),
        applicant_id=s.applicant_id,
        due_date=date(2027, 6, 30),
        department_code=department,
        round_id=s.round.id,
        programme_id=s.programme.id,
        approved_cents=30_000,
    )
    await s.uow.usage_reports.add(report)
    return report


async def test_the_grantee_submits_its_usage_report() -> None:
    s = await setting()
    report = await _report(s)
    done = await usage_reports.submit_report(
        s.uow, actor=s.me, report_id=report.id, spent_cents=29_000, narrative=" Leiri pidettiin. ", now=NOW
    )
    assert done.state is UsageReportState.SUBMITTED and done.narrative == "Leiri pidettiin."
    stored = await s.uow.usage_reports.get(report.id)
    assert stored is not None and stored.submitted_at == NOW and stored.spent_cents == 29_000
    [event] = s.uow.emitted(UsageReportSubmitted)
    assert event.report_id == report.id and event.spent_cents == 29_000 and s.uow.commits == 1


async def test_a_usage_report_is_read_by_its_department_only() -> None:
    s = await setting()
    report = await _report(s)
    assert (await usage_reports.get_report(s.uow, actor=staff(), report_id=report.id)).id == report.id
    with pytest.raises(Forbidden):
        await usage_reports.get_report(s.uow, actor=staff("sports"), report_id=report.id)
    with pytest.raises(NotFound):
        await usage_reports.get_report(s.uow, actor=representative(uuid.uuid4()), report_id=report.id)
    with pytest.raises(Forbidden):  # staff read it, but only the grantee reports
        await usage_reports.submit_report(
            s.uow, actor=staff(), report_id=report.id, spent_cents=1, narrative="x", now=NOW
        )
    assert s.uow.commits == 0 and s.uow.events == []
