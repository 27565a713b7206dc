"""The envelope every message travels in, and the registry of versioned contracts.

A contract is a pydantic model registered with ``@contract(producer, name, version)``. Its routing key is
``<producer>.<Name>.v<version>``. A change that would break a consumer is a new version, published beside the
old one, never an edit: ``tests/contract`` diffs every contract against its committed JSON-schema snapshot.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class EventData(BaseModel):
    """Base of every event's ``data``. Read tolerantly: unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    event_version: ClassVar[int]
    producer: ClassVar[str]

    @classmethod
    def routing_key(cls) -> str:
        return f"{cls.producer}.{cls.event_type}.v{cls.event_version}"


D = TypeVar("D", bound=EventData)


class Envelope(BaseModel, Generic[D]):
    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: uuid.UUID = Field(description="Unique id of this event; the consumers' idempotency key.")
    type: str
    version: int
    occurred_at: AwareDatetime
    producer: str
    correlation_id: str | None = None
    data: D

    @classmethod
    def wrap(cls, data: EventData, *, correlation_id: str | None = None) -> Envelope[Any]:
        return Envelope[Any](
            event_id=uuid.uuid4(),
            type=data.event_type,
            version=data.event_version,
            occurred_at=datetime.now(UTC),
            producer=data.producer,
            correlation_id=correlation_id,
            data=data,
        )


@dataclass
class ContractRegistry:
    by_key: dict[str, type[EventData]]

    def register(self, model: type[EventData]) -> None:
        key = model.routing_key()
        if key in self.by_key and self.by_key[key] is not model:
            raise ValueError(f"contract {key} is registered twice")
        self.by_key[key] = model

    def all(self) -> list[type[EventData]]:
        return [self.by_key[k] for k in sorted(self.by_key)]


registry = ContractRegistry(by_key={})

M = TypeVar("M", bound=type[EventData])


def contract(producer: str, name: str, version: int) -> Any:
    """Class decorator: ``@contract("directory", "AssociationRegistered", 1)``."""

    def register(model: M) -> M:
        model.producer = producer
        model.event_type = name
        model.event_version = version
        registry.register(model)
        return model

    return register
