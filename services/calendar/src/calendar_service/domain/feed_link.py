"""An association's own feed lives behind an unguessable link: an HMAC of its id and the link's generation.

Revoking the link moves the generation on, so every earlier link stops working at once; the key is a secret
of the service (``CALENDAR_FEED_SIGNING_KEY``), so nobody can compute a link for another association.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid


def feed_token(key: str, association_id: uuid.UUID, generation: int) -> str:
    digest = hmac.new(key.encode(), f"{association_id}:{generation}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_matches(key: str, association_id: uuid.UUID, generation: int, token: str) -> bool:
    return hmac.compare_digest(feed_token(key, association_id, generation).encode(), token.encode())
