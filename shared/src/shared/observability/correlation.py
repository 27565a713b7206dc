"""The correlation id of the work in progress, carried in structlog's context variables."""

from __future__ import annotations

import uuid

import structlog


def current_correlation_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return str(value) if value else None


def new_correlation_id() -> str:
    return uuid.uuid4().hex
