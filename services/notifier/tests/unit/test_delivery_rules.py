"""Deliveries' and issues' rules without servers: retry back-off, the mail's headers, an issue's validation."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from notifier.adapters.rendering import Rendered, markdown_html
from notifier.config import Settings
from notifier.domain.delivery import Delivery, DeliveryKind, message_id, next_attempt
from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Interests
from notifier.service_layer.failures import notification_failed
from notifier.service_layer.links import unsubscribe_url
from notifier.service_layer.mails import mail_domain, message, newsletter_mail, newsletter_template, template
from shared.errors import Conflict, InvalidInput

pytestmark = pytest.mark.unit
NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def test_a_temporary_failure_is_tried_again_after_each_delay_then_given_up() -> None:
    delays = [30.0, 120.0]
    assert next_attempt(1, delays, NOW) == NOW + timedelta(seconds=30)
    assert next_attempt(2, delays, NOW) == NOW + timedelta(seconds=120)
    assert next_attempt(3, delays, NOW) is None
    assert next_attempt(1, [], NOW) is None


def delivery(kind: DeliveryKind) -> Delivery:
    d = uuid.uuid4()
    return Delivery(d, kind, f"subscriber:{d}", "sv", message_id(d, "pori.example"), 1, "a@example.org")


@pytest.mark.parametrize("kind", list(DeliveryKind))
def test_every_mail_but_a_confirmation_has_the_one_click_unsubscribe_headers(kind: DeliveryKind) -> None:
    settings = Settings(public_base_url="https://notifier.example")
    d = delivery(kind)
    mail = message(settings, d, template(settings, kind, d.language, Rendered("Aihe", "Teksti", "<p>Teksti</p>")))
    m = email.message_from_bytes(mail.data, policy=email.policy.default)
    assert (
        isinstance(m, EmailMessage)
        and mail.recipient == "a@example.org"
        and mail.sender == "yhdistysuutiset@pori.example"
    )
    assert m["Message-ID"] == f"<{d.id}@pori.example>" and m["Content-Language"] == "sv"
    assert m.get_content_type() == "multipart/alternative" and m["To"] == "a@example.org"
    one_click = kind is not DeliveryKind.CONFIRMATION
    assert ("List-Unsubscribe" in m) is one_click and ("List-Unsubscribe-Post" in m) is one_click
    if one_click:
        assert str(m["List-Unsubscribe"]).startswith("<https://notifier.example/unsubscribe?token=subscriber:")
        assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ("List-Id" in m) is (kind is DeliveryKind.NEWSLETTER)


def test_the_mail_domain_comes_from_the_sender_address() -> None:
    assert mail_domain(Settings(mail_from="Uutiset <uutiset@pori.fi>")) == "pori.fi"
    assert mail_domain(Settings(mail_from="uutiset@pori.fi")) == "pori.fi"


def issue(**fields: object) -> Issue:
    made = Issue(uuid.uuid4(), "Otsikko", "Teksti", "culture", "staff")
    for name, value in fields.items():
        setattr(made, name, value)
    return made


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject_sv": "Rubrik"}, "body_sv"),
        ({"body_en": "Text"}, "body_en"),
        ({"subject_fi": "  "}, "subject_fi"),
        ({"body_fi": ""}, "body_fi"),
        ({"districts": ["x" * 101]}, "districts"),
        ({"fields_of_activity": [f"t{i}" for i in range(31)]}, "fields_of_activity"),
    ],
)
def test_an_issue_refuses_half_a_language_blank_text_and_too_many_terms(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(**fields).validate()
    assert refused.value.field == field


def test_an_issue_cleans_its_segment_and_refuses_an_unknown_language() -> None:
    made = issue(districts=[" Keskusta", "keskusta", ""], languages=["sv", "sv"])
    made.validate()
    assert made.districts == ["keskusta"] and made.languages == ["sv"]
    with pytest.raises(ValueError):
        issue(languages=["de"]).validate()


def test_an_issue_being_sent_can_no_longer_change() -> None:
    made = issue()
    made.send_now(NOW)
    assert made.state is IssueState.SCHEDULED and made.send_at == NOW
    made.state = IssueState.SENDING
    changes: list[Callable[[], None]] = [
        lambda: made.schedule(NOW + timedelta(days=1), NOW),
        lambda: made.send_now(NOW),
        made.cancel,
    ]
    for change in changes:
        with pytest.raises(Conflict):
            change()


def test_interests_are_trimmed_lowercased_and_deduplicated() -> None:
    clean = Interests([" Sport", "sport"], ["Keskusta"], ["Yhdistys", ""]).cleaned()
    assert (clean.fields_of_activity, clean.districts, clean.association_kinds) == (
        ["sport"],
        ["keskusta"],
        ["yhdistys"],
    )


def test_markdown_is_sanitised_raw_html_and_scripts_do_not_pass() -> None:
    html = markdown_html(
        "# Otsikko\n\n<script>alert(1)</script>\n\n[linkki](javascript:alert(1)) [ok](https://pori.fi)"
    )
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never markup
    assert 'href="javascript' not in html
    assert '<a href="https://pori.fi" rel="noopener noreferrer">ok</a>' in html


def test_an_issue_rendered_once_per_language_reads_as_if_rendered_for_each_recipient() -> None:
    settings = Settings(public_base_url="https://notifier.example")
    made = issue(subject_fi="Uutiset & muuta", body_fi="# Hei\n\nUutisia *kaikille* <b>ja</b> = 100 %.\n\n.piste")
    once = newsletter_template(settings, made, "fi")
    for _ in range(3):
        d = dataclasses.replace(delivery(DeliveryKind.NEWSLETTER), language="fi", issue_id=made.id)
        m = email.message_from_bytes(message(settings, d, once).data, policy=email.policy.default)
        assert isinstance(m, EmailMessage)
        alone = newsletter_mail(settings, made, "fi", d.recipient_ref)
        assert m["Subject"] == alone.subject == "Uutiset & muuta"
        plain, html = m.get_body(("plain",)), m.get_body(("html",))
        assert plain is not None and html is not None
        assert plain.get_content().replace("\r\n", "\n") == alone.text
        assert html.get_content().replace("\r\n", "\n") == alone.html
        assert str(m["List-Unsubscribe"]) == f"<{unsubscribe_url(settings, d.recipient_ref)}>"
        assert "\x00" not in plain.get_content() + html.get_content()


def test_a_failure_names_its_source_and_recipient_by_id_only() -> None:
    event_id, representative = uuid.uuid4(), uuid.uuid4()
    d = dataclasses.replace(
        delivery(DeliveryKind.NOTIFICATION), recipient_ref=f"representative:{representative}",
        source=f"GrantRoundOpened:{event_id}",
    )  # fmt: skip
    failed = notification_failed(d, "refused", 550, NOW)
    assert (failed.source_event_type, failed.source_event_id) == ("GrantRoundOpened", event_id)
    assert (failed.recipient_kind, failed.recipient_id) == ("representative", representative)
    assert "a@example.org" not in failed.model_dump_json()
    decided = dataclasses.replace(d, source=f"DecisionsPublished:{event_id}:{uuid.uuid4()}")
    assert notification_failed(decided, "refused", 550, NOW).source_event_id == event_id
    staff = dataclasses.replace(d, recipient_ref="staff:someone", source=f"test:{uuid.uuid4()}:{uuid.uuid4()}")
    failed = notification_failed(staff, "retries_exhausted", 451, NOW)
    assert (failed.recipient_kind, failed.recipient_id, failed.source_event_id) == ("staff", None, None)
    registration = uuid.uuid4()  # a registration's contact person, reached through the calendar
    registrant = dataclasses.replace(d, recipient_ref=f"registration:{registration}")
    failed = notification_failed(registrant, "refused", 550, NOW)
    assert (failed.recipient_kind, failed.recipient_id) == ("registration", registration)
