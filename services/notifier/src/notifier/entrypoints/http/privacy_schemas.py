"""Bodies of the privacy requests and the staff's delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from notifier.domain.delivery import DeliveryKind, DeliveryState
from notifier.domain.subscriber import Language, SubscriberState
from notifier.entrypoints.http.schemas import InterestsRead
from notifier.service_layer.privacy import PersonData
from shared.http.schemas import RequestModel


class PersonRequest(RequestModel):
    """Personal-data requests name the person by email, in the body so it stays out of URLs and logs."""

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)] = Field(
        examples=["maija@example.org"]
    )


class DeliverySearch(RequestModel):
    """The address whose delivery log staff read, in the body so it stays out of URLs and logs."""

    recipient: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)] = Field(
        description="The recipient's email address."
    )


class DeliveryRead(BaseModel):
    """One mail's record: what for, its outcome and attempts; never its body or the address."""

    id: uuid.UUID
    kind: DeliveryKind
    source: str
    recipient_ref: str
    state: DeliveryState
    attempts: int
    error: str | None
    message_id: str
    created_at: datetime | None
    sent_at: datetime | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> DeliveryRead:
        return cls(**{k: v for k, v in row.items() if k not in ("last_error", "subject")}, error=row["last_error"])


class ExportedSubscription(BaseModel):
    id: uuid.UUID
    state: SubscriberState
    language: Language
    interests: InterestsRead
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None


class ExportedDelivery(DeliveryRead):
    subject: str | None = Field(description="The subject of a notification or confirmation (an issue's is its own).")

    @classmethod
    def of(cls, row: dict[str, Any]) -> ExportedDelivery:
        return cls(**DeliveryRead.of(row).model_dump(), subject=row["subject"])


class PersonalDataExport(BaseModel):
    email: str
    subscription: ExportedSubscription | None
    deliveries: list[ExportedDelivery]

    @classmethod
    def of(cls, found: PersonData) -> PersonalDataExport:
        s = found.subscription
        subscription = None
        if s is not None:
            interests = InterestsRead(
                fields_of_activity=s.fields_of_activity, districts=s.districts, association_kinds=s.association_kinds
            )
            subscription = ExportedSubscription(
                id=s.id, state=s.state, language=s.language, interests=interests, confirmed_at=s.confirmed_at,
                unsubscribed_at=s.unsubscribed_at,
            )  # fmt: skip
        return cls(
            email=found.email, subscription=subscription, deliveries=[ExportedDelivery.of(d) for d in found.deliveries]
        )


class ErasureRead(BaseModel):
    """How many records of each kind were erased."""

    subscriptions: int
    deliveries: int
    stored_replies: int
