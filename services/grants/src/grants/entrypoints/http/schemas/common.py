"""Pieces the grants schemas share."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Cents = Annotated[int, Field(ge=0, le=10**12, description="Euros in cents: 1250 is 12.50 EUR.")]
PositiveCents = Annotated[int, Field(gt=0, le=10**12, description="Euros in cents: 1250 is 12.50 EUR.")]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        """The fields the client sent, as plain values for the domain."""
        return self.model_dump(exclude_unset=True)


M = TypeVar("M", bound=BaseModel)


def read(model: type[M], obj: object, **extra: Any) -> M:
    """The response model of a domain object, with extra fields the object does not carry."""
    return model.model_validate(obj, from_attributes=True).model_copy(update=extra)
