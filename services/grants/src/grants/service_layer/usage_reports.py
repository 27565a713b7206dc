"""Usage reports (käyttöselvitykset): every approved grant owes one by its deadline.

Publication creates the obligations; grantees submit; the programme's department accepts or asks for
changes; the worker reminds before the deadline and follows up after it, each exactly once per report.

A report tells how public money was used, so it is read as the application behind it is: by the grantee's
own representatives, and by staff of the programme's department (or an admin). Staff of other departments
are refused (403), as they are for the application; anyone else is told it does not exist (404).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from grants.adapters.usage_reports import ReportFilter
from grants.domain.usage_report import UsageReport, UsageReportState
from grants.service_layer.access import (
    ensure_acts_for_applicant,
    ensure_department_staff,
    ensure_reads_for_department,
    hidden,
    represents,
)
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.grants import (
    UsageReportAccepted,
    UsageReportChangesRequested,
    UsageReportDue,
    UsageReportOverdue,
    UsageReportSubmitted,
)
from shared.localtime import local_date


async def create_obligations(
    uow: GrantsUnitOfWork, *, grants: list[tuple[uuid.UUID, uuid.UUID]], due_date: date
) -> int:
    """One report obligation per approved grant ``(application_id, applicant_id)``; idempotent.

    Publication calls it inside its own transaction.
    """
    async with uow:
        created = await uow.usage_reports.create_obligations(grants, due_date)
        await uow.commit()
    return created


async def applicants_owing_reports(uow: GrantsUnitOfWork, applicant_ids: set[uuid.UUID], today: date) -> set[uuid.UUID]:
    """Those of the applicants who owe a report past its deadline: reviewers see a flag when they apply again."""
    async with uow:
        return await uow.usage_reports.applicants_owing(applicant_ids, today)


async def has_overdue_report(uow: GrantsUnitOfWork, applicant_id: uuid.UUID, today: date) -> bool:
    return applicant_id in await applicants_owing_reports(uow, {applicant_id}, today)


# -- reading ------------------------------------------------------------------------------------------------
def ensure_may_read(actor: Principal, report: UsageReport | None) -> UsageReport:
    """The grantee's representatives, and the programme's department or an admin (see the module)."""
    if report is None:
        raise hidden("usage report")
    if not represents(actor, report.applicant_id):
        ensure_reads_for_department(actor, report.department_code, "usage report")
    return report


async def _load(uow: GrantsUnitOfWork, actor: Principal, report_id: uuid.UUID, *, for_update: bool) -> UsageReport:
    return ensure_may_read(actor, await uow.usage_reports.get(report_id, for_update=for_update))


async def get_report(uow: GrantsUnitOfWork, *, actor: Principal, report_id: uuid.UUID) -> UsageReport:
    async with uow:
        return await _load(uow, actor, report_id, for_update=False)


async def search_reports(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    applicant_id: uuid.UUID | None = None,
    programme_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    states: list[UsageReportState] | None = None,
    overdue_on: date | None = None,
    limit: int,
    offset: int,
) -> tuple[list[UsageReport], int]:
    """A grantee's own reports; staff their department's, admins any; by programme, round, applicant, state."""
    applicants: set[uuid.UUID] | None = {applicant_id} if applicant_id else None
    department: str | None = None
    if actor.role is Role.ASSOCIATION:
        applicants = set(actor.association_ids) & (applicants or set(actor.association_ids))
    elif actor.role is Role.STAFF and actor.department:
        department = actor.department
    elif actor.role is not Role.ADMIN:
        return [], 0
    where = ReportFilter(
        applicant_ids=applicants,
        department_code=department,
        programme_id=programme_id,
        round_id=round_id,
        states=states or (),
        overdue_on=overdue_on,
    )
    async with uow:
        return await uow.usage_reports.search(where, limit=limit, offset=offset)


def _ids(report: UsageReport) -> dict[str, uuid.UUID | str | None]:
    return {
        "report_id": report.id, "application_id": report.application_id, "applicant_id": report.applicant_id,
        "programme_id": report.programme_id, "department_code": report.department_code,
    }  # fmt: skip


# -- the grantee reports, the department reviews ---------------------------------------------------------
async def submit_report(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    report_id: uuid.UUID,
    spent_cents: int,
    narrative: str,
    now: datetime,
) -> UsageReport:
    """The grantee tells how the money was used; allowed late too, and then recorded as late."""
    async with uow:
        report = await _load(uow, actor, report_id, for_update=True)
        ensure_acts_for_applicant(actor, report.applicant_id)
        report.submit(spent_cents=spent_cents, narrative=narrative, now=now)
        await uow.usage_reports.save(report)
        uow.emit(UsageReportSubmitted(**_ids(report), spent_cents=spent_cents))
        await uow.commit()
    return report


async def _for_review(uow: GrantsUnitOfWork, actor: Principal, report_id: uuid.UUID) -> UsageReport:
    report = await _load(uow, actor, report_id, for_update=True)
    assert report.department_code is not None, "a report is always read with its programme"
    ensure_department_staff(actor, report.department_code)  # the grantee reads it, but does not review it
    return report


async def accept_report(uow: GrantsUnitOfWork, *, actor: Principal, report_id: uuid.UUID, now: datetime) -> UsageReport:
    async with uow:
        report = await _for_review(uow, actor, report_id)
        report.accept(now)
        await uow.usage_reports.save(report)
        uow.emit(UsageReportAccepted(**_ids(report)))
        await uow.commit()
    return report


async def request_changes(
    uow: GrantsUnitOfWork, *, actor: Principal, report_id: uuid.UUID, message: str
) -> UsageReport:
    """Send the report back with a message; the grantee sees it and submits again."""
    async with uow:
        report = await _for_review(uow, actor, report_id)
        report.request_changes(message)
        await uow.usage_reports.save(report)
        uow.emit(UsageReportChangesRequested(**_ids(report)))
        await uow.commit()
    return report


# -- on time, by itself ------------------------------------------------------------------------------------
async def send_due_reminders(uow: GrantsUnitOfWork, now: datetime, *, reminder_days: int) -> int:
    """Remind each outstanding report's grantee once, from ``reminder_days`` before the local due date.

    One transaction claims a batch (``FOR UPDATE SKIP LOCKED``), marks each report and emits its event, so
    replicas running at the same moment never remind twice.
    """
    today = local_date(now)
    async with uow:
        claimed = await uow.usage_reports.claim_for_reminder(today=today, reminder_days=reminder_days)
        due = [r for r in claimed if r.reminder_due(today, reminder_days)]
        for report in due:
            report.due_reminder_sent_at = now
            await uow.usage_reports.save(report)
            uow.emit(UsageReportDue(**_ids(report), due_date=report.due_date))
        await uow.commit()
    return len(due)


async def send_overdue_notices(uow: GrantsUnitOfWork, now: datetime) -> int:
    """Follow up once on each report still owed after its local due date (claimed as the reminders are)."""
    today = local_date(now)
    async with uow:
        claimed = await uow.usage_reports.claim_overdue(today=today)
        overdue = [r for r in claimed if r.overdue_notice_due(today)]
        for report in overdue:
            report.overdue_notice_sent_at = now
            await uow.usage_reports.save(report)
            uow.emit(UsageReportOverdue(**_ids(report), due_date=report.due_date))
        await uow.commit()
    return len(overdue)
