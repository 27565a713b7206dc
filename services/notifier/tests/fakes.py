"""The notifier's unit of work without a database, and a directory, calendar and grants without a network, for
``tests/unit``.

The fake deliveries keep what ``add`` is given and refuse a second ``(source, recipient_ref)`` as the unique
constraint does; the fake directory answers from a list, by association and topic, or says it is down; the fake
grants names the grantees and partners it was given, or says it is down.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime

from notifier.adapters.calendar import CalendarUnavailable, Registrant, SurveyInvitation
from notifier.adapters.decisions import DecisionRepository
from notifier.adapters.directory import Contact, DirectoryUnavailable, Recipient
from notifier.adapters.grants import GrantsUnavailable
from notifier.adapters.repository import DeliveryRepository, OptOutRepository
from notifier.domain.delivery import NewDelivery
from notifier.domain.grant_decision import GrantDecision, Publication
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.directory import MessageTopic
from shared.testing.uow import FakeUnitOfWorkMixin


class FakeDeliveries(DeliveryRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], NewDelivery] = {}

    async def add(self, new: NewDelivery, *, domain: str, now: datetime) -> bool:
        if (new.source, new.recipient_ref) in self.rows:
            return False
        self.rows[(new.source, new.recipient_ref)] = new
        return True


class FakeOptOuts(OptOutRepository):
    def __init__(self) -> None:
        self.refs: set[str] = set()

    async def add(self, recipient_ref: str) -> None:
        self.refs.add(recipient_ref)

    async def opted_out(self, refs: list[str]) -> set[str]:
        return self.refs & set(refs)


class FakeDecisions(DecisionRepository):
    """As the SQL: the newer decision wins until announced; a publication covers decisions made up to it."""

    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, GrantDecision] = {}
        self.publications: dict[tuple[uuid.UUID, datetime], Publication] = {}

    async def lock_round(self, round_id: uuid.UUID) -> None:
        return None

    async def record(self, d: GrantDecision) -> GrantDecision:
        held = self.rows.get(d.application_id)
        if held is None or (held.decided_at < d.decided_at and held.announced_at is None):
            self.rows[d.application_id] = d
        return self.rows[d.application_id]

    async def add_publication(self, round_id: uuid.UUID, published_at: datetime, publication: Publication) -> None:
        self.publications.setdefault((round_id, published_at), publication)

    async def publication_covering(self, round_id: uuid.UUID, decided_at: datetime) -> Publication | None:
        at = sorted(p for r, p in self.publications if r == round_id and p >= decided_at)
        return self.publications[(round_id, at[0])] if at else None

    async def unannounced(self, round_id: uuid.UUID, up_to: datetime) -> list[GrantDecision]:
        return sorted(
            (
                d
                for d in self.rows.values()
                if d.round_id == round_id and d.announced_at is None and d.decided_at <= up_to
            ),
            key=lambda d: d.application_id,
        )

    async def mark_announced(self, application_id: uuid.UUID, now: datetime) -> None:
        self.rows[application_id] = dataclasses.replace(self.rows[application_id], announced_at=now)


class FakeNotifierUnitOfWork(FakeUnitOfWorkMixin, NotifierUnitOfWork):
    deliveries: FakeDeliveries
    opt_outs: FakeOptOuts
    decisions: FakeDecisions

    def _open_fakes(self) -> None:
        self.deliveries = FakeDeliveries()
        self.opt_outs = FakeOptOuts()
        self.decisions = FakeDecisions()


class FakeDirectory:
    """Representatives with the topics they chose and their association's kind and fields."""

    def __init__(self) -> None:
        self.people: list[tuple[Recipient, set[MessageTopic], str, set[str]]] = []
        self.down = False
        self.asked: list[dict[str, object]] = []
        # The public liaison directory: contacts by subject_ref ("grants:programme:<id>"), by department code
        # ("department:<code>") and the coordinator ("coordinator").
        self.contacts: dict[str, Contact] = {}

    def add(
        self, association_id: uuid.UUID, *, topics: set[MessageTopic], languages: tuple[str, ...] = ("fi",),
        kind: str = "registered_association", fields: set[str] | None = None,
    ) -> Recipient:  # fmt: skip
        r = Recipient(uuid.uuid4(), association_id, f"{uuid.uuid4().hex[:8]}@example.fi", languages)
        self.people.append((r, topics, kind, fields or set()))
        return r

    async def representatives(self, association_id: uuid.UUID, *, topic: MessageTopic) -> list[Recipient]:
        self.asked.append({"association_id": association_id, "topic": topic})
        if self.down:
            raise DirectoryUnavailable("ConnectError")
        return [r for r, topics, _, _ in self.people if r.association_id == association_id and topic in topics]

    async def eligible(
        self, *, topic: MessageTopic, kinds: list[str], fields_of_activity: list[str]
    ) -> list[Recipient]:
        self.asked.append({"topic": topic, "kinds": kinds, "fields_of_activity": fields_of_activity})
        if self.down:
            raise DirectoryUnavailable("ConnectError")
        return [
            r for r, topics, kind, fields in self.people
            if topic in topics and (not kinds or kind in kinds)
            and (not fields_of_activity or fields & set(fields_of_activity))
        ]  # fmt: skip

    async def representatives_of(
        self, association_ids: list[uuid.UUID], *, topic: MessageTopic
    ) -> dict[uuid.UUID, list[Recipient]]:
        found: dict[uuid.UUID, list[Recipient]] = {}
        for association_id in association_ids:
            if people := await self.representatives(association_id, topic=topic):
                found[association_id] = people
        return found

    async def contact(self, *, subject_ref: str | None, department_code: str | None) -> Contact | None:
        self.asked.append({"contact": (subject_ref, department_code)})
        if self.down:
            raise DirectoryUnavailable("ConnectError")
        keys = [subject_ref, f"department:{department_code}" if department_code else None, "coordinator"]
        return next((self.contacts[k] for k in keys if k in self.contacts), None)


class FakeCalendar:
    """The calendar's service-only reads: surveys' invitations and registrations' contacts."""

    def __init__(self) -> None:
        self.surveys: dict[uuid.UUID, list[SurveyInvitation]] = {}
        self.contacts: dict[uuid.UUID, Registrant] = {}
        self.down = False
        self.asked = 0

    def register(self, language: str = "fi") -> tuple[uuid.UUID, Registrant]:
        registration_id = uuid.uuid4()
        contact = Registrant(registration_id, f"reg-{uuid.uuid4().hex[:8]}@example.fi", language)
        self.contacts[registration_id] = contact
        return registration_id, contact

    def invite(
        self, survey_id: uuid.UUID, *, registration_id: uuid.UUID | None = None,
        association_id: uuid.UUID | None = None,
    ) -> SurveyInvitation:  # fmt: skip
        invitation_id = uuid.uuid4()
        link = f"https://kalenteri.example/surveys/{survey_id}/answer#token=t{invitation_id.hex}"
        invitation = SurveyInvitation(invitation_id, link, association_id, registration_id)
        self.surveys.setdefault(survey_id, []).append(invitation)
        return invitation

    async def invitations(self, survey_id: uuid.UUID) -> list[SurveyInvitation]:
        self.asked += 1
        if self.down:
            raise CalendarUnavailable("ConnectError")
        return list(self.surveys.get(survey_id, []))

    async def registrant(self, registration_id: uuid.UUID) -> list[Registrant]:
        self.asked += 1
        if self.down:
            raise CalendarUnavailable("ConnectError")
        found = self.contacts.get(registration_id)
        return [found] if found is not None else []


class FakeGrants:
    """Grants' audience reads: the applicant ids holding a grant and those with an agreement in force."""

    def __init__(self) -> None:
        self.holding_grants: list[uuid.UUID] = []
        self.in_partnership: list[uuid.UUID] = []
        self.down = False
        self.asked: list[str] = []

    async def _answer(self, audience: str, ids: list[uuid.UUID]) -> list[uuid.UUID]:
        self.asked.append(audience)
        if self.down:
            raise GrantsUnavailable("ConnectError")
        return list(ids)

    async def grantees(self) -> list[uuid.UUID]:
        return await self._answer("grantees", self.holding_grants)

    async def partners(self) -> list[uuid.UUID]:
        return await self._answer("partners", self.in_partnership)
