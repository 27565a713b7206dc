"""An association's own feed lives behind an unguessable link: an HMAC of its id and the link's generation.

Revoking the link moves the generation on, so every earlier link stops working at once; the key is a secret
of the service (``CALENDAR_FEED_SIGNING_KEY``), so nobody can compute a link for another association. The
signing itself is the shared one (``shared.signing``), which the notifier's links use too.
"""

from __future__ import annotations

import uuid

from shared.signing import sign, signature_matches


def feed_token(key: str, association_id: uuid.UUID, generation: int) -> str:
    return sign(key, association_id, generation)


def token_matches(key: str, association_id: uuid.UUID, generation: int, token: str) -> bool:
    return signature_matches(key, token, association_id, generation)
