"""The copy of the calendar's planned newsletter dates (``shared.copies``: guarded by the clock entry's revision)."""

from __future__ import annotations

from sqlalchemy import select

from notifier.adapters.tables import newsletter_date
from notifier.domain.newsletter_date import NewsletterDate
from shared.copies import CopyRepository


class NewsletterDateRepository(CopyRepository[NewsletterDate]):
    table, model = newsletter_date, NewsletterDate
    status_columns = frozenset({"withdrawn"})

    async def of_year(self, year: int) -> list[NewsletterDate]:
        """The year's planned dates, in date order (the withdrawn and the not yet known left out)."""
        t = self.table
        query = (
            select(t)
            .where(t.c.year == year, t.c.planned_on.is_not(None), t.c.withdrawn.is_(False))
            .order_by(t.c.planned_on, t.c.id)
        )
        return [self._from_row(r) for r in (await self.session.execute(query)).mappings()]
