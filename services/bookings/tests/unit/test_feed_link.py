"""The private feed link: only the service's secret makes one, and a changed character breaks it."""

from __future__ import annotations

import uuid

import pytest

from bookings.domain.feed import CalendarFeed, feed_id_of

pytestmark = pytest.mark.unit


def _feed() -> CalendarFeed:
    return CalendarFeed(id=uuid.uuid4(), applicant_id=uuid.uuid4(), created_by="staff-1")


def test_a_link_names_its_feed() -> None:
    feed = _feed()
    assert feed_id_of(feed.token("secret"), "secret") == feed.id


@pytest.mark.parametrize("tamper", ["other-secret", "changed-signature", "other-feed", "no-signature", "junk"])
def test_a_link_not_made_with_the_secret_names_nothing(tamper: str) -> None:
    feed = _feed()
    token = feed.token("secret")
    secret = "secret"
    if tamper == "other-secret":
        secret = "other-secret"
    elif tamper == "changed-signature":
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    elif tamper == "other-feed":
        token = f"{uuid.uuid4().hex}.{token.partition('.')[2]}"
    elif tamper == "no-signature":
        token = feed.id.hex
    else:
        token = "not-a-uuid.abc"
    assert feed_id_of(token, secret) is None
