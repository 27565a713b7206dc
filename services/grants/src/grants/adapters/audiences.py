"""Who is in the audiences grants knows: applicants holding a grant, and the city's partners. Ids only.

Each query runs over grants' copy of the applicants with an ``EXISTS`` of the grant or agreement that puts an
applicant in, so every applicant appears once, in a stable order (its id) that pages with ``limit``/``offset``.
What counts as holding a grant or being a partner is the service layer's (``service_layer/audiences.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, select

from grants.adapters.applications import decision_is_public
from grants.adapters.tables import applicant, application, decision, grant_round, partnership_agreement
from grants.domain.partnership import AgreementState
from shared.db.repository import Repository


@dataclass(frozen=True)
class AudienceMember:
    applicant_id: uuid.UUID


class AudienceRepository(Repository[AudienceMember]):
    table, model = applicant, AudienceMember

    async def _members(self, holds: ColumnElement[bool], limit: int, offset: int) -> tuple[list[uuid.UUID], int]:
        query = select(applicant.c.id.label("applicant_id")).where(holds)
        members, total = await self._page(query, [applicant.c.id], limit, offset)
        return [m.applicant_id for m in members], total

    async def grantees(self, *, since_year: int, limit: int, offset: int) -> tuple[list[uuid.UUID], int]:
        """Applicants with a published decision of more than 0 € in a round of ``since_year`` or later."""
        granted = (
            exists()
            .where(application.c.applicant_id == applicant.c.id)
            .where(decision.c.application_id == application.c.id, decision.c.approved_cents > 0)
            .where(grant_round.c.id == decision.c.round_id, grant_round.c.year >= since_year)
            .where(decision_is_public())
        )
        return await self._members(granted, limit, offset)

    async def partners(self, *, today: date, limit: int, offset: int) -> tuple[list[uuid.UUID], int]:
        """Applicants with a signed agreement that has not ended and whose last day is not past."""
        t = partnership_agreement
        agreed = exists().where(
            t.c.applicant_id == applicant.c.id, t.c.state == AgreementState.ACTIVE.value, t.c.ends_on >= today
        )
        return await self._members(agreed, limit, offset)
