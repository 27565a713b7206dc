"""Controlled vocabularies used to target communication (fields of activity) and to describe people's roles."""

from __future__ import annotations

from enum import StrEnum

FIELDS_OF_ACTIVITY = frozenset(
    {
        "culture",
        "sports",
        "youth",
        "children_and_families",
        "seniors",
        "social_and_health",
        "disability",
        "environment",
        "residents_and_villages",
        "education",
        "multicultural",
        "hobbies",
        "veterans",
        "religious",
        "business_and_professional",
        "other",
    }
)


class RepresentativeRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SECRETARY = "secretary"
    TREASURER = "treasurer"
    CONTACT_PERSON = "contact_person"
    BOARD_MEMBER = "board_member"
