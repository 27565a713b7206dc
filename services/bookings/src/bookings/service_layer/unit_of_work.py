"""Bookings' unit of work: one transaction, and the repositories a use case reaches through it."""

from __future__ import annotations

from bookings.adapters.bookings import BookingRepository, OccurrenceRepository
from bookings.adapters.copies import ApplicantCopyRepository, DepartmentCopyRepository, LiaisonCopyRepository
from bookings.adapters.facilities import (
    FacilityRepository,
    FreeUseGrantRepository,
    OpeningExceptionRepository,
    PartnershipRepository,
)
from bookings.adapters.feeds import CalendarFeedRepository
from bookings.adapters.reports import ReportRepository
from bookings.adapters.season_rounds import SeasonApplicationRepository, SeasonProposalRepository, SeasonRoundRepository
from shared.db import Session
from shared.db.uow import UnitOfWork


class BookingsUnitOfWork(UnitOfWork):
    facilities: FacilityRepository
    exceptions: OpeningExceptionRepository
    free_use: FreeUseGrantRepository
    partnerships: PartnershipRepository
    bookings: BookingRepository
    occurrences: OccurrenceRepository
    applicants: ApplicantCopyRepository
    departments: DepartmentCopyRepository
    liaisons: LiaisonCopyRepository
    feeds: CalendarFeedRepository
    reports: ReportRepository
    season_rounds: SeasonRoundRepository
    season_applications: SeasonApplicationRepository
    season_proposals: SeasonProposalRepository

    def _open(self, session: Session) -> None:
        self.facilities = FacilityRepository(session)
        self.exceptions = OpeningExceptionRepository(session)
        self.free_use = FreeUseGrantRepository(session)
        self.partnerships = PartnershipRepository(session)
        self.bookings = BookingRepository(session)
        self.occurrences = OccurrenceRepository(session)
        self.applicants = ApplicantCopyRepository(session)
        self.departments = DepartmentCopyRepository(session)
        self.liaisons = LiaisonCopyRepository(session)
        self.feeds = CalendarFeedRepository(session)
        self.reports = ReportRepository(session)
        self.season_rounds = SeasonRoundRepository(session)
        self.season_applications = SeasonApplicationRepository(session)
        self.season_proposals = SeasonProposalRepository(session)
