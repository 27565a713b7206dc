"""The staff's newsletter issues through the app on PostgreSQL and real SMTP: compose, preview, a test mail to
oneself, schedule in Helsinki time, the worker's jobs send to the segment only, progress, ``NewsletterSent``
once; cancel a scheduled one; who may do what; bad input named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from notifier.domain.subscriber import Language
from notifier.service_layer.sending import close_sent_issues, fan_out_due_issues
from shared.testing.mail import MailCatcher

from ..conftest import Api, Clock, new_address
from .test_confirmation_mail import deliver
from .test_newsletter_mail import confirmed, newsletters

pytestmark = pytest.mark.integration
HELSINKI = ZoneInfo("Europe/Helsinki")


def field_of(answer: httpx.Response) -> list[str]:
    assert answer.headers["content-type"] == "application/problem+json", answer.text
    return [e["field"] for e in answer.json().get("errors", [])]


def helsinki(moment: datetime) -> str:
    """A wall-clock time in Helsinki, without an offset, as a staff member types it."""
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


async def run_worker(api: Api, clock: Clock) -> None:
    n = api.notifier
    while await fan_out_due_issues(n.uow(), clock(), domain="pori.example"):
        pass
    await deliver(api, clock)


async def test_compose_preview_test_mail_schedule_and_send_to_the_segment_only(
    api: Api, clock: Clock, catcher: MailCatcher
) -> None:
    district = f"district-{uuid.uuid4().hex[:6]}"
    finn = await confirmed(api, clock, districts=[district])
    swede = await confirmed(api, clock, Language.SV, districts=[district])
    elsewhere = await confirmed(api, clock, districts=["elsewhere"])
    staff = api.tokens.staff("culture", subject="staff-maija")
    issue = await api.issue(
        subject_sv="Nyheter", body_sv="Hej <script>alert(1)</script> *alla*.",
        body_fi="# Hei\n\n[Linkki](javascript:alert(1)) <img src=x onerror=alert(1)> **tärkeää**",
        audience={"districts": [district.upper()]},
    )  # fmt: skip
    assert issue["state"] == "draft" and issue["audience"]["districts"] == [district]
    assert issue["department_code"] == "culture"
    url = f"/issues/{issue['id']}"

    fi = await api.client.get(f"{url}/preview", headers=staff)
    assert fi.status_code == 200, fi.text
    assert "<strong>tärkeää</strong>" in fi.json()["html"] and 'lang="fi"' in fi.json()["html"]
    assert 'href="javascript' not in fi.json()["html"] and "<img" not in fi.json()["html"]
    assert "<script>" not in fi.text and "tärkeää" in fi.json()["text"]
    sv = await api.client.get(f"{url}/preview", params={"language": "sv"}, headers=staff)
    assert sv.json()["language"] == "sv" and sv.json()["subject"] == "Nyheter"
    assert "<em>alla</em>" in sv.json()["html"] and "<script>" not in sv.json()["html"]
    en = await api.client.get(f"{url}/preview", params={"language": "en"}, headers=staff)
    assert en.json()["language"] == "fi" and en.json()["subject"] == issue["subject_fi"]

    own = new_address()
    tested = await api.client.post(f"{url}/test", json={"email": own}, headers=staff)
    assert tested.status_code == 202, tested.text
    await deliver(api, clock)
    [test_mail] = catcher.wait_for(1, to=own)
    assert test_mail["Subject"] == "[TESTI] " + issue["subject_fi"]
    assert "tärkeää" in test_mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    shown = (await api.client.get(url, headers=staff)).json()
    assert shown["state"] == "draft" and shown["progress"] == {"pending": 0, "sent": 0, "failed": 0}
    assert await newsletters(api, catcher, issue["id"], finn) == []

    send_at = clock() + timedelta(days=2)
    scheduled = await api.client.post(f"{url}/schedule", json={"send_at": helsinki(send_at)}, headers=staff)
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["state"] == "scheduled"
    assert datetime.fromisoformat(scheduled.json()["send_at"]) == send_at.replace(second=0)
    [event] = await api.outbox("NewsletterScheduled", issue_id=issue["id"])
    assert datetime.fromisoformat(event["data"]["send_at"]) == send_at.replace(second=0).astimezone(UTC)

    await run_worker(api, clock)  # not due yet
    assert await newsletters(api, catcher, issue["id"], finn) == []
    clock.advance(days=2, minutes=1)
    await run_worker(api, clock)
    [fi_mail], [sv_mail] = [await newsletters(api, catcher, issue["id"], a) for a in (finn, swede)]
    assert await newsletters(api, catcher, issue["id"], elsewhere) == []
    assert fi_mail["Subject"] == issue["subject_fi"] and sv_mail["Subject"] == "Nyheter"
    assert len(catcher.to(own)) == 1  # the test mail is not part of the sending

    for _ in range(2):
        await close_sent_issues(api.notifier.uow(), clock())
    done = (await api.client.get(url, headers=staff)).json()
    assert done["state"] == "sent" and done["recipients"] == 2
    assert done["progress"] == {"pending": 0, "sent": 2, "failed": 0}
    [sent] = await api.outbox("NewsletterSent", issue_id=issue["id"])
    assert sent["data"]["recipients"] == 2 and own not in str(sent)
    late = await api.client.patch(url, json={"subject_fi": "Myöhään"}, headers=staff)
    assert late.status_code == 409 and field_of(late) == ["state"]
    listed = await api.client.get("/issues", params={"state": "sent", "limit": 100}, headers=staff)
    assert listed.status_code == 200 and issue["id"] in {i["id"] for i in listed.json()["items"]}


async def test_a_scheduled_issue_is_changed_then_cancelled_and_never_sent(api: Api, clock: Clock) -> None:
    kind = f"kind-{uuid.uuid4().hex[:6]}"
    await confirmed(api, clock, association_kinds=[kind])
    staff = api.tokens.staff("culture")
    issue = await api.issue(audience={"association_kinds": [kind]})
    url = f"/issues/{issue['id']}"
    at = helsinki(clock() + timedelta(hours=3))
    assert (await api.client.post(f"{url}/schedule", json={"send_at": at}, headers=staff)).status_code == 200
    changed = await api.client.patch(url, json={"subject_sv": "Nyheter", "body_sv": "Hej."}, headers=staff)
    assert changed.status_code == 200 and changed.json()["subject_sv"] == "Nyheter", changed.text
    assert changed.json()["state"] == "scheduled" and changed.json()["body_fi"] == issue["body_fi"]
    cancelled = await api.client.post(f"{url}/cancel", headers=staff)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    again = await api.client.post(f"{url}/cancel", headers=staff)
    assert again.status_code == 409 and field_of(again) == ["state"]
    [announced] = await api.outbox("NewsletterCancelled", issue_id=issue["id"])  # once, for the calendar
    assert announced["data"]["department_code"] == "culture"
    clock.advance(hours=4)
    await run_worker(api, clock)
    shown = (await api.client.get(url, headers=staff)).json()
    assert shown["recipients"] is None and shown["progress"] == {"pending": 0, "sent": 0, "failed": 0}
    assert await api.outbox("NewsletterSent", issue_id=issue["id"]) == []


async def test_send_now_goes_out_at_the_next_fan_out(api: Api, clock: Clock, catcher: MailCatcher) -> None:
    language_only = await confirmed(api, clock, Language.EN)
    issue = await api.issue(audience={"languages": ["en"]}, subject_en="News", body_en="Hello.")
    sent = await api.client.post(f"/issues/{issue['id']}/send", headers=api.tokens.staff("culture"))
    assert sent.status_code == 200 and sent.json()["state"] == "scheduled", sent.text
    await run_worker(api, clock)
    [mail] = await newsletters(api, catcher, issue["id"], language_only)
    assert mail["Subject"] == "News"


async def test_only_staff_reach_the_issues_and_only_their_department_changes_one(api: Api, clock: Clock) -> None:
    issue = await api.issue()
    url = f"/issues/{issue['id']}"
    body = {"subject_fi": "Uutiset", "body_fi": "Teksti."}
    for headers, status in ((api.tokens.association(uuid.uuid4()), 403), ({}, 401)):
        assert (await api.client.post("/issues", json=body, headers=headers)).status_code == status
        assert (await api.client.get("/issues", headers=headers)).status_code == status
        assert (await api.client.get(url, headers=headers)).status_code == status
        assert (await api.client.post(f"{url}/send", headers=headers)).status_code == status
    other = api.tokens.staff("sports")
    assert (await api.client.get(url, headers=other)).status_code == 200
    refused = await api.client.post(f"{url}/send", headers=other)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert (await api.client.patch(url, json={"subject_fi": "X"}, headers=other)).status_code == 403
    admin = api.tokens.admin()
    assert (await api.client.post("/issues", json=body, headers=admin)).status_code == 422  # no department
    made = await api.client.post("/issues", json=body | {"department_code": "sports"}, headers=admin)
    assert made.status_code == 201 and made.json()["department_code"] == "sports"
    missing = await api.client.get(f"/issues/{uuid.uuid4()}", headers=other)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body_fi": "Teksti."}, "subject_fi"),
        ({"subject_fi": "  ", "body_fi": "Teksti."}, "subject_fi"),
        ({"subject_fi": "Uutiset\nBcc: x@example.org", "body_fi": "Teksti."}, "subject_fi"),
        ({"subject_fi": "Uutiset", "body_fi": "Teksti.", "subject_sv": "Nyheter"}, "body_sv"),
        ({"subject_fi": "Uutiset", "body_fi": "Teksti.", "audience": {"languages": ["de"]}}, "audience.languages.0"),
        ({"subject_fi": "Uutiset", "body_fi": "Teksti.", "extra": 1}, "extra"),
    ],
)
async def test_bad_input_is_refused_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    answer = await api.client.post("/issues", json=body, headers=api.tokens.staff("culture"))
    assert answer.status_code == 422, answer.text
    assert field_of(answer) == [field]


async def test_a_time_in_the_past_or_a_bad_address_is_refused_naming_the_field(api: Api, clock: Clock) -> None:
    issue = await api.issue()
    staff = api.tokens.staff("culture")
    url = f"/issues/{issue['id']}"
    past = await api.client.post(
        f"{url}/schedule", json={"send_at": helsinki(clock() - timedelta(hours=1))}, headers=staff
    )
    assert past.status_code == 422 and field_of(past) == ["send_at"]
    garbage = await api.client.post(f"{url}/schedule", json={"send_at": "tomorrow"}, headers=staff)
    assert garbage.status_code == 422 and field_of(garbage) == ["send_at"]
    address = await api.client.post(f"{url}/test", json={"email": "not-an-address"}, headers=staff)
    assert address.status_code == 422 and field_of(address) == ["email"]
    language = await api.client.get(f"{url}/preview", params={"language": "de"}, headers=staff)
    assert language.status_code == 422 and field_of(language) == ["query.language"]


async def test_a_retried_compose_with_its_idempotency_key_makes_one_issue(api: Api) -> None:
    staff = api.tokens.staff("culture") | {"Idempotency-Key": f"compose-{uuid.uuid4()}"}
    body = {"subject_fi": f"Uutiset {uuid.uuid4().hex[:6]}", "body_fi": "Teksti."}
    first = await api.client.post("/issues", json=body, headers=staff)
    again = await api.client.post("/issues", json=body, headers=staff)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert again.headers.get("idempotent-replayed") == "true"
    count = await api.scalar("SELECT count(*) FROM newsletter_issue WHERE subject_fi = :s", s=body["subject_fi"])
    assert count == 1
