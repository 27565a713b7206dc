"""An association's private calendar feed: an unguessable signed link that can be revoked.

The link is ``<feed id>.<signature>``: the id is random, the signature an HMAC of it with the service's feed
secret, so a link cannot be made up, and it works only while its feed row is not revoked. The signing is the
shared one (``shared.signing``) the calendar's and the notifier's links use.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from shared.signing import sign, signature_matches

PURPOSE = "bookings-feed"


@dataclass
class CalendarFeed:
    id: uuid.UUID
    applicant_id: uuid.UUID
    created_by: str
    revoked_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def token(self, secret: str) -> str:
        return f"{self.id.hex}.{sign(secret, PURPOSE, self.id.hex)}"


def feed_id_of(token: str, secret: str) -> uuid.UUID | None:
    """The feed a link names, if its signature is right."""
    id_part, _, signature = token.partition(".")
    try:
        feed_id = uuid.UUID(hex=id_part)
    except ValueError:
        return None
    return feed_id if signature_matches(secret, signature, PURPOSE, feed_id.hex) else None
