"""An application's budget: expense and income lines whose balance is the amount applied for.

The rule the city applies: ``requested = sum(expenses) - sum(income)``. Attachments are metadata only (the
files themselves live in the document store); each is at most 20 MB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import InvalidInput

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


class LineKind(StrEnum):
    EXPENSE = "expense"
    INCOME = "income"


def euros(cents: int) -> str:
    """``123456`` -> ``1234.56 EUR``: amounts in messages."""
    return f"{cents / 100:.2f} EUR"


@dataclass
class BudgetLine:
    kind: LineKind
    description: str
    amount_cents: int

    @classmethod
    def of(cls, value: BudgetLine | dict[str, Any]) -> BudgetLine:
        if isinstance(value, BudgetLine):
            return value
        return cls(kind=LineKind(value["kind"]), description=value["description"], amount_cents=value["amount_cents"])

    def validate(self, at: str) -> None:
        self.description = self.description.strip()
        if not self.description:
            raise InvalidInput("Describe every budget line.", field=f"{at}.description")
        if self.amount_cents <= 0:
            raise InvalidInput("A budget line's amount must be more than zero.", field=f"{at}.amount_cents")


@dataclass
class Attachment:
    name: str
    content_type: str
    size_bytes: int

    @classmethod
    def of(cls, value: Attachment | dict[str, Any]) -> Attachment:
        if isinstance(value, Attachment):
            return value
        return cls(name=value["name"], content_type=value["content_type"], size_bytes=value["size_bytes"])

    def validate(self, at: str) -> None:
        self.name = self.name.strip()
        if not self.name:
            raise InvalidInput("Every attachment has a file name.", field=f"{at}.name")
        self.content_type = self.content_type.strip().lower()
        if not _CONTENT_TYPE.match(self.content_type):
            raise InvalidInput("Give the attachment's media type, e.g. application/pdf.", field=f"{at}.content_type")
        if not 0 < self.size_bytes <= MAX_ATTACHMENT_BYTES:
            raise InvalidInput("An attachment is at most 20 MB and not empty.", field=f"{at}.size_bytes")


def total(lines: list[BudgetLine], kind: LineKind) -> int:
    return sum(line.amount_cents for line in lines if line.kind is kind)


def check_balance(lines: list[BudgetLine], requested_cents: int) -> None:
    """Every line is valid and expenses less income is exactly the amount applied for."""
    for index, line in enumerate(lines):
        line.validate(f"budget.{index}")
    expenses, income = total(lines, LineKind.EXPENSE), total(lines, LineKind.INCOME)
    if expenses - income != requested_cents:
        raise InvalidInput(
            f"The budget does not add up: expenses {euros(expenses)} less income {euros(income)} is "
            f"{euros(expenses - income)}, but {euros(requested_cents)} is applied for.",
            field="budget",
        )
