"""The readiness probe's broker check: it must notice a broker that went away.

A kept connection does not always learn that its peer is gone (a stopped or killed node, a cut network), so
``is_closed`` alone once answered "ok" for minutes. Each probe therefore makes the broker answer: it opens and
closes a channel on the kept connection, within a timeout, and reconnects once if that fails.
"""

from __future__ import annotations

import asyncio
import contextlib

import aio_pika
from aio_pika.abc import AbstractConnection
from pydantic import BaseModel, Field

PROBE_TIMEOUT_SECONDS = 2.0


class Readiness(BaseModel):
    status: str = Field(description="`ok`, or `unavailable` when a check failed (answered with 503)")
    checks: dict[str, str] = Field(description="Each dependency: `ok`, or why it is unavailable", examples=[
        {"database": "ok", "broker": "ok"}
    ])  # fmt: skip


class BrokerProbe:
    def __init__(self, url: str, timeout: float = PROBE_TIMEOUT_SECONDS) -> None:
        self.url, self.timeout = url, timeout
        self._connection: AbstractConnection | None = None

    async def ready(self) -> bool:
        for _ in range(2):  # the kept connection, then a fresh one
            try:
                if self._connection is None or self._connection.is_closed:
                    self._connection = await aio_pika.connect(self.url, timeout=self.timeout)
                await asyncio.wait_for(self._round_trip(self._connection), timeout=self.timeout)
                return True
            except (TimeoutError, OSError, aio_pika.exceptions.AMQPError, RuntimeError):
                await self.close()
        return False

    @staticmethod
    async def _round_trip(connection: AbstractConnection) -> None:
        channel = await connection.channel(publisher_confirms=False)
        await channel.close()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), timeout=self.timeout)
