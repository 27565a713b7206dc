"""Object-level authorization: who may see and change which applicant."""

from __future__ import annotations

from directory.domain.applicant import Applicant
from shared.auth import Principal
from shared.errors import Forbidden, NotFound


def visible(actor: Principal, applicant: Applicant) -> bool:
    return applicant.is_public or actor.acts_for(applicant.id)


def ensure_visible(actor: Principal, applicant: Applicant | None) -> Applicant:
    """Someone else's hidden record is answered as missing, so its existence is not revealed."""
    if applicant is None or not visible(actor, applicant):
        raise NotFound("No such applicant.")
    return applicant


def ensure_acts_for(actor: Principal, applicant: Applicant | None) -> Applicant:
    applicant = ensure_visible(actor, applicant)
    if not actor.acts_for(applicant.id):
        raise Forbidden("Only the association's own representatives and city staff may do this.")
    return applicant


def ensure_staff(actor: Principal) -> None:
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff may do this.")
