"""FastAPI dependencies for the caller's identity: anonymous unless a valid bearer token says otherwise.

They are ``async def``: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop per
dependency per request for a few microseconds of work. Only a token checked against a JWKS URL (whose keys
may be fetched over the network) is verified in the thread pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from shared.auth.principal import ANONYMOUS, Principal, Role
from shared.auth.tokens import TokenError, TokenVerifier
from shared.http.problems import Problem

_bearer = HTTPBearer(auto_error=False, description="A JWT from the city's identity provider.")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        return ANONYMOUS
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        if verifier.may_fetch_keys:
            return await run_in_threadpool(verifier.verify, credentials.credentials)
        return verifier.verify(credentials.credentials)
    except TokenError as exc:
        raise Problem(401, "Invalid token", str(exc)) from exc


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


G = TypeVar("G", bound=Callable[..., Awaitable[Principal]])


def signs_in(guard: G) -> G:
    """Mark a guard that refuses an anonymous caller: the OpenAPI document then says the route needs a bearer
    token (``shared.http.openapi``), rather than that signing in is optional."""
    guard.refuses_anonymous = True  # type: ignore[attr-defined]
    return guard


def refuses_anonymous(call: Callable[..., Any]) -> bool:
    return getattr(call, "refuses_anonymous", False) is True


@signs_in
async def require_signed_in(principal: CurrentPrincipal) -> Principal:
    if principal.role is Role.ANONYMOUS:
        raise Problem(401, "Sign-in required", "This needs a bearer token.")
    if principal.role is Role.SERVICE:
        raise Problem(403, "Forbidden", "A service token opens only the routes made for services.")
    return principal


@signs_in
async def require_service(principal: CurrentPrincipal) -> Principal:
    """Another service of the platform (role ``service``): the few routes made for it, and nothing else."""
    if principal.role is Role.ANONYMOUS:
        raise Problem(401, "Sign-in required", "This needs a bearer token.")
    if principal.role is not Role.SERVICE:
        raise Problem(403, "Forbidden", "Only another service of the platform may do this.")
    return principal


@signs_in
async def require_staff(principal: CurrentPrincipal) -> Principal:
    await require_signed_in(principal)
    if not principal.is_staff_or_admin:
        raise Problem(403, "Forbidden", "Only city staff may do this.")
    return principal


@signs_in
async def require_admin(principal: CurrentPrincipal) -> Principal:
    await require_signed_in(principal)
    if principal.role is not Role.ADMIN:
        raise Problem(403, "Forbidden", "Only an administrator may do this.")
    return principal


def admin_or_service(name: str) -> Callable[[Principal], Awaitable[Principal]]:
    """An administrator, or the one platform service ``name`` (ADR 0011: a route names the service it admits).

    The directory's privacy requests reach the other services' ``/privacy`` routes this way (ADR 0015); any other
    service token is refused as on an ``Admin`` route."""

    async def require_admin_or_service(principal: CurrentPrincipal) -> Principal:
        if principal.is_service(name):
            return principal
        return await require_admin(principal)

    return signs_in(require_admin_or_service)


SignedIn = Annotated[Principal, Depends(require_signed_in)]
ServiceCaller = Annotated[Principal, Depends(require_service)]
Staff = Annotated[Principal, Depends(require_staff)]
Admin = Annotated[Principal, Depends(require_admin)]
AdminOrDirectory = Annotated[Principal, Depends(admin_or_service("directory"))]
"""The ``/privacy`` routes of the services holding personal data: an admin, or the directory forwarding one's
request (ADR 0015)."""
