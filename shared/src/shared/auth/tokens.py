"""Bearer JWT verification: HS256 with a shared secret in development, RS256 via JWKS in production."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import jwt
from pydantic import ValidationError

from shared.auth.principal import Principal, Role


class TokenError(Exception):
    pass


class TokenVerifier:
    """Verifies a bearer token, and remembers the tokens it has verified until they expire.

    A frontend sends the same token with every request of a session, and checking its signature and claims cost
    ~700 function calls per request. A token that passed is kept (at most ``remember`` of them, the least
    recently used dropped first) with its ``exp``, and is taken from there while ``exp`` has not passed, exactly
    as long as ``jwt.decode`` would accept it. Only tokens that passed are kept: a bad token is checked, and
    refused, every time.
    """

    def __init__(
        self,
        *,
        secret: str | None,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
        remember: int = 4096,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer, self.audience, self.secret = issuer, audience, secret
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._remember, self._clock, self._lock = remember, clock, threading.Lock()

    @property
    def may_fetch_keys(self) -> bool:
        """Whether ``verify`` may fetch the JWKS over the network (then it must not run on the event loop)."""
        return self._jwks is not None

    def verify(self, token: str) -> Principal:
        with self._lock:  # a JWKS verifier runs in the thread pool
            known = self._verified.get(token)
            if known is not None:
                if self._clock() < known[1]:
                    self._verified.move_to_end(token)
                    return known[0]
                del self._verified[token]
        principal, expires = self._decode(token)
        with self._lock:
            self._verified[token] = (principal, expires)
            if len(self._verified) > self._remember:
                self._verified.popitem(last=False)
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            if self._jwks is not None:
                key: Any = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = ["RS256"]
            else:
                key, algorithms = self.secret, ["HS256"]
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise TokenError(str(exc)) from exc
        return principal_from_claims(claims), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    role = claims.get("role")
    if role not in (Role.ASSOCIATION, Role.STAFF, Role.ADMIN, Role.SERVICE):
        raise TokenError("the token has no valid 'role' claim")  # deny by default
    try:
        principal = Principal(
            subject=str(claims["sub"]),
            role=Role(role),
            association_ids=frozenset(uuid.UUID(str(a)) for a in claims.get("association_ids", [])),
            department=claims.get("department"),
        )
    except (ValueError, ValidationError) as exc:
        raise TokenError(f"malformed claims: {exc}") from exc
    if principal.role is Role.STAFF and not principal.department:
        raise TokenError("a staff token must name its 'department'")
    return principal


def mint_token(
    *,
    secret: str,
    subject: str,
    role: Role | str,
    association_ids: Iterable[uuid.UUID | str] = (),
    department: str | None = None,
    issuer: str = "pori-dev",
    audience: str = "pori-associations",
    ttl_seconds: int = 8 * 3600,
) -> str:
    """A development token (HS256). Production tokens come from the city's identity provider."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "role": str(role),
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if association_ids:
        claims["association_ids"] = [str(a) for a in association_ids]
    if department:
        claims["department"] = department
    return jwt.encode(claims, secret, algorithm="HS256")


class _IssuesTokens(Protocol):
    service_name: str
    jwt_secret: str
    jwt_issuer: str
    jwt_audience: str


def service_token(settings: _IssuesTokens, configured: str | None) -> str:
    """The bearer token a service calls another's service-only routes with (ADR 0011): the one configured for it
    (from the identity provider), else one minted with the shared secret for ``service:<its name>``, for a year
    (development and tests, where both sides share ``jwt_secret``)."""
    return configured or mint_token(
        secret=settings.jwt_secret,
        subject=f"service:{settings.service_name}",
        role=Role.SERVICE,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl_seconds=365 * 24 * 3600,
    )
