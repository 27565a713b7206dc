"""A department (toimiala) of the city: it names liaison contacts and manages grant programmes and premises."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass
class Department:
    id: uuid.UUID
    code: str
    name: str
    description: str | None = None
