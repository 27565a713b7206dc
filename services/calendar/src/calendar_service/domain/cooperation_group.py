"""The cooperation group (yhdistysyhteistyöryhmä): the organisations in it, each with the name and role of its
representative as staff type them in (nothing else about a person). The wellbeing services county (hyvinvointi-
alue) sits in it as a cooperation partner."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shared.errors import InvalidInput


class MemberKind(StrEnum):
    ASSOCIATION = "association"  # an association of the directory (``directory_id``)
    CITY = "city"  # a city department
    WELLBEING_SERVICES_COUNTY = "wellbeing_services_county"  # a cooperation partner
    OTHER_PARTNER = "other_partner"


@dataclass
class Member:
    id: uuid.UUID
    organisation: str
    kind: MemberKind
    role_fi: str
    representative: str | None = None
    directory_id: uuid.UUID | None = None
    active: bool = True
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    @property
    def cooperation_partner(self) -> bool:
        return self.kind in (MemberKind.WELLBEING_SERVICES_COUNTY, MemberKind.OTHER_PARTNER)

    def validate(self) -> None:
        if self.kind is MemberKind.ASSOCIATION and self.directory_id is None:
            raise InvalidInput("An association member names its directory id.", field="directory_id")
        if self.kind is not MemberKind.ASSOCIATION and self.directory_id is not None:
            raise InvalidInput("Only an association has a directory id.", field="directory_id")
