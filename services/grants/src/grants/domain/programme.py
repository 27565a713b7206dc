"""Grant programmes: who may apply, how (a yearly round or continuous intake) and for how much."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from shared.contracts.directory import ApplicantKind
from shared.contracts.grants import GrantKind, Intake
from shared.errors import InvalidInput


@dataclass
class Programme:
    id: uuid.UUID
    name: str
    kind: GrantKind
    intake: Intake
    department_code: str
    eligible_kinds: list[ApplicantKind]
    description: str | None = None
    fields_of_activity: list[str] = field(default_factory=list)
    responsible_liaison_id: uuid.UUID | None = None
    fixed_amount_cents: int | None = None
    max_amount_cents: int | None = None
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self) -> None:
        if not self.eligible_kinds:
            raise InvalidInput("Name at least one kind of applicant who may apply.", field="eligible_kinds")
        self.eligible_kinds = sorted(set(self.eligible_kinds))
        if self.kind is GrantKind.LIGHT:
            if self.intake is not Intake.CONTINUOUS:
                raise InvalidInput("Light grants are applied for continuously.", field="intake")
            if (self.fixed_amount_cents is None) == (self.max_amount_cents is None):
                raise InvalidInput("A light grant has either a fixed amount or a maximum.", field="fixed_amount_cents")
        elif ApplicantKind.PRIVATE_PERSON in self.eligible_kinds:
            raise InvalidInput("Only light grants are open to private persons.", field="eligible_kinds")
        if self.fixed_amount_cents is not None and self.max_amount_cents is not None:
            raise InvalidInput("Give a fixed amount or a maximum, not both.", field="max_amount_cents")

    def check_eligible(self, kind: ApplicantKind) -> None:
        if kind not in self.eligible_kinds:
            allowed = ", ".join(k.value.replace("_", " ") for k in self.eligible_kinds)
            raise InvalidInput(f"This programme is open to: {allowed}.", field="applicant_id")

    def check_amount(self, requested_cents: int) -> None:
        if self.fixed_amount_cents is not None and requested_cents != self.fixed_amount_cents:
            raise InvalidInput(
                f"This grant is a fixed {self.fixed_amount_cents / 100:.2f} EUR.", field="requested_cents"
            )
        if self.max_amount_cents is not None and requested_cents > self.max_amount_cents:
            raise InvalidInput(
                f"At most {self.max_amount_cents / 100:.2f} EUR may be applied for.", field="requested_cents"
            )
