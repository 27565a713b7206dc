"""Signed links: an HMAC-SHA256 over what a link stands for, so that only the service can make one.

Lifted from the calendar's per-association feed links (``sign`` is exactly its token) so that the notifier's
confirmation, unsubscribe and preference links use the same mechanism. ``make_token``/``read_token`` add a
purpose (a confirmation link cannot unsubscribe) and an optional expiry, carried in the token itself::

    token = make_token(key, "confirm", "subscriber:5f0c...", expires_at=now + timedelta(hours=48))
    subject = read_token(key, "confirm", token, now=now)   # raises InvalidToken or ExpiredToken
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime


class InvalidToken(Exception):
    """Not a token this key made for this purpose."""


class ExpiredToken(InvalidToken):
    """A genuine token whose time ran out."""


def sign(key: str, *parts: object) -> str:
    message = ":".join(str(p) for p in parts).encode()
    digest = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signature_matches(key: str, signature: str, *parts: object) -> bool:
    return hmac.compare_digest(sign(key, *parts).encode(), signature.encode())


def make_token(key: str, purpose: str, subject: str, *, expires_at: datetime | None = None) -> str:
    """``<subject>.<expiry or 0>.<signature>``; the subject must not contain a dot."""
    if "." in subject:
        raise ValueError("a signed subject has no dot")
    expiry = str(int(expires_at.timestamp())) if expires_at is not None else "0"
    return f"{subject}.{expiry}.{sign(key, purpose, subject, expiry)}"


def read_token(key: str, purpose: str, token: str, *, now: datetime | None = None) -> str:
    """The subject a genuine, unexpired token of ``purpose`` stands for."""
    subject, _, rest = token.partition(".")
    expiry, _, signature = rest.partition(".")
    if not subject or not expiry.isdigit() or len(expiry) > 12 or not signature:
        raise InvalidToken("malformed")
    if not signature_matches(key, signature, purpose, subject, expiry):
        raise InvalidToken("signature")
    if expiry != "0" and int(expiry) < (now or datetime.now(UTC)).timestamp():
        raise ExpiredToken("expired")
    return subject
