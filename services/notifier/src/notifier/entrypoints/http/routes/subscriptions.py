"""Subscriptions to Yhdistysuutiset, for anyone and without signing in: subscribe (double opt-in), confirm,
unsubscribe in one click (RFC 8058), change preferences. The links in the mails carry a signed token.

Subscribing answers ``202`` with the same body for every address, so that nobody learns who is subscribed;
the public POSTs are rate-limited per client address.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from notifier.entrypoints.http.deps import HTML, PUBLIC_ERRORS, LinkToken, NotifierSettings, Now, RateLimited, Uow
from notifier.entrypoints.http.schemas import (
    ConfirmationCreate,
    PreferencesUpdate,
    SubscriptionAccepted,
    SubscriptionCreate,
    SubscriptionRead,
    UnsubscriptionRead,
)
from notifier.service_layer import subscriptions
from notifier.service_layer.pages import unsubscribed_page
from shared.http.idempotency import Idempotent

router = APIRouter(tags=["subscriptions"])
JSON_OR_HTML: dict[int | str, dict[str, Any]] = {**PUBLIC_ERRORS, 200: {"content": HTML}}


@router.post(
    "/subscriptions", status_code=202, response_model=SubscriptionAccepted, responses=PUBLIC_ERRORS,
    dependencies=[RateLimited],
)  # fmt: skip
async def subscribe(
    body: SubscriptionCreate, uow: Uow, settings: NotifierSettings, now: Now, idem: Idempotent
) -> JSONResponse:
    """Subscribe an address: a confirmation link is mailed to it where one is due (double opt-in)."""
    return await idem.run(
        uow,
        lambda: subscriptions.subscribe(
            uow, settings=settings, email=body.email, language=body.language, interests=body.interests.domain(),
            now=now,
        ),
        lambda _: SubscriptionAccepted(),
        status_code=202,
    )  # fmt: skip


@router.post(
    "/subscriptions/confirm", response_model=SubscriptionRead, responses=PUBLIC_ERRORS, dependencies=[RateLimited]
)
async def confirm(
    body: ConfirmationCreate, uow: Uow, settings: NotifierSettings, now: Now, idem: Idempotent
) -> JSONResponse:
    """Confirm a subscription with the token of the confirmation link; confirming again changes nothing."""
    return await idem.run(
        uow, lambda: subscriptions.confirm(uow, settings=settings, token=body.token, now=now), SubscriptionRead.of
    )


@router.post("/unsubscribe", response_model=UnsubscriptionRead, responses=JSON_OR_HTML, dependencies=[RateLimited])
async def unsubscribe(
    request: Request, token: LinkToken, uow: Uow, settings: NotifierSettings, now: Now, idem: Idempotent
) -> HTMLResponse | JSONResponse:
    """One-click unsubscribe (RFC 8058): what a mail program posts (the body ``List-Unsubscribe=One-Click``, or
    none) to the ``List-Unsubscribe`` address. No sign-in; at once; the same answer every time. A browser
    (asking for HTML) gets a page."""
    if "text/html" in request.headers.get("accept", ""):
        await subscriptions.unsubscribe(uow, settings=settings, token=token, now=now)
        return HTMLResponse(unsubscribed_page())
    return await idem.run(
        uow,
        lambda: subscriptions.unsubscribe(uow, settings=settings, token=token, now=now),
        lambda _: UnsubscriptionRead(),
    )


@router.get("/preferences", response_model=SubscriptionRead, responses={404: PUBLIC_ERRORS[404]})
async def preferences(token: LinkToken, uow: Uow, settings: NotifierSettings, now: Now) -> SubscriptionRead:
    """The subscription's language and interests, as the preferences link in every mail shows them."""
    return SubscriptionRead.of(await subscriptions.preferences(uow, settings=settings, token=token, now=now))


@router.put("/preferences", response_model=SubscriptionRead, responses=PUBLIC_ERRORS, dependencies=[RateLimited])
async def change_preferences(
    token: LinkToken, body: PreferencesUpdate, uow: Uow, settings: NotifierSettings, now: Now, idem: Idempotent
) -> JSONResponse:
    """Change the language and the interests (the lists given replace the earlier ones)."""
    return await idem.run(
        uow,
        lambda: subscriptions.change_preferences(
            uow, settings=settings, token=token, language=body.language, interests=body.interests.domain(), now=now
        ),
        SubscriptionRead.of,
    )
