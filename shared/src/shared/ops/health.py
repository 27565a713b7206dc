"""A service's readiness as its HTTP API answers it (``GET /health/ready``)."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from shared.config import ServiceSettings


@dataclass(frozen=True)
class Readiness:
    url: str
    ready: bool
    checks: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # why there was no answer


def ready_url(settings: ServiceSettings) -> str:
    host = settings.http_host if settings.http_host not in ("", "0.0.0.0", "::") else "127.0.0.1"
    return f"http://{host}:{settings.http_port}/health/ready"


async def readiness(url: str, *, timeout: float = 3.0) -> Readiness:
    def fetch() -> Readiness:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:  # 503 carries the failing checks
            status, body = exc.code, exc.read()
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            return Readiness(url, False, error=f"unreachable ({type(reason).__name__})")
        try:
            answer = json.loads(body)
            checks = {str(k): str(v) for k, v in dict(answer.get("checks") or {}).items()}
        except (ValueError, AttributeError, TypeError):
            return Readiness(url, False, error=f"HTTP {status}, not a readiness answer")
        return Readiness(url, status == 200 and answer.get("status") == "ok", checks)

    return await asyncio.to_thread(fetch)
