"""The retention settings: defaults longer than any redelivery, and an inbox that must outlive them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from shared.config import ServiceSettings


def test_the_defaults_keep_published_rows_two_days_and_inbox_rows_a_week() -> None:
    settings = ServiceSettings()
    assert settings.outbox_retention == timedelta(days=2) and settings.inbox_retention == timedelta(days=7)
    assert settings.redelivery_horizon() == timedelta(minutes=15)  # 10 deliveries x (61 s of retries + 30 s)
    assert settings.inbox_retention > settings.redelivery_horizon()


def test_an_inbox_retention_within_the_redelivery_horizon_is_refused() -> None:
    with pytest.raises(ValidationError, match="redelivery horizon"):
        ServiceSettings(inbox_retention=timedelta(hours=2), delivery_limit=100, handler_retry_delays_seconds=[60])


def test_retentions_are_read_as_iso_durations_and_have_a_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_RETENTION", "P14D")
    monkeypatch.setenv("OUTBOX_RETENTION", "PT36H")
    settings = ServiceSettings()
    assert settings.inbox_retention == timedelta(days=14) and settings.outbox_retention == timedelta(hours=36)
    with pytest.raises(ValidationError):
        ServiceSettings(outbox_retention=timedelta(minutes=5))
