"""RabbitMQ helpers for tests: read what arrived on a queue, and remove a test run's names afterwards."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel


async def drain(channel: AbstractChannel, queue: str, *, expect: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Take messages from ``queue`` until ``expect`` arrived or nothing more came for ``timeout`` seconds."""
    q = await channel.get_queue(queue, ensure=False)
    bodies: list[dict[str, Any]] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(bodies) < expect and asyncio.get_running_loop().time() < deadline:
        message = await q.get(no_ack=True, fail=False)
        if message is None:
            await asyncio.sleep(0.05)
            continue
        bodies.append(json.loads(message.body))
    return bodies


async def queue_depth(channel: AbstractChannel, queue: str) -> int:
    declared = await channel.declare_queue(queue, passive=True)
    return declared.declaration_result.message_count or 0


async def delete_namespace(amqp_url: str, namespace: str) -> None:
    """Delete the queues and exchanges named ``<namespace>.*`` (needs rabbitmqctl; else leaves them)."""
    if not namespace or shutil.which("rabbitmqctl") is None:
        return

    def names(kind: str) -> list[str]:
        out = subprocess.run(
            ["rabbitmqctl", "-q", f"list_{kind}", "name"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
        return [n.strip() for n in out.splitlines() if n.strip().startswith(f"{namespace}.")]

    queues, exchanges = await asyncio.to_thread(names, "queues"), await asyncio.to_thread(names, "exchanges")
    connection = await aio_pika.connect(amqp_url, timeout=30)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            await channel.queue_delete(queue)
        for exchange in exchanges:
            await channel.exchange_delete(exchange)
