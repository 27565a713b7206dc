"""Who may keep what: the annual clock is kept by city staff, each for their own department's entries."""

from __future__ import annotations

from shared.auth import Principal, Role
from shared.errors import Forbidden


def ensure_keeps(actor: Principal, department: str | None) -> None:
    """Staff keep their own department's entries; entries only a liaison answers for, and any, admins."""
    if actor.role is Role.ADMIN:
        return
    if actor.role is Role.STAFF and department is not None and department == actor.department:
        return
    raise Forbidden("Only the responsible department's staff (or an admin) may keep this entry.")
