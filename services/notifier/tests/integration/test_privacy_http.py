"""A person's data on request (administrators only): the export holds the subscription and every delivery
record of the address, found by its digest; the erasure forgets them and the stored export reply. The staff's
delivery log shows an issue's or an address's deliveries: state, attempts, error and when sent, no body."""

from __future__ import annotations

import uuid

import pytest

from notifier.domain.subscriber import digest
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock, new_address
from .test_confirmation_mail import deliver
from .test_newsletter_mail import confirmed, send_issue
from .test_subscriptions_http import field_of

pytestmark = pytest.mark.integration


async def test_the_staff_read_an_issues_and_an_addresss_deliveries_without_bodies(
    api: Api, clock: Clock, tokens: Tokens
) -> None:
    district = f"district-{uuid.uuid4().hex[:6]}"
    address, other = (
        await confirmed(api, clock, districts=[district]),
        await confirmed(api, clock, districts=[district]),
    )
    issue = await send_issue(api, clock, districts=[district])
    await deliver(api, clock)
    staff = tokens.staff("sport")  # any department's staff may read the log

    log = await api.client.get(f"/issues/{issue.id}/deliveries", headers=staff, params={"limit": 1})
    assert log.status_code == 200, log.text
    assert log.json()["total"] == 2 and len(log.json()["items"]) == 1
    [first] = log.json()["items"]
    assert first["kind"] == "newsletter" and first["state"] == "sent" and first["attempts"] == 1
    assert first["error"] is None and first["sent_at"] is not None
    assert not {"subject", "text_body", "html_body", "address", "email"} & set(first)
    assert address not in log.text and other not in log.text

    mine = await api.client.post("/deliveries/search", headers=staff, json={"recipient": address.upper()})
    assert mine.status_code == 200, mine.text
    assert sorted(d["kind"] for d in mine.json()["items"]) == ["confirmation", "newsletter"]
    assert address not in mine.text

    bad = await api.client.post("/deliveries/search", headers=staff, json={"recipient": "not an address"})
    assert bad.status_code == 422 and field_of(bad) == ["recipient"]
    for headers in ({}, tokens.association(uuid.uuid4())):
        assert (
            await api.client.post("/deliveries/search", headers=headers, json={"recipient": address})
        ).status_code in (
            401,
            403,
        )
        assert (await api.client.get(f"/issues/{issue.id}/deliveries", headers=headers)).status_code in (401, 403)
    missing = await api.client.get(f"/issues/{uuid.uuid4()}/deliveries", headers=staff)
    assert missing.status_code == 404


async def test_an_admin_exports_and_erases_a_persons_subscription_and_deliveries(
    api: Api, clock: Clock, tokens: Tokens
) -> None:
    address = await confirmed(api, clock, fields_of_activity=["sport"])
    await deliver(api, clock)
    admin = tokens.admin()

    refused = await api.client.post("/privacy/exports", headers=tokens.staff("culture"), json={"email": address})
    assert refused.status_code == 403
    exported = await api.client.post(
        "/privacy/exports", headers=admin | {"Idempotency-Key": f"export-{uuid.uuid4()}"}, json={"email": address}
    )
    assert exported.status_code == 200, exported.text
    body = exported.json()
    assert body["email"] == address and body["subscription"]["state"] == "confirmed"
    assert body["subscription"]["interests"]["fields_of_activity"] == ["sport"]
    assert [d["kind"] for d in body["deliveries"]] == ["confirmation"]
    assert body["deliveries"][0]["state"] == "sent"
    assert await api.scalar("SELECT count(*) FROM idempotency_record WHERE response_body->>'email' = :e", e=address)

    erased = await api.client.post("/privacy/erasures", headers=admin, json={"email": address.upper()})
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"subscriptions": 1, "deliveries": 1, "stored_replies": 1}
    assert await api.scalar("SELECT count(*) FROM subscriber WHERE email_digest = :d", d=digest(address)) == 0
    assert await api.scalar("SELECT count(*) FROM delivery WHERE recipient_digest = :d", d=digest(address)) == 0
    assert not await api.scalar("SELECT count(*) FROM idempotency_record WHERE response_body->>'email' = :e", e=address)

    again = await api.client.post("/privacy/exports", headers=admin, json={"email": address})
    assert again.json() == {"email": address, "subscription": None, "deliveries": []}
    nobody = await api.client.post("/privacy/erasures", headers=admin, json={"email": new_address()})
    assert nobody.json() == {"subscriptions": 0, "deliveries": 0, "stored_replies": 0}
    bad = await api.client.post("/privacy/erasures", headers=admin, json={"email": "nobody"})
    assert bad.status_code == 422 and field_of(bad) == ["email"]


async def test_the_directory_forwards_a_request_with_its_service_token_and_no_other_service_may(
    api: Api, clock: Clock, tokens: Tokens
) -> None:
    """ADR 0015: the directory's service token opens /privacy (an admin's request forwarded); another service's
    token, staff and representatives are refused, the anonymous asked to sign in."""
    address = await confirmed(api, clock)
    await deliver(api, clock)
    for headers, status in (
        ({}, 401),
        (tokens.service("service:grants"), 403),
        (tokens.service("service:notifier"), 403),
        (tokens.service("directory"), 403),  # the subject must be the directory's, in full
        (tokens.staff("culture"), 403),
        (tokens.association(uuid.uuid4()), 403),
    ):
        for route in ("/privacy/exports", "/privacy/erasures"):
            refused = await api.client.post(route, headers=headers, json={"email": address})
            assert refused.status_code == status, (route, headers, refused.text)
    directory = tokens.service("service:directory")

    exported = await api.client.post("/privacy/exports", headers=directory, json={"email": address})
    assert exported.status_code == 200, exported.text
    assert exported.json()["subscription"]["state"] == "confirmed" and len(exported.json()["deliveries"]) == 1
    key = {"Idempotency-Key": f"erasure-{uuid.uuid4()}"}
    erased = await api.client.post("/privacy/erasures", headers=directory | key, json={"email": address})
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"subscriptions": 1, "deliveries": 1, "stored_replies": 0}
    # A forward retried with its key gets the first counts, not zeros: the directory records what was erased.
    retried = await api.client.post("/privacy/erasures", headers=directory | key, json={"email": address})
    assert retried.json() == erased.json() and retried.headers["idempotent-replayed"] == "true"
    assert await api.scalar("SELECT count(*) FROM subscriber WHERE email_digest = :d", d=digest(address)) == 0
    empty = await api.client.post("/privacy/exports", headers=directory, json={"email": address})
    assert empty.json() == {"email": address, "subscription": None, "deliveries": []}
