"""An association's private calendar feed: an unguessable signed link that can be revoked.

The link is ``<feed id>.<signature>``: the id is random, the signature an HMAC of it with the service's feed
secret, so a link cannot be made up, and it works only while its feed row is not revoked.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass
class CalendarFeed:
    id: uuid.UUID
    applicant_id: uuid.UUID
    created_by: str
    revoked_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def token(self, secret: str) -> str:
        return f"{self.id.hex}.{sign(self.id, secret)}"


def sign(feed_id: uuid.UUID, secret: str) -> str:
    return hmac.new(secret.encode(), feed_id.bytes, hashlib.sha256).hexdigest()[:32]


def feed_id_of(token: str, secret: str) -> uuid.UUID | None:
    """The feed a link names, if its signature is right."""
    id_part, _, signature = token.partition(".")
    try:
        feed_id = uuid.UUID(hex=id_part)
    except ValueError:
        return None
    return feed_id if hmac.compare_digest(signature, sign(feed_id, secret)) else None
