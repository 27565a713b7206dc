"""Who holds a grant and who is a partner: the calendar's audiences ``grantees`` and ``partners`` as grants
knows them, read by another service of the platform at the moment of use (ADR 0003, ADR 0011, ADR 0017).

Only applicant ids leave grants: the notifier then asks the directory where those applicants' representatives
are reached. Names, amounts and purposes stay out (the public register has the published ones).

- **Grantees** hold a grant: a decision of more than 0 € in a round of this year or last year (Helsinki
  years), once it is published. A grant is given for its round's year and its use is reported the year after
  (by the round's usage-report deadline, by default the end of June), so last year's grantees still hold
  theirs; older ones do not. An unpublished decision may still change and is not yet the applicant's to
  know, so it puts nobody in the audience.
- **Partners** have a partnership agreement in force: signed (``active``), not ended early, and its last day
  not past (the job that ends expired agreements may not have run yet). An agreement signed for a term that
  starts later counts: it is published as valid from signing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from grants.service_layer.access import ensure_platform_service
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal
from shared.localtime import local_date

GRANT_HELD_YEARS = 2
"""A grant of the round's year is held that year and the next (the year its use is reported)."""


async def grantees(
    uow: GrantsUnitOfWork, *, actor: Principal, now: datetime, limit: int, offset: int
) -> tuple[list[uuid.UUID], int]:
    """A page of the applicants holding a grant now (see the module), and how many there are."""
    ensure_platform_service(actor, "who holds a grant")
    since_year = local_date(now).year - (GRANT_HELD_YEARS - 1)
    async with uow.reading():
        return await uow.audiences.grantees(since_year=since_year, limit=limit, offset=offset)


async def partners(
    uow: GrantsUnitOfWork, *, actor: Principal, now: datetime, limit: int, offset: int
) -> tuple[list[uuid.UUID], int]:
    """A page of the applicants with a partnership agreement in force now (see the module), and how many."""
    ensure_platform_service(actor, "who the city's partners are")
    async with uow.reading():
        return await uow.audiences.partners(today=local_date(now), limit=limit, offset=offset)
