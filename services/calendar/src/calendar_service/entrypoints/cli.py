"""Operator commands of the calendar service beside its roles."""

from __future__ import annotations

import httpx

from calendar_service.bootstrap import Calendar
from calendar_service.service_layer.directory_sync import sync_directory


async def sync_directory_command(container: Calendar) -> None:
    """``calendar sync-directory``: the first fill of the calendar's copy of the directory's associations
    (harmless to repeat)."""
    settings = container.settings
    if not settings.directory_token:
        raise SystemExit("Set CALENDAR_DIRECTORY_TOKEN to a staff or admin token of the directory.")
    headers = {"Authorization": f"Bearer {settings.directory_token}"}
    async with httpx.AsyncClient(base_url=settings.directory_url, headers=headers, timeout=30) as client:
        seen = await sync_directory(container.uow, client)
    print(f"copied {seen} associations")
