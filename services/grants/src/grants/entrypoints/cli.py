"""Operator commands of the grants service beside its roles."""

from __future__ import annotations

import httpx

from grants.bootstrap import Grants
from grants.service_layer.directory_sync import sync_directory


async def sync_directory_command(container: Grants) -> None:
    """``grants sync-directory``: the first fill of grants' copy from the directory's API (harmless to repeat)."""
    settings = container.settings
    if not settings.directory_token:
        raise SystemExit("Set GRANTS_DIRECTORY_TOKEN to a staff or admin token of the directory.")
    headers = {"Authorization": f"Bearer {settings.directory_token}"}
    async with httpx.AsyncClient(base_url=settings.directory_url, headers=headers, timeout=30) as client:
        counts = await sync_directory(container.uow, client)
    print(
        f"copied {counts['applicants']} applicants, {counts['departments']} departments "
        f"and {counts['liaisons']} liaison contacts"
    )
