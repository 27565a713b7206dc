"""The directory's unit of work: one transaction, and the repositories a use case reaches through it."""

from __future__ import annotations

from directory.adapters.forwards import PendingForwards
from directory.adapters.records import ErasureRecords, StoredReplies
from directory.adapters.repository import (
    ApplicantRepository,
    DepartmentRepository,
    LiaisonRepository,
    RepresentativeRepository,
)
from shared.db import Session
from shared.db.uow import UnitOfWork


class DirectoryUnitOfWork(UnitOfWork):
    applicants: ApplicantRepository
    representatives: RepresentativeRepository
    departments: DepartmentRepository
    liaisons: LiaisonRepository
    stored_replies: StoredReplies
    erasures: ErasureRecords
    forwards: PendingForwards

    def _open(self, session: Session) -> None:
        self.applicants = ApplicantRepository(session)
        self.representatives = RepresentativeRepository(session)
        self.departments = DepartmentRepository(session)
        self.liaisons = LiaisonRepository(session)
        self.stored_replies = StoredReplies(session)
        self.erasures = ErasureRecords(session)
        self.forwards = PendingForwards(session)
