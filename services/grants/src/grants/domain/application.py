"""Applications (hakemukset) and their decisions (päätökset).

States: draft -> submitted -> decided, with two side roads: staff may return a submitted application for
completion (returned -> edited -> submitted again), and the applicant may withdraw it before the decision.
Only drafts and returned applications can be edited.

Money held from the round's appropriation: in a continuous (first come, first served) round a submitted or
returned application holds what it requests; a decided one holds what was approved. In a yearly round only
decisions hold money. ``held_cents`` is that rule; the use cases move the difference atomically.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from grants.domain.budget import Attachment, BudgetLine, check_balance, euros
from grants.domain.round import Round, RoundState
from shared.errors import Conflict, InvalidInput

EDITABLE_FIELDS = frozenset({"purpose", "planned_activity", "requested_cents", "budget", "attachments"})


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    DECIDED = "decided"


AWAITING_DECISION = (ApplicationState.SUBMITTED, ApplicationState.RETURNED)


def check_round_takes_drafts(round_: Round, now: datetime) -> None:
    """Applications may be drafted once a round is announced (scheduled), until it closes."""
    if round_.state not in (RoundState.SCHEDULED, RoundState.OPEN) or now >= round_.closes_at:
        raise Conflict("The round does not take applications now.", field="round_id")


@dataclass
class Application:
    id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    purpose: str
    requested_cents: int
    created_by: str
    planned_activity: str = ""
    budget: list[BudgetLine] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    state: ApplicationState = ApplicationState.DRAFT
    completion_request: str | None = None
    submitted_at: datetime | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self) -> None:
        self.purpose = self.purpose.strip()
        if not self.purpose:
            raise InvalidInput("Say what the grant is for.", field="purpose")
        self.planned_activity = self.planned_activity.strip()
        if self.requested_cents <= 0:
            raise InvalidInput("Apply for more than zero euros.", field="requested_cents")
        self.budget = [BudgetLine.of(line) for line in self.budget]
        self.attachments = [Attachment.of(a) for a in self.attachments]
        check_balance(self.budget, self.requested_cents)
        for index, attachment in enumerate(self.attachments):
            attachment.validate(f"attachments.{index}")

    @property
    def was_submitted(self) -> bool:
        """Staff see an application from its first submission on; a draft is the applicant's own."""
        return self.submitted_at is not None

    def ensure_editable(self) -> None:
        if self.state not in (ApplicationState.DRAFT, ApplicationState.RETURNED):
            raise Conflict(f"An application that is {self.state.value} can no longer be edited.", field="state")

    def edit(self, changes: dict[str, Any]) -> None:
        self.ensure_editable()
        unknown = sorted(set(changes) - EDITABLE_FIELDS)
        if unknown:
            raise InvalidInput(f"{unknown[0]} cannot be changed.", field=unknown[0])
        for name, value in changes.items():
            setattr(self, name, value)
        self.validate()
        self.version += 1

    def submit(self, now: datetime) -> None:
        self.ensure_editable()
        self.validate()
        self.state = ApplicationState.SUBMITTED
        self.submitted_at = self.submitted_at or now  # the first submission keeps its place in the queue
        self.version += 1

    def return_for_completion(self, message: str) -> None:
        if self.state is not ApplicationState.SUBMITTED:
            raise Conflict(f"Only a submitted application can be returned; this one is {self.state.value}.")
        message = message.strip()
        if not message:
            raise InvalidInput("Tell the applicant what to complete.", field="message")
        self.state, self.completion_request = ApplicationState.RETURNED, message
        self.version += 1

    def withdraw(self) -> None:
        if self.state not in (ApplicationState.DRAFT, *AWAITING_DECISION):
            raise Conflict(f"An application that is {self.state.value} can no longer be withdrawn.", field="state")
        self.state = ApplicationState.WITHDRAWN
        self.version += 1

    def ensure_decidable(self) -> None:
        if self.state not in (*AWAITING_DECISION, ApplicationState.DECIDED):
            raise Conflict(f"An application that is {self.state.value} cannot be decided.", field="state")

    def mark_decided(self) -> None:
        self.ensure_decidable()
        self.state = ApplicationState.DECIDED
        self.version += 1

    def held_cents(self, *, continuous: bool, approved_cents: int | None) -> int:
        """What this application holds of the round's appropriation now (see the module's docstring)."""
        if self.state is ApplicationState.DECIDED:
            return approved_cents or 0
        if continuous and self.state in AWAITING_DECISION:
            return self.requested_cents
        return 0


@dataclass
class Decision:
    """The approved amount (0 … requested) and why; public only once the round's decisions are published."""

    application_id: uuid.UUID
    round_id: uuid.UUID
    approved_cents: int
    rationale: str
    decided_by: str
    decided_at: datetime

    def is_public(self, *, round_published: bool, published_at: datetime | None) -> bool:
        """Public once the round is published, or (continuous intake) once a publication has covered it."""
        return round_published or (published_at is not None and self.decided_at <= published_at)

    def validate(self, requested_cents: int) -> None:
        if not 0 <= self.approved_cents <= requested_cents:
            raise InvalidInput(
                f"Approve between 0 and the {euros(requested_cents)} applied for.", field="approved_cents"
            )
        self.rationale = self.rationale.strip()
        if not self.rationale:
            raise InvalidInput("Give the rationale of the decision.", field="rationale")
