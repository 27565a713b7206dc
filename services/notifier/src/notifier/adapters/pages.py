"""Reading a peer's offset-paginated list (the kit's ``{items, total, limit, offset}``) to its end."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

PAGE = 100  # the kit's largest page

Get = Callable[[str, dict[str, str | list[str]]], Awaitable[httpx.Response]]


async def every_item(get: Get, path: str, params: dict[str, str | list[str]]) -> list[dict[str, Any]]:
    """Every item of ``path`` with these filters, a page of ``PAGE`` at a time, until ``total`` is read."""
    found: list[dict[str, Any]] = []
    while True:
        page = (await get(path, {**params, "limit": str(PAGE), "offset": str(len(found))})).json()
        found += page["items"]
        if not page["items"] or len(found) >= page["total"]:
            return found
