"""The event notification tests' worker: the notifier's consumers on the real broker (see ``events.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from notifier.config import Settings

from .events import Worker, running_worker


@pytest_asyncio.fixture
async def worker(settings: Settings) -> AsyncIterator[Worker]:
    async with running_worker(settings) as running:
        yield running
