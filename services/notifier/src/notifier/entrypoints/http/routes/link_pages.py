"""The pages a mail's links open: a button that does the deed with a POST (a GET changes nothing, so that a
mail scanner following the link neither confirms nor unsubscribes)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from notifier.entrypoints.http.deps import HTML, PUBLIC_ERRORS, LinkToken, NotifierSettings, Now, RateLimited, Uow
from notifier.service_layer import subscriptions
from notifier.service_layer.links import CONFIRM, UNSUBSCRIBE
from notifier.service_layer.pages import page

router = APIRouter(tags=["pages"])


@router.get("/confirm", response_class=HTMLResponse, responses={200: {"content": HTML}, 404: PUBLIC_ERRORS[404]})
async def confirm_page(token: LinkToken, settings: NotifierSettings, now: Now) -> HTMLResponse:
    """The confirmation link of the mail: a page with the confirm button (an expired link says so)."""
    subscriptions.check_link(settings=settings, purpose=CONFIRM, token=token, now=now)
    return HTMLResponse(page("confirm", "/confirm", token))


@router.post(
    "/confirm", response_class=HTMLResponse, responses={200: {"content": HTML}, **PUBLIC_ERRORS},
    dependencies=[RateLimited],
)  # fmt: skip
async def confirm_from_page(token: LinkToken, uow: Uow, settings: NotifierSettings, now: Now) -> HTMLResponse:
    """The confirm button's form; ``POST /subscriptions/confirm`` does the same for an app."""
    await subscriptions.confirm(uow, settings=settings, token=token, now=now)
    return HTMLResponse(page("confirmed"))


@router.get("/unsubscribe", response_class=HTMLResponse, responses={200: {"content": HTML}, 404: PUBLIC_ERRORS[404]})
async def unsubscribe_page(token: LinkToken, settings: NotifierSettings, now: Now) -> HTMLResponse:
    """The unsubscribe link of the mail: a page with the button, which posts to ``POST /unsubscribe``."""
    subscriptions.check_link(settings=settings, purpose=UNSUBSCRIBE, token=token, now=now)
    return HTMLResponse(page("unsubscribe", "/unsubscribe", token))
