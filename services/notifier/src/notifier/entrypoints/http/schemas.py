"""Request and response bodies: ``XCreate`` / ``XUpdate`` / ``XRead`` per resource.

Requests are ``RequestModel``s (strict, closed). A subscriber's address goes in and never comes back out:
no answer says whether an address is known.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from notifier.domain.subscriber import Interests, Language, Subscriber, SubscriberState
from shared.http.schemas import NOT_BLANK, Choice, RequestModel

Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NOT_BLANK]
Token = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class InterestsIn(RequestModel):
    """What a subscriber would like to hear about; each list may be left out (nothing in particular)."""

    fields_of_activity: list[Term] = Field(default=[], max_length=30)
    districts: list[Term] = Field(default=[], max_length=30)
    association_kinds: list[Term] = Field(default=[], max_length=30)

    def domain(self) -> Interests:
        return Interests(list(self.fields_of_activity), list(self.districts), list(self.association_kinds))


class InterestsRead(BaseModel):
    fields_of_activity: list[str]
    districts: list[str]
    association_kinds: list[str]


class SubscriptionCreate(RequestModel):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)] = Field(
        examples=["maija@example.org"]
    )
    language: Choice[Language] = Language.FI
    interests: InterestsIn = Field(default_factory=InterestsIn)


class SubscriptionAccepted(BaseModel):
    """The same answer for every address, known or not, confirmed or not."""

    status: Literal["accepted"] = "accepted"
    detail: str = (
        "If the address can receive mail and is not subscribed yet, a confirmation link is on its way. "
        "The subscription begins when the link is followed."
    )


class ConfirmationCreate(RequestModel):
    token: Token


class SubscriptionRead(BaseModel):
    """A subscription as its own link holder sees it (never the address)."""

    state: SubscriberState
    language: Language
    interests: InterestsRead

    @classmethod
    def of(cls, s: Subscriber) -> SubscriptionRead:
        interests = InterestsRead(
            fields_of_activity=s.fields_of_activity, districts=s.districts, association_kinds=s.association_kinds
        )
        return cls(state=s.state, language=s.language, interests=interests)


class UnsubscriptionRead(BaseModel):
    state: Literal["unsubscribed"] = "unsubscribed"


class PreferencesUpdate(RequestModel):
    language: Choice[Language]
    interests: InterestsIn = Field(default_factory=InterestsIn)
