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


def represents(actor: Principal, applicant_id: uuid.UUID) -> bool:
    """The caller represents this applicant."""
    return actor.role is Role.ASSOCIATION and applicant_id in actor.association_ids


def ensure_reads_for_department(actor: Principal, department_code: str | None, what: str) -> None:
    """An applicant's submitted material (its application, its usage reports) is read by the programme's
    department and admins; staff of other departments are refused (403), everyone else is told it is missing.
    """
    if not actor.is_staff_or_admin:
        raise hidden(what)
    if not actor.acts_for_department(department_code):
        raise Forbidden(f"Only staff of the responsible department may read this {what}.")


def ensure_acts_for_applicant(actor: Principal, applicant_id: uuid.UUID) -> None:
    """An applicant's own representatives; staff act through their department's rules instead."""
    if not represents(actor, applicant_id):
        raise Forbidden("Only the applicant's own representatives may do this.", field="applicant_id")


def hidden(what: str) -> NotFound:
    """Someone else's unpublished material is answered as missing, so its existence is not revealed."""
    return NotFound(f"No such {what}.")


def ensure_platform_service(actor: Principal, what: str) -> None:
    """Another service of the platform (a ``service`` token, ADR 0011); the route's guard has said so already."""
    if actor.role is not Role.SERVICE:
        raise Forbidden(f"Only the city's own services may read {what}.")
