"""Grants, asked at send time who holds a grant and who is a partner (ADR 0003, ADR 0011, ADR 0017): applicant
ids only, read with a ``service`` token; the directory then says where their representatives are reached.

The notifier keeps neither list: an event for ``grantees`` or ``partners`` asks again when it arrives.
"""

from __future__ import annotations

import uuid

import httpx

from notifier.adapters.pages import every_item
from notifier.config import Settings
from shared.http.peers import answered, peer_client


class GrantsUnavailable(Exception):
    """Grants did not answer: the event is retried later (the consumer's back-off)."""


class GrantsClient:
    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.http = peer_client(settings, settings.grants_url, token=settings.grants_token, transport=transport)

    async def _get(self, path: str, params: dict[str, str | list[str]]) -> httpx.Response:
        answer = await answered(self.http.get(path, params=params), GrantsUnavailable)
        answer.raise_for_status()
        return answer

    async def _applicants(self, path: str) -> list[uuid.UUID]:
        return [uuid.UUID(str(i["applicant_id"])) for i in await every_item(self._get, path, {})]

    async def grantees(self) -> list[uuid.UUID]:
        """The applicants holding a grant now (grants' ``GET /audiences/grantees`` says what that means)."""
        return await self._applicants("/audiences/grantees")

    async def partners(self) -> list[uuid.UUID]:
        """The applicants with a partnership agreement in force now (``GET /audiences/partners``)."""
        return await self._applicants("/audiences/partners")

    async def close(self) -> None:
        await self.http.aclose()
