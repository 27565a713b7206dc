"""Dependencies the routes share: the unit of work, the clock and settings of the app's container, and the
public endpoints' rate limit."""

from __future__ import annotations

import math
import time
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from starlette.exceptions import HTTPException

from notifier.bootstrap import Notifier
from notifier.config import Settings
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.http.deps import Now, unit_of_work
from shared.http.problems import PROBLEM_JSON

Uow = Annotated[NotifierUnitOfWork, Depends(unit_of_work)]


def _settings(request: Request) -> Settings:
    notifier: Notifier = request.app.state.container
    return notifier.settings


NotifierSettings = Annotated[Settings, Depends(_settings)]
LinkToken = Annotated[str, Query(min_length=1, max_length=500, description="The signed token of the link in the mail.")]


async def public_rate_limit(request: Request) -> None:
    """At most ``public_rate_limit`` requests per client address and endpoint, a moving window (``limits``)."""
    notifier: Notifier = request.app.state.container
    client = request.client.host if request.client else "unknown"
    if not await notifier.rate_limit.allow(request.url.path, client):
        reset = await notifier.rate_limit.reset_at(request.url.path, client)
        wait = max(1, math.ceil(reset - time.time()))
        raise HTTPException(
            429, f"Too many requests from this address; try again in {wait} seconds.", {"Retry-After": str(wait)}
        )


RateLimited = Depends(public_rate_limit)
PROBLEM: dict[str, Any] = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
PUBLIC_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "The link is not one of ours (or its subscription is gone)", "content": PROBLEM},
    429: {
        "description": "Too many requests from this address; wait `Retry-After` seconds",
        "content": PROBLEM,
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}},
    },
}
HTML: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}

__all__ = ["HTML", "PUBLIC_ERRORS", "LinkToken", "NotifierSettings", "Now", "RateLimited", "Uow"]
