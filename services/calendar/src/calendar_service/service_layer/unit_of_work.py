"""The calendar's unit of work: one transaction, and the repositories a use case reaches through it."""

from __future__ import annotations

from calendar_service.adapters.copies import AssociationCopyRepository
from calendar_service.adapters.events import (
    EventRepository,
    FeedLinkRepository,
    RegistrationRepository,
    StoredReplyRepository,
)
from calendar_service.adapters.repository import (
    ClockEntryRepository,
    FacilityCopyRepository,
    MemberRepository,
    ProgrammeCopyRepository,
    ScheduleRepository,
)
from calendar_service.adapters.surveys import AnswerRepository, InvitationRepository, SurveyRepository
from shared.db import Session
from shared.db.uow import UnitOfWork


class CalendarUnitOfWork(UnitOfWork):
    clock_entries: ClockEntryRepository
    schedule: ScheduleRepository
    programmes: ProgrammeCopyRepository
    facilities: FacilityCopyRepository
    members: MemberRepository
    association_events: EventRepository  # (`events` is what a unit of work emitted, in the test fakes)
    registrations: RegistrationRepository
    stored_replies: StoredReplyRepository
    feed_links: FeedLinkRepository
    surveys: SurveyRepository
    invitations: InvitationRepository
    answers: AnswerRepository
    applicants: AssociationCopyRepository

    def _open(self, session: Session) -> None:
        self.clock_entries = ClockEntryRepository(session)
        self.schedule = ScheduleRepository(session)
        self.programmes = ProgrammeCopyRepository(session)
        self.facilities = FacilityCopyRepository(session)
        self.members = MemberRepository(session)
        self.association_events = EventRepository(session)
        self.registrations = RegistrationRepository(session)
        self.stored_replies = StoredReplyRepository(session)
        self.feed_links = FeedLinkRepository(session)
        self.surveys = SurveyRepository(session)
        self.invitations = InvitationRepository(session)
        self.answers = AnswerRepository(session)
        self.applicants = AssociationCopyRepository(session)
