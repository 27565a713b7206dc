"""Pieces the grants schemas share."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, StringConstraints

from shared.http.schemas import NOT_BLANK, RequestModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NOT_BLANK]
Cents = Annotated[int, Field(ge=0, le=10**12, description="Euros in cents: 1250 is 12.50 EUR.")]
PositiveCents = Annotated[int, Field(gt=0, le=10**12, description="Euros in cents: 1250 is 12.50 EUR.")]


class In(RequestModel):
    """A request body: strict and closed (see ``shared.http.schemas``)."""


M = TypeVar("M", bound=BaseModel)


def read(model: type[M], obj: object, **extra: Any) -> M:
    """The response model of a domain object, with extra fields the object does not carry."""
    return model.model_validate(obj, from_attributes=True).model_copy(update=extra)
