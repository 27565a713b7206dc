"""Events published by the grants service: ids, dates and amounts (decisions are public), no personal data."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.directory import ApplicantKind
from shared.contracts.envelope import EventData, contract


class GrantKind(StrEnum):
    OPERATING = "operating"
    PROJECT = "project"
    EVENT = "event"
    LIGHT = "light"


class Intake(StrEnum):
    YEARLY_ROUND = "yearly_round"
    CONTINUOUS = "continuous"


@contract("grants", "GrantProgrammeCreated", 1)
class GrantProgrammeCreated(EventData):
    programme_id: uuid.UUID
    name: str
    kind: GrantKind
    intake: Intake
    department_code: str
    eligible_kinds: list[ApplicantKind]


@contract("grants", "GrantRoundScheduled", 1)
class GrantRoundScheduled(EventData):
    """A round's dates are set: the annual clock and the schedule show them."""

    round_id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    opens_at: AwareDatetime
    closes_at: AwareDatetime | None
    appropriation_cents: int
    decision_deadline: date | None
    usage_report_deadline: date | None


@contract("grants", "GrantRoundOpened", 1)
class GrantRoundOpened(EventData):
    round_id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    opens_at: AwareDatetime
    closes_at: AwareDatetime | None
    appropriation_cents: int
    eligible_kinds: list[ApplicantKind]
    fields_of_activity: list[str]


@contract("grants", "GrantRoundClosed", 1)
class GrantRoundClosed(EventData):
    round_id: uuid.UUID
    programme_id: uuid.UUID
    closed_at: AwareDatetime
    applications_submitted: int


@contract("grants", "ApplicationSubmitted", 1)
class ApplicationSubmitted(EventData):
    application_id: uuid.UUID
    round_id: uuid.UUID
    programme_id: uuid.UUID
    applicant_id: uuid.UUID
    requested_cents: int


@contract("grants", "ApplicationReturnedForCompletion", 1)
class ApplicationReturnedForCompletion(EventData):
    """Staff asked the applicant to complete the application; the message itself stays in grants."""

    application_id: uuid.UUID
    applicant_id: uuid.UUID
    round_id: uuid.UUID


@contract("grants", "ApplicationWithdrawn", 1)
class ApplicationWithdrawn(EventData):
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    round_id: uuid.UUID


@contract("grants", "ApplicationDecided", 1)
class ApplicationDecided(EventData):
    application_id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    requested_cents: int
    approved_cents: int


@contract("grants", "DecisionsPublished", 1)
class DecisionsPublished(EventData):
    round_id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    decisions: int
    granted_cents: int
    published_at: AwareDatetime


class _UsageReportEvent(EventData):
    report_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    # Added after version 1 was published (optional, so older messages still read): what the report accounts for.
    programme_id: uuid.UUID | None = Field(default=None, description="The grant programme of the reported grant.")
    department_code: str | None = Field(default=None, description="The programme's responsible department.")


@contract("grants", "UsageReportDue", 1)
class UsageReportDue(_UsageReportEvent):
    due_date: date


@contract("grants", "UsageReportOverdue", 1)
class UsageReportOverdue(_UsageReportEvent):
    due_date: date


@contract("grants", "UsageReportSubmitted", 1)
class UsageReportSubmitted(_UsageReportEvent):
    spent_cents: int


@contract("grants", "UsageReportAccepted", 1)
class UsageReportAccepted(_UsageReportEvent):
    pass


@contract("grants", "UsageReportChangesRequested", 1)
class UsageReportChangesRequested(_UsageReportEvent):
    pass


@contract("grants", "PartnershipCallAnnounced", 1)
class PartnershipCallAnnounced(EventData):
    """The city board opened partnership agreements for application until a deadline."""

    call_id: uuid.UUID
    department_code: str
    title: str
    closes_at: AwareDatetime
    fields_of_activity: list[str]


class PremisesTerms(BaseModel):
    """What a partnership agreement says about the department's premises (bookings grants free use from it)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    free_use: bool = Field(description="The partner uses the department's premises free of charge.")
    facility_ids: list[uuid.UUID] = Field(
        default=[], description="The facilities (bookings' ids) it covers; empty: all the department's premises."
    )


@contract("grants", "PartnershipAgreementSigned", 1)
class PartnershipAgreementSigned(EventData):
    agreement_id: uuid.UUID
    applicant_id: uuid.UUID
    department_code: str
    starts_on: date
    ends_on: date
    # Added after version 1 was published (optional, so older messages still read): the premises terms.
    premises: PremisesTerms | None = Field(default=None, description="None: the agreement says nothing of premises.")


@contract("grants", "PartnershipAgreementRejected", 1)
class PartnershipAgreementRejected(EventData):
    """The department did not take a proposal further; the reason stays in grants, for the parties."""

    agreement_id: uuid.UUID
    applicant_id: uuid.UUID
    department_code: str


@contract("grants", "PartnershipDiscussionDue", 1)
class PartnershipDiscussionDue(EventData):
    agreement_id: uuid.UUID
    discussion_id: uuid.UUID
    applicant_id: uuid.UUID
    due_on: date
    # Added after version 1 was published (optional, so older messages still read).
    department_code: str | None = Field(default=None, description="The department that prepared the agreement.")


@contract("grants", "PartnershipAgreementEnded", 1)
class PartnershipAgreementEnded(EventData):
    agreement_id: uuid.UUID
    applicant_id: uuid.UUID
    ended_on: date
