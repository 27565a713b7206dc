"""Calling another service's service-only routes (ADR 0011): a client that carries this service's bearer token,
and one rule for an answer that did not come.

A peer that cannot be reached, times out or answers 5xx is *unavailable*: what asked (a consumer's handler, a
forwarded privacy request) raises the caller's own exception for it and is tried again later. Any other
answer is the caller's to read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from shared.auth.tokens import service_token
from shared.config import ServiceSettings


def peer_client(
    settings: ServiceSettings, base_url: str, *, token: str | None, timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:  # fmt: skip
    """A client for ``base_url`` sending the configured ``token``, else one minted for ``service:<name>``."""
    bearer = service_token(settings, token)
    return httpx.AsyncClient(
        base_url=base_url, headers={"Authorization": f"Bearer {bearer}"}, timeout=timeout, transport=transport
    )


async def answered(request: Awaitable[httpx.Response], unavailable: Callable[[str], Exception]) -> httpx.Response:
    """The peer's answer, or ``unavailable(reason)`` raised when it gave none: no connection, a timeout, a 5xx."""
    try:
        answer = await request
    except httpx.HTTPError as exc:
        raise unavailable(type(exc).__name__) from exc
    if answer.status_code >= 500:
        raise unavailable(f"answered {answer.status_code}")
    return answer
