"""A subscriber of Yhdistysuutiset: an address that confirmed (double opt-in), its language and interests.

The address is the notifier's own personal data: it stays in this table and in nothing else of the notifier's
(deliveries keep the subscriber's id and a digest; events, logs and links never carry it).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shared.errors import Conflict, InvalidInput

_ADDRESS = re.compile(r"^[^@\s,;<>\"]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")


class Language(StrEnum):
    FI = "fi"
    SV = "sv"
    EN = "en"


class SubscriberState(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"


def normalise_address(value: str) -> str:
    address = value.strip().lower()
    if len(address) > 254 or not _ADDRESS.match(address):
        raise InvalidInput("This is not an email address.", field="email")
    return address


def digest(address: str) -> str:
    """Stands for an address in deliveries and erasure: the same address gives the same digest."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def _has_surrogate(term: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in term)


def clean_terms(values: list[str], name: str) -> list[str]:
    terms = list(dict.fromkeys(v.strip().lower() for v in values if v.strip()))
    if len(terms) > 30 or any(len(t) > 100 for t in terms):
        raise InvalidInput("At most 30 terms of at most 100 characters.", field=name)
    if any(_has_surrogate(t) for t in terms):
        raise InvalidInput("A term holds a character that is not text (a lone surrogate).", field=name)
    return terms


@dataclass
class Interests:
    fields_of_activity: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    association_kinds: list[str] = field(default_factory=list)

    def cleaned(self) -> Interests:
        return Interests(
            clean_terms(self.fields_of_activity, "fields_of_activity"),
            clean_terms(self.districts, "districts"),
            clean_terms(self.association_kinds, "association_kinds"),
        )


@dataclass
class Subscriber:
    id: uuid.UUID
    email: str
    email_digest: str
    state: SubscriberState
    language: Language = Language.FI
    fields_of_activity: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    association_kinds: list[str] = field(default_factory=list)
    confirmations_sent: int = 0
    confirmed_at: datetime | None = None
    unsubscribed_at: datetime | None = None

    @classmethod
    def new(cls, address: str, language: Language, interests: Interests) -> Subscriber:
        email = normalise_address(address)
        s = cls(id=uuid.uuid4(), email=email, email_digest=digest(email), state=SubscriberState.PENDING)
        s.prefer(language, interests)
        return s

    @property
    def ref(self) -> str:
        return f"subscriber:{self.id}"

    def prefer(self, language: Language, interests: Interests) -> None:
        clean = interests.cleaned()
        self.language = language
        self.fields_of_activity, self.districts = clean.fields_of_activity, clean.districts
        self.association_kinds = clean.association_kinds

    def ask_again(self) -> int:
        """Someone subscribed this address (again): a new confirmation is due unless it is confirmed already."""
        if self.state is SubscriberState.UNSUBSCRIBED:
            self.state, self.unsubscribed_at = SubscriberState.PENDING, None
        self.confirmations_sent += 1
        return self.confirmations_sent

    def confirm(self, now: datetime) -> None:
        if self.state is SubscriberState.UNSUBSCRIBED:
            raise Conflict("This subscription was cancelled; subscribe again.", field="token")
        if self.state is SubscriberState.PENDING:
            self.state, self.confirmed_at = SubscriberState.CONFIRMED, now

    def unsubscribe(self, now: datetime) -> None:
        """At once and idempotent: a second unsubscribe changes nothing."""
        if self.state is not SubscriberState.UNSUBSCRIBED:
            self.state, self.unsubscribed_at = SubscriberState.UNSUBSCRIBED, now
