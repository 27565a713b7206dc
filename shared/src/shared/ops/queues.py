"""How full a queue is: messages and consumers by AMQP passive declare, unacknowledged ones by the management API.

A passive declare answers the same on RabbitMQ 3.10 and 3.13/4.x and needs no plugin; it does not count the
messages consumers hold unacknowledged, which only the management API (``--management-url``) tells.
"""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection


@dataclass(frozen=True)
class QueueStats:
    name: str
    messages: int | None  # ready messages; None when the queue does not exist
    consumers: int | None

    @property
    def exists(self) -> bool:
        return self.messages is not None


class QueueInspector:
    """One connection for many looks; a missing queue closes only the channel that asked (404), not the rest."""

    def __init__(self, amqp_url: str, *, timeout: float = 5.0) -> None:
        self.amqp_url, self.timeout = amqp_url, timeout
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None

    async def __aenter__(self) -> QueueInspector:
        return self

    async def __aexit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _open_channel(self) -> AbstractChannel:
        if self._connection is None or self._connection.is_closed:
            self._connection = await aio_pika.connect(self.amqp_url, timeout=self.timeout)
            self._channel = None
        if self._channel is None or self._channel.is_closed:
            self._channel = await self._connection.channel(publisher_confirms=False)
        return self._channel

    async def stats(self, names: Sequence[str]) -> dict[str, QueueStats]:
        found: dict[str, QueueStats] = {}
        for name in names:
            channel = await self._open_channel()
            try:
                queue = await asyncio.wait_for(channel.declare_queue(name, passive=True), self.timeout)
            except aio_pika.exceptions.ChannelNotFoundEntity:
                found[name] = QueueStats(name, None, None)
                self._channel = None
                continue
            result = queue.declaration_result
            found[name] = QueueStats(name, result.message_count or 0, result.consumer_count or 0)
        return found

    async def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and not connection.is_closed:
            await connection.close()


async def queue_stats(amqp_url: str, names: Sequence[str]) -> dict[str, QueueStats]:
    async with QueueInspector(amqp_url) as inspector:
        return await inspector.stats(names)


def vhost_of(amqp_url: str) -> str:
    path = unquote(urlsplit(amqp_url).path.removeprefix("/"))
    return path or "/"


async def unacknowledged(management_url: str, vhost: str, *, timeout: float = 5.0) -> dict[str, int]:
    """``{queue: unacknowledged messages}`` for one vhost, from ``GET /api/queues/<vhost>`` (credentials in the URL)."""
    parts = urlsplit(management_url)
    base = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "") + parts.path.rstrip("/")
    request = urllib.request.Request(f"{base}/api/queues/{quote(vhost, safe='')}?columns=name,messages_unacknowledged")
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(credentials).decode())

    def fetch() -> list[dict[str, object]]:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return list(json.load(response))

    queues = await asyncio.to_thread(fetch)
    return {str(q["name"]): int(str(q.get("messages_unacknowledged") or 0)) for q in queues}
