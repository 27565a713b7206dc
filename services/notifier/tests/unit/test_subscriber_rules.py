"""Subscribers' and issues' own rules, and the signed links: pure Python, no servers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Interests, Language, Subscriber, SubscriberState, digest
from shared.errors import Conflict, InvalidInput
from shared.signing import ExpiredToken, InvalidToken, make_token, read_token

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def test_an_address_is_normalised_and_its_digest_does_not_depend_on_case() -> None:
    s = Subscriber.new("  Maija@Example.ORG ", Language.SV, Interests(["Sport", "sport ", ""]))
    assert s.email == "maija@example.org" and s.state is SubscriberState.PENDING
    assert s.email_digest == digest("MAIJA@example.org") and s.fields_of_activity == ["sport"]


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@b", "two@@x.fi", "a b@x.fi", "x@" + "a" * 300 + ".fi"])
def test_what_is_not_an_address_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Subscriber.new(bad, Language.FI, Interests())
    assert refused.value.field == "email"


def test_confirming_twice_is_one_confirmation_and_unsubscribing_is_idempotent() -> None:
    s = Subscriber.new("a@example.org", Language.FI, Interests())
    s.confirm(NOW)
    s.confirm(NOW + timedelta(hours=1))
    assert s.confirmed_at == NOW
    s.unsubscribe(NOW)
    s.unsubscribe(NOW + timedelta(days=1))
    assert s.state is SubscriberState.UNSUBSCRIBED and s.unsubscribed_at == NOW
    with pytest.raises(Conflict):
        s.confirm(NOW)
    s.ask_again()
    assert s.state.value == "pending"


def test_a_segment_matches_on_every_criterion_given() -> None:
    issue = Issue(uuid.uuid4(), "Otsikko", "Teksti", "culture", "staff", districts=["keskusta"], languages=["sv"])
    s = Subscriber.new("a@example.org", Language.SV, Interests(districts=["Keskusta"]))
    assert not issue.reaches(s)  # not confirmed yet
    s.confirm(NOW)
    assert issue.reaches(s)
    s.language = Language.FI
    assert not issue.reaches(s)


def test_an_issue_falls_back_to_finnish_and_only_a_scheduled_one_is_cancelled() -> None:
    issue = Issue(uuid.uuid4(), "Otsikko", "Teksti", "culture", "staff", subject_sv="Rubrik", body_sv="Text")
    assert issue.content(Language.SV) == (Language.SV, "Rubrik", "Text")
    assert issue.content(Language.EN) == (Language.FI, "Otsikko", "Teksti")
    with pytest.raises(Conflict):
        issue.cancel()
    with pytest.raises(InvalidInput):
        issue.schedule(NOW - timedelta(minutes=1), NOW)
    issue.schedule(NOW + timedelta(days=1), NOW)
    issue.cancel()
    assert issue.state is IssueState.CANCELLED


def test_a_signed_link_serves_its_own_purpose_until_it_expires() -> None:
    token = make_token("key", "confirm", "subscriber:1", expires_at=NOW + timedelta(hours=1))
    assert read_token("key", "confirm", token, now=NOW) == "subscriber:1"
    with pytest.raises(InvalidToken):
        read_token("key", "unsubscribe", token, now=NOW)
    with pytest.raises(InvalidToken):
        read_token("other-key", "confirm", token, now=NOW)
    with pytest.raises(ExpiredToken):
        read_token("key", "confirm", token, now=NOW + timedelta(hours=2))
    forever = make_token("key", "unsubscribe", "subscriber:1")
    assert read_token("key", "unsubscribe", forever, now=NOW + timedelta(days=3650)) == "subscriber:1"
    for garbage in ("", "x", "a.b.c", "a.99.", ".0.sig", token + "x"):
        with pytest.raises(InvalidToken):
            read_token("key", "confirm", garbage, now=NOW)
