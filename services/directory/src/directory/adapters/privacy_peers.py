"""The other services holding a person's data, asked by the directory on an administrator's behalf (ADR 0015).

The notifier (subscriptions, delivery records) and the calendar (registrations' contacts) each answer
``POST /privacy/exports`` and ``POST /privacy/erasures`` for the directory's ``service`` token. The address
travels in the request body only; nothing here logs it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import httpx

from directory.config import Settings
from directory.service_layer.privacy_forwarding import PeerUnavailable
from shared.http.peers import answered, peer_client


class HttpPrivacyPeer:
    """One service's /privacy routes over HTTP (``service_layer.privacy_forwarding.PrivacyPeer``)."""

    def __init__(self, name: str, http: httpx.AsyncClient) -> None:
        self.name, self.http = name, http

    async def _post(self, path: str, email: str, headers: dict[str, str]) -> dict[str, Any]:
        answer = await answered(
            self.http.post(path, json={"email": email}, headers=headers), partial(PeerUnavailable, self.name)
        )
        if not answer.is_success:
            # A refusal (401, 403, 404) is a misconfiguration to fix (token, URL), not an answer: it waits too.
            raise PeerUnavailable(self.name, f"answered {answer.status_code}")
        try:
            body = answer.json()
        except ValueError as exc:
            raise PeerUnavailable(self.name, "answered no JSON") from exc
        if not isinstance(body, dict):
            raise PeerUnavailable(self.name, "answered no JSON object")
        return body

    async def export(self, email: str) -> dict[str, Any]:
        """Everything the service holds about the address (no ``Idempotency-Key``: its reply would keep a copy)."""
        return await self._post("/privacy/exports", email, {})

    async def erase(self, email: str, *, key: str) -> dict[str, int]:
        """Erase the address there; a retry with the same ``key`` gets the first answer's counts."""
        body = await self._post("/privacy/erasures", email, {"Idempotency-Key": key})
        return {str(k): int(v) for k, v in body.items() if isinstance(v, int)}

    async def close(self) -> None:
        await self.http.aclose()


def privacy_peers(settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> list[HttpPrivacyPeer]:
    return [
        HttpPrivacyPeer(
            name,
            peer_client(
                settings,
                url,
                token=settings.service_token,
                timeout=settings.privacy_peer_timeout_seconds,
                transport=transport,
            ),
        )
        for name, url in (("notifier", settings.notifier_url), ("calendar", settings.calendar_url))
    ]
