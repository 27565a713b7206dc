"""The issues' use cases on a unit of work without a database: who may do what, the events that go out with the
committed unit (``NewsletterScheduled`` on schedule and send now, ``NewsletterCancelled`` on cancel), a refused request
commits nothing, and a test mail is a delivery of its own outside the issue's sending."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from notifier.config import Settings
from notifier.domain.delivery import DeliveryKind, NewDelivery
from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Language
from notifier.service_layer import issues
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.notifier import NewsletterCancelled, NewsletterScheduled
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.testing.uow import FakeUnitOfWorkMixin, InMemoryRepository

pytestmark = pytest.mark.unit
NOW = datetime(2027, 3, 1, 10, tzinfo=UTC)
STAFF = Principal(subject="staff-culture", role=Role.STAFF, department="culture")
OTHER = Principal(subject="staff-sports", role=Role.STAFF, department="sports")
ADMIN = Principal(subject="admin", role=Role.ADMIN)
ASSOCIATION = Principal(subject="rep", role=Role.ASSOCIATION, association_ids=frozenset({uuid.uuid4()}))


class FakeDeliveries:
    def __init__(self) -> None:
        self.added: list[NewDelivery] = []

    async def add(self, new: NewDelivery, *, domain: str, now: datetime) -> bool:
        self.added.append(new)
        return True

    async def counts(self, issue_id: uuid.UUID) -> dict[str, int]:
        return {}


class FakeUow(FakeUnitOfWorkMixin, NotifierUnitOfWork):
    def _open_fakes(self) -> None:
        self.issues = InMemoryRepository[Issue]()  # type: ignore[assignment]
        self.deliveries = FakeDeliveries()  # type: ignore[assignment]


def fields(**overrides: Any) -> dict[str, Any]:
    return {"subject_fi": "Uutiset", "body_fi": "# Hei\n\nUutisia."} | overrides


async def composed(uow: FakeUow) -> Issue:
    return await issues.compose(uow, actor=STAFF, fields=fields())


async def test_staff_compose_for_their_department_and_an_admin_names_one() -> None:
    uow = FakeUow()
    issue = await composed(uow)
    assert issue.department_code == "culture" and issue.created_by == "staff-culture"
    assert issue.state is IssueState.DRAFT
    with pytest.raises(InvalidInput) as refused:
        await issues.compose(uow, actor=ADMIN, fields=fields())
    assert refused.value.field == "department_code"
    made = await issues.compose(uow, actor=ADMIN, fields=fields(department_code="sports"))
    assert made.department_code == "sports"
    with pytest.raises(Forbidden):
        await issues.compose(uow, actor=STAFF, fields=fields(department_code="sports"))
    with pytest.raises(Forbidden):
        await issues.compose(uow, actor=ASSOCIATION, fields=fields())
    assert uow.commits == 2


async def test_scheduling_and_sending_now_announce_the_issue_and_cancelling_withdraws_it() -> None:
    uow = FakeUow()
    issue = await composed(uow)
    at = NOW + timedelta(days=3)
    await issues.schedule(uow, actor=STAFF, issue_id=issue.id, send_at=at, now=NOW)
    [scheduled] = uow.emitted(NewsletterScheduled)
    assert scheduled.send_at == at and scheduled.subject == "Uutiset" and scheduled.department_code == "culture"
    await issues.update(uow, actor=STAFF, issue_id=issue.id, changes={"body_fi": "Uusi teksti."})
    assert len(uow.emitted(NewsletterScheduled)) == 1  # the calendar's entry did not change
    await issues.update(uow, actor=STAFF, issue_id=issue.id, changes={"subject_fi": "Uusi otsikko"})
    assert [e.subject for e in uow.emitted(NewsletterScheduled)] == ["Uutiset", "Uusi otsikko"]
    cancelled = await issues.cancel(uow, actor=STAFF, issue_id=issue.id)
    assert cancelled.state is IssueState.CANCELLED and len(uow.emitted(NewsletterScheduled)) == 2
    [withdrawn] = uow.emitted(NewsletterCancelled)
    assert withdrawn.issue_id == issue.id and withdrawn.department_code == "culture"
    assert withdrawn.cancelled_at == uow.clock()
    with pytest.raises(Conflict):
        await issues.cancel(uow, actor=STAFF, issue_id=issue.id)
    assert len(uow.emitted(NewsletterCancelled)) == 1  # a refused second cancel announces nothing
    with pytest.raises(Conflict):
        await issues.send_now(uow, actor=STAFF, issue_id=issue.id, now=NOW)

    other = await composed(uow)
    now = await issues.send_now(uow, actor=STAFF, issue_id=other.id, now=NOW)
    assert now.state is IssueState.SCHEDULED and now.send_at == NOW
    assert uow.emitted(NewsletterScheduled)[-1].issue_id == other.id


async def test_another_department_reads_but_changes_nothing() -> None:
    uow = FakeUow()
    issue = await composed(uow)
    commits = uow.commits
    assert (await issues.get(uow, actor=OTHER, issue_id=issue.id)).issue.id == issue.id
    for attempt in (
        issues.schedule(uow, actor=OTHER, issue_id=issue.id, send_at=NOW + timedelta(days=1), now=NOW),
        issues.send_now(uow, actor=OTHER, issue_id=issue.id, now=NOW),
        issues.update(uow, actor=OTHER, issue_id=issue.id, changes={"subject_fi": "X"}),
    ):
        with pytest.raises(Forbidden):
            await attempt
    assert uow.commits == commits and uow.events == []
    with pytest.raises(Forbidden):
        await issues.get(uow, actor=ASSOCIATION, issue_id=issue.id)
    with pytest.raises(NotFound):
        await issues.get(uow, actor=ADMIN, issue_id=uuid.uuid4())


async def test_a_test_mail_is_a_delivery_of_its_own_marked_as_a_test() -> None:
    uow = FakeUow()
    issue = await composed(uow)
    await issues.send_test(
        uow, actor=STAFF, settings=Settings(), issue_id=issue.id, email=" Maija@Example.org ", language=Language.SV,
        now=NOW,
    )  # fmt: skip
    [mail] = uow.deliveries.added  # type: ignore[attr-defined]
    assert mail.kind is DeliveryKind.TEST and mail.subscriber_id is None and mail.address == "maija@example.org"
    assert mail.subject == "[TESTI] Uutiset" and mail.language == "fi"  # no Swedish version: the Finnish one
    assert mail.source.startswith(f"test:{issue.id}:") and mail.recipient_ref == "staff:staff-culture"
    with pytest.raises(InvalidInput) as refused:
        await issues.send_test(
            uow, actor=STAFF, settings=Settings(), issue_id=issue.id, email="nope", language=Language.FI, now=NOW
        )
    assert refused.value.field == "email"
    assert (await issues.get(uow, actor=STAFF, issue_id=issue.id)).progress == issues.Progress(0, 0, 0)
