"""The back-off of an erasure forward: the configured delays in turn, then the last one for as long as it takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from directory.service_layer.privacy_forwarding import next_attempt

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 30), (2, 120), (3, 600), (4, 600), (40, 600)])
def test_a_failed_forward_waits_longer_each_time_and_never_gives_up(attempts: int, seconds: int) -> None:
    assert next_attempt(NOW, attempts, [30, 120, 600]) == NOW + timedelta(seconds=seconds)
