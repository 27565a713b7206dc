"""Waiting for the running system in end-to-end stories: a condition that becomes true, mails that arrive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from typing import TypeVar

from shared.testing.mail import MailCatcher

T = TypeVar("T")


async def until(check: Callable[[], Awaitable[T | None]], timeout: float = 60) -> T:
    """What ``check`` returns once it returns something (not None), polled every 0.3 s for ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        if (found := await check()) is not None:
            return found
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.3)


async def mails_to(catcher: MailCatcher, address: str, count: int, timeout: float = 40) -> list[EmailMessage]:
    """The mails the catcher holds for ``address`` once there are ``count`` of them (or what came in time)."""
    deadline = time.monotonic() + timeout
    while True:
        found = catcher.to(address)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())
