"""The public archive through the app: only sent issues, each page in its language and sanitised, an Atom feed
whose entries' links open through the app; nothing about recipients."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from notifier.domain.subscriber import Language
from notifier.service_layer.sending import close_sent_issues

from ..conftest import Api, Clock
from .test_confirmation_mail import deliver
from .test_newsletter_mail import confirmed, send_issue

pytestmark = pytest.mark.integration
NS = {"a": "http://www.w3.org/2005/Atom"}
BASE = "http://notifier"


async def sent_issue(api: Api, clock: Clock) -> tuple[uuid.UUID, str, str]:
    district = f"district-{uuid.uuid4().hex[:6]}"
    address = await confirmed(api, clock, Language.SV, districts=[district])
    subject_sv = f"Nyheter {uuid.uuid4().hex[:6]}"
    issue = await send_issue(
        api, clock, districts=[district], subject_sv=subject_sv,
        body_sv="Hej <script>alert(1)</script> *alla* [mer](https://pori.fi/).",
    )  # fmt: skip
    await deliver(api, clock)
    await close_sent_issues(api.notifier.uow(), clock())
    return issue.id, issue.subject_fi, address


async def test_only_sent_issues_are_in_the_archive_each_in_its_language(api: Api, clock: Clock) -> None:
    issue_id, subject_fi, address = await sent_issue(api, clock)
    draft = await api.issue()

    listed = await api.client.get("/archive", params={"limit": 100})
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("text/html")
    assert subject_fi in listed.text and draft["subject_fi"] not in listed.text
    assert '<html lang="fi">' in listed.text and f"/archive/{issue_id}?language=fi" in listed.text
    assert 'type="application/atom+xml"' in listed.text
    swedish = await api.client.get("/archive", params={"language": "sv", "limit": 100})
    assert '<html lang="sv">' in swedish.text and "Föreningsnytt" in swedish.text

    page = await api.client.get(f"/archive/{issue_id}", params={"language": "sv"})
    assert page.status_code == 200, page.text
    assert '<html lang="sv">' in page.text and "<main>" in page.text and "<h1>Nyheter" in page.text
    assert "<em>alla</em>" in page.text and "<script>" not in page.text
    assert 'href="https://pori.fi/"' in page.text
    english = await api.client.get(f"/archive/{issue_id}", params={"language": "en"})
    assert '<html lang="fi">' in english.text and f"<h1>{subject_fi}</h1>" in english.text  # no English version
    finnish = await api.client.get(f"/archive/{issue_id}")
    assert f"<h1>{subject_fi}</h1>" in finnish.text
    for text in (listed.text, page.text, finnish.text):
        assert address not in text and "recipient" not in text

    for missing in (draft["id"], str(uuid.uuid4())):
        answer = await api.client.get(f"/archive/{missing}")
        assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    wrong = await api.client.get("/archive", params={"language": "de"})
    assert wrong.status_code == 422


async def test_the_atom_feed_is_valid_and_its_links_open(api: Api, clock: Clock) -> None:
    issue_id, subject_fi, address = await sent_issue(api, clock)
    draft = await api.issue()

    answer = await api.client.get("/archive.atom")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("title", "id", "updated"):
        assert (feed.findtext(f"a:{name}", namespaces=NS) or "").strip()
    datetime.fromisoformat(feed.findtext("a:updated", namespaces=NS) or "")
    entries = {e.findtext("a:id", namespaces=NS): e for e in feed.findall("a:entry", NS)}
    assert f"urn:uuid:{draft['id']}" not in entries
    entry = entries[f"urn:uuid:{issue_id}"]
    assert entry.findtext("a:title", namespaces=NS) == subject_fi
    assert datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS) or "").tzinfo is not None
    assert (entry.findtext("a:summary", namespaces=NS) or "").startswith("Hei")
    link = entry.find("a:link", NS)
    assert link is not None and link.get("href", "").startswith(f"{BASE}/archive/{issue_id}")
    opened = await api.client.get(link.get("href", "").removeprefix(BASE))
    assert opened.status_code == 200 and f"<h1>{subject_fi}</h1>" in opened.text
    self_link = feed.find("a:link[@rel='self']", NS)
    assert self_link is not None
    again = await api.client.get(self_link.get("href", "").removeprefix(BASE))
    assert again.status_code == 200 and again.headers["content-type"].startswith("application/atom+xml")
    alternate = feed.find("a:link[@rel='alternate']", NS)
    assert alternate is not None
    assert (await api.client.get(alternate.get("href", "").removeprefix(BASE))).status_code == 200
    assert address not in answer.text

    swedish = ET.fromstring((await api.client.get("/archive.atom", params={"language": "sv"})).content)
    titles = {e.findtext("a:title", namespaces=NS) for e in swedish.findall("a:entry", NS)}
    assert any(t and t.startswith("Nyheter ") for t in titles)
    content = swedish.find("a:entry/a:content", NS)
    assert content is not None and content.get("type") == "html" and "<script>" not in (content.text or "")
