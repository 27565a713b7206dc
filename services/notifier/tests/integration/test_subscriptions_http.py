"""The public subscription endpoints end to end: subscribe, the mail, its link's page, confirm, preferences,
one-click unsubscribe; the same answer for every address; bad links named; the rate limit."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from notifier.bootstrap import RateLimit
from notifier.domain.subscriber import digest
from notifier.service_layer.links import unsubscribe_url
from shared.testing.mail import MailCatcher

from ..conftest import Api, Clock, new_address
from .test_confirmation_mail import deliver

pytestmark = pytest.mark.integration


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


async def subscribed(api: Api, clock: Clock, catcher: MailCatcher, address: str, **body: object) -> str:
    """Subscribe over HTTP and return the token of the confirmation link that arrived."""
    answer = await api.client.post("/subscriptions", json={"email": address, **body})
    assert answer.status_code == 202, answer.text
    await deliver(api, clock)
    mail = catcher.wait_for(1, to=address)[-1]
    found = re.search(r"http://notifier/confirm\?token=\S+", mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert found
    return token_of(found.group(0))


async def state(api: Api, address: str) -> str:
    return str(await api.scalar("SELECT state FROM subscriber WHERE email_digest = :d", d=digest(address)))


def field_of(answer: httpx.Response) -> list[str]:
    assert answer.headers["content-type"] == "application/problem+json", answer.text
    return [e["field"] for e in answer.json().get("errors", [])]


async def test_subscribe_confirm_from_the_page_and_change_preferences(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    address = new_address()
    body = {"language": "sv", "interests": {"districts": ["Keskusta"]}}
    token = await subscribed(api, clock, catcher, address, **body)
    assert catcher.to(address)[0]["Content-Language"] == "sv"

    page = await api.client.get("/confirm", params={"token": token})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'method="post"' in page.text and "/confirm?token=" in page.text
    assert await state(api, address) == "pending"  # opening the link changes nothing
    action = re.search(r'action="([^"]+)"', page.text)
    assert action
    done = await api.client.post(action.group(1).replace("&amp;", "&"))
    assert done.status_code == 200 and "vahvistettu" in done.text
    assert await state(api, address) == "confirmed"
    again = await api.client.post("/subscriptions/confirm", json={"token": token})
    assert again.status_code == 200, again.text
    assert again.json() == {
        "state": "confirmed",
        "language": "sv",
        "interests": {"fields_of_activity": [], "districts": ["keskusta"], "association_kinds": []},
    }

    subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(address))
    from notifier.service_layer.links import preferences_url

    prefs = token_of(preferences_url(api.notifier.settings, f"subscriber:{subscriber_id}"))
    shown = await api.client.get("/preferences", params={"token": prefs})
    assert shown.status_code == 200 and shown.json()["language"] == "sv"
    changed = await api.client.put(
        "/preferences", params={"token": prefs}, json={"language": "en", "interests": {"fields_of_activity": ["Sport"]}}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["language"] == "en" and changed.json()["interests"]["fields_of_activity"] == ["sport"]
    assert changed.json()["interests"]["districts"] == []
    wrong = await api.client.put("/preferences", params={"token": prefs}, json={"language": "de"})
    assert wrong.status_code == 422 and field_of(wrong) == ["language"]


async def test_the_answer_is_the_same_for_a_new_a_pending_and_a_confirmed_address(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    confirmed = new_address()
    token = await subscribed(api, clock, catcher, confirmed)
    assert (await api.client.post("/subscriptions/confirm", json={"token": token})).status_code == 200
    pending = new_address()
    first = await api.client.post("/subscriptions", json={"email": pending})

    answers = [await api.client.post("/subscriptions", json={"email": a}) for a in (new_address(), pending, confirmed)]
    assert {a.status_code for a in [first, *answers]} == {202}
    assert len({a.content for a in [first, *answers]}) == 1
    assert {tuple(sorted(k for k in a.headers if k != "x-correlation-id")) for a in answers} == {
        tuple(sorted(k for k in first.headers if k != "x-correlation-id"))
    }
    assert confirmed not in first.text
    await deliver(api, clock)
    assert len(catcher.to(confirmed)) == 1  # a confirmed address hears nothing more
    bad = await api.client.post("/subscriptions", json={"email": "not-an-address"})
    assert bad.status_code == 422 and field_of(bad) == ["email"]
    bad = await api.client.post("/subscriptions", json={"email": confirmed, "language": "de"})
    assert bad.status_code == 422 and field_of(bad) == ["language"]


async def test_an_expired_or_forged_link_is_refused_naming_the_token(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    address = new_address()
    token = await subscribed(api, clock, catcher, address)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    unsubscribe = token_of(unsubscribe_url(api.notifier.settings, "subscriber:00000000-0000-0000-0000-000000000000"))
    for answer in (
        await api.client.post("/subscriptions/confirm", json={"token": forged}),
        await api.client.get("/confirm", params={"token": forged}),
        await api.client.post("/confirm", params={"token": "garbage"}),
        await api.client.post("/unsubscribe", params={"token": token}),  # a confirmation link cannot unsubscribe
        await api.client.get("/preferences", params={"token": unsubscribe}),
        await api.client.put("/preferences", params={"token": "x.0.y"}, json={"language": "fi"}),
    ):
        assert answer.status_code == 404, answer.text
        assert field_of(answer) == ["token"]

    clock.advance(hours=api.notifier.settings.confirmation_valid_hours, seconds=1)
    for answer in (
        await api.client.post("/subscriptions/confirm", json={"token": token}),
        await api.client.get("/confirm", params={"token": token}),
    ):
        assert answer.status_code == 422, answer.text
        assert field_of(answer) == ["token"] and "expired" in answer.json()["detail"]
    assert await state(api, address) == "pending"
    missing = await api.client.post("/unsubscribe")
    assert missing.status_code == 422 and field_of(missing) == ["query.token"]


async def test_one_click_unsubscribe_works_without_login_and_twice(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    address = new_address()
    token = await subscribed(api, clock, catcher, address)
    await api.client.post("/subscriptions/confirm", json={"token": token})
    subscriber_id = await api.scalar("SELECT id FROM subscriber WHERE email_digest = :d", d=digest(address))
    url = unsubscribe_url(api.notifier.settings, f"subscriber:{subscriber_id}").removeprefix("http://notifier")

    page = await api.client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.text
    assert await state(api, address) == "confirmed"  # the page alone changes nothing
    form = {"content-type": "application/x-www-form-urlencoded"}
    for _ in range(2):
        answer = await api.client.post(url, content=b"List-Unsubscribe=One-Click", headers=form)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"state": "unsubscribed"}
        assert await state(api, address) == "unsubscribed"
    from_browser = await api.client.post(url, headers={"accept": "text/html"})
    assert from_browser.status_code == 200 and "Tilaus peruttu" in from_browser.text
    # Subscribing again asks for a new confirmation; an old confirmation link no longer revives the address.
    assert (await api.client.post("/subscriptions/confirm", json={"token": token})).status_code == 409


async def test_the_public_posts_are_rate_limited_per_client(api: Api) -> None:
    notifier = api.notifier
    kept, notifier.rate_limit = notifier.rate_limit, RateLimit("2/minute")
    try:
        for _ in range(2):
            assert (await api.client.post("/subscriptions", json={"email": new_address()})).status_code == 202
        limited = await api.client.post("/subscriptions", json={"email": new_address()})
        assert limited.status_code == 429
        assert limited.headers["content-type"] == "application/problem+json"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert limited.json()["status"] == 429
        # Another endpoint has its own window.
        assert (await api.client.post("/subscriptions/confirm", json={"token": "a.0.b"})).status_code == 404
    finally:
        notifier.rate_limit = kept


async def test_a_representative_unsubscribes_from_notifications_in_one_click(api: Api) -> None:
    ref = "representative:5b1f7c2e-0000-4000-8000-000000000001"
    url = unsubscribe_url(api.notifier.settings, ref).removeprefix("http://notifier")
    for _ in range(2):
        answer = await api.client.post(url, content=b"List-Unsubscribe=One-Click")
        assert answer.status_code == 200 and answer.json() == {"state": "unsubscribed"}
    assert await api.scalar("SELECT count(*) FROM opt_out WHERE recipient_ref = :r", r=ref) == 1


async def test_a_retried_subscription_with_its_idempotency_key_asks_once(api: Api) -> None:
    address, key = new_address(), {"Idempotency-Key": new_address()}
    first = await api.client.post("/subscriptions", json={"email": address}, headers=key)
    again = await api.client.post("/subscriptions", json={"email": address}, headers=key)
    assert first.status_code == again.status_code == 202 and first.json() == again.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert await api.scalar("SELECT count(*) FROM delivery WHERE recipient_digest = :d", d=digest(address)) == 1
    other = await api.client.post("/subscriptions", json={"email": new_address()}, headers=key)
    assert other.status_code == 422 and field_of(other) == ["Idempotency-Key"]
