"""Grants' unit of work: one transaction, and the repositories a use case reaches through it."""

from __future__ import annotations

from grants.adapters.applications import (
    ApplicationRepository,
    DecisionRegisterRepository,
    DecisionRepository,
    ReviewCommentRepository,
    ReviewScoreRepository,
)
from grants.adapters.audiences import AudienceRepository
from grants.adapters.partnerships import AgreementRepository, CallRepository, DiscussionRepository
from grants.adapters.repository import (
    ApplicantCopyRepository,
    DepartmentCopyRepository,
    LiaisonCopyRepository,
    PrinciplesRepository,
    ProgrammeRepository,
    RoundRepository,
)
from grants.adapters.usage_reports import UsageReportRepository
from shared.db import Session
from shared.db.uow import UnitOfWork


class GrantsUnitOfWork(UnitOfWork):
    programmes: ProgrammeRepository
    principles: PrinciplesRepository
    rounds: RoundRepository
    applications: ApplicationRepository
    decisions: DecisionRepository
    register: DecisionRegisterRepository
    comments: ReviewCommentRepository
    scores: ReviewScoreRepository
    usage_reports: UsageReportRepository
    calls: CallRepository
    agreements: AgreementRepository
    discussions: DiscussionRepository
    applicants: ApplicantCopyRepository
    departments: DepartmentCopyRepository
    liaisons: LiaisonCopyRepository
    audiences: AudienceRepository

    def _open(self, session: Session) -> None:
        self.programmes = ProgrammeRepository(session)
        self.principles = PrinciplesRepository(session)
        self.rounds = RoundRepository(session)
        self.applications = ApplicationRepository(session)
        self.decisions = DecisionRepository(session)
        self.register = DecisionRegisterRepository(session)
        self.comments = ReviewCommentRepository(session)
        self.scores = ReviewScoreRepository(session)
        self.usage_reports = UsageReportRepository(session)
        self.calls = CallRepository(session)
        self.agreements = AgreementRepository(session)
        self.discussions = DiscussionRepository(session)
        self.applicants = ApplicantCopyRepository(session)
        self.departments = DepartmentCopyRepository(session)
        self.liaisons = LiaisonCopyRepository(session)
        self.audiences = AudienceRepository(session)
