"""The signed links of the mails (``shared.signing``): a token stands for the recipient, never the address."""

from __future__ import annotations

from datetime import datetime, timedelta

from notifier.config import Settings
from shared.signing import make_token

CONFIRM, UNSUBSCRIBE, PREFERENCES = "confirm", "unsubscribe", "preferences"


def confirm_url(settings: Settings, recipient_ref: str, now: datetime) -> str:
    expires = now + timedelta(hours=settings.confirmation_valid_hours)
    token = make_token(settings.link_signing_key, CONFIRM, recipient_ref, expires_at=expires)
    return f"{settings.public_base_url}/confirm?token={token}"


def unsubscribe_url(settings: Settings, recipient_ref: str) -> str:
    token = make_token(settings.link_signing_key, UNSUBSCRIBE, recipient_ref)
    return f"{settings.public_base_url}/unsubscribe?token={token}"


def preferences_url(settings: Settings, recipient_ref: str) -> str:
    token = make_token(settings.link_signing_key, PREFERENCES, recipient_ref)
    return f"{settings.public_base_url}/preferences?token={token}"
