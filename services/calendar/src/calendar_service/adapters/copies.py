"""The calendar's copy of the directory's applicants (``shared.copies``): whom the yearly evaluation invites."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import select

from calendar_service.adapters.tables import association
from shared.contracts.directory import ApplicantKind
from shared.copies import CopyRepository

# Whom "all associations" means: registered associations and unregistered groups; private persons (light
# grants only) are not asked to evaluate the cooperation programme.
INVITED_KINDS = (ApplicantKind.REGISTERED_ASSOCIATION, ApplicantKind.UNREGISTERED_GROUP)


@dataclass
class AssociationCopy:
    id: uuid.UUID
    kind: ApplicantKind | None  # None: only a status event has arrived yet
    active: bool
    fields_of_activity: list[str] | None = field(default=None)
    revision: int = 0


class AssociationCopyRepository(CopyRepository[AssociationCopy]):
    table, model = association, AssociationCopy
    enums: ClassVar[dict[str, Any]] = {"kind": ApplicantKind}
    status_columns: ClassVar[frozenset[str]] = frozenset({"active"})

    @staticmethod
    def _values(copy: AssociationCopy) -> dict[str, Any]:
        kind = None if copy.kind is None else copy.kind.value
        return {"kind": kind, "fields_of_activity": copy.fields_of_activity or [], "active": copy.active}

    async def apply_states(self, copies: Iterable[AssociationCopy]) -> int:
        return await self.put_records({"id": c.id, "revision": c.revision, **self._values(c)} for c in copies)

    async def invited_ids(self, *, limit: int) -> list[uuid.UUID]:
        """The active associations the yearly evaluation invites, at most ``limit`` (in id order)."""
        t = self.table
        query = select(t.c.id).where(t.c.active, t.c.kind.in_([k.value for k in INVITED_KINDS]))
        return list((await self.session.execute(query.order_by(t.c.id).limit(limit))).scalars())
