"""Mapping domain state to the directory's integration events: ids and public facts, no personal data."""

from __future__ import annotations

from directory.domain.applicant import Applicant
from shared.contracts.directory import (
    ApplicantKind,
    AssociationRegistered,
    AssociationUpdated,
)


def applicant_state(
    applicant: Applicant, event: type[AssociationRegistered] | type[AssociationUpdated]
) -> AssociationRegistered | AssociationUpdated:
    private = applicant.kind is ApplicantKind.PRIVATE_PERSON
    return event(
        applicant_id=applicant.id,
        revision=applicant.revision,
        kind=applicant.kind,
        name=None if private else applicant.name,
        business_id=applicant.business_id,
        fields_of_activity=applicant.fields_of_activity,
        district=None if private else applicant.district,
        languages=applicant.languages,
        active=applicant.active,
    )
