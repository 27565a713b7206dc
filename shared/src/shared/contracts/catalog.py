"""Imports every producer's contract module so the registry is complete."""

from shared.contracts import directory, grants  # noqa: F401
from shared.contracts.envelope import registry

__all__ = ["registry"]
