"""Who is calling: the anonymous public, an association's representative, city staff or an admin."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    ASSOCIATION = "association"
    STAFF = "staff"
    ADMIN = "admin"
    # Another service of the platform, e.g. the notifier reading contact addresses from the directory: it acts
    # for no association or department; only routes that name it (``shared.http.security.ServiceCaller``) admit it.
    SERVICE = "service"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    role: Role
    association_ids: frozenset[uuid.UUID] = frozenset()
    department: str | None = None  # a staff member acts for one department (its code)

    @property
    def is_staff_or_admin(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def acts_for(self, association_id: uuid.UUID) -> bool:
        """Staff and admins act for every association; a representative only for its own."""
        return self.is_staff_or_admin or (self.role is Role.ASSOCIATION and association_id in self.association_ids)

    def is_service(self, name: str) -> bool:
        """This is the platform's service ``name`` (its token's subject is ``service:<name>``)."""
        return self.role is Role.SERVICE and self.subject == f"service:{name}"

    def acts_for_department(self, department_code: str | None) -> bool:
        return self.role is Role.ADMIN or (self.role is Role.STAFF and department_code == self.department)


ANONYMOUS = Principal(subject="anonymous", role=Role.ANONYMOUS)
