"""Who may act on what in grants."""

from __future__ import annotations

import uuid

from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound


def ensure_department_staff(actor: Principal, department_code: str) -> None:
    """Staff of the responsible department (or an admin) run a programme's rounds, reviews and decisions."""
    if not actor.acts_for_department(department_code):
        raise Forbidden("Only staff of the responsible department may do this.")


def is_department_staff(actor: Principal, department_code: str) -> bool:
    return actor.acts_for_department(department_code)


def ensure_acts_for_applicant(actor: Principal, applicant_id: uuid.UUID) -> None:
    """An applicant's own representatives; staff act through their department's rules instead."""
    if actor.role is Role.ASSOCIATION and applicant_id in actor.association_ids:
        return
    raise Forbidden("Only the applicant's own representatives may do this.", field="applicant_id")


def hidden(what: str) -> NotFound:
    """Someone else's unpublished material is answered as missing, so its existence is not revealed."""
    return NotFound(f"No such {what}.")
