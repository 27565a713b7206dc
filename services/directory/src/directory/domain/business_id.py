"""The Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.

The check digit: multiply the digits by 7, 9, 10, 5, 8, 4, 2 and sum; r = sum mod 11. r = 0 gives 0,
r = 1 is never issued, otherwise the check digit is 11 - r. Old six-digit IDs are written with a leading 0.
"""

from __future__ import annotations

import re

from shared.errors import InvalidInput

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_FORMAT = re.compile(r"^(\d{6,7})-(\d)$")


def check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None when no valid ID has them (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """The canonical form ``1234567-8``; raises InvalidInput naming the field when it is not valid."""
    match = _FORMAT.match(value.strip())
    if not match:
        raise InvalidInput(
            "A business ID is seven digits, a hyphen and a check digit, e.g. 0737546-2.", field="business_id"
        )
    digits = match.group(1).rjust(7, "0")
    expected = check_digit(digits)
    if expected is None or expected != int(match.group(2)):
        raise InvalidInput("The business ID's check digit does not match.", field="business_id")
    return f"{digits}-{match.group(2)}"


_REGISTER_NUMBER = re.compile(r"^\d{1,3}(\.?\d{3})*$")


def normalise_register_number(value: str) -> str:
    """The register of associations number (yhdistysrekisterinumero), e.g. ``123.456`` -> ``123456``."""
    text = value.strip()
    if not _REGISTER_NUMBER.match(text) or len(text.replace(".", "")) > 9:
        raise InvalidInput(
            "A register number is digits, optionally grouped with dots, e.g. 123.456.", field="register_number"
        )
    return text.replace(".", "").lstrip("0") or "0"
