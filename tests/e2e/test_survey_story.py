"""A feedback survey story through the running directory, calendar and notifier: an association enters the
directory (the calendar copies it from the event); its representative registers a participant for an event and
the registrant, not the representatives, is told; an event survey and the yearly evaluation open, the notifier
asks the calendar for their invitations (and the directory for the association's representatives who chose
``events``) and mails each its link; the link, followed, leads to the answer page and answers once (a second
answer is refused with 409)."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio

from shared.testing.fixtures import Databases, Tokens
from shared.testing.mail import MailCatcher
from shared.testing.servers import Servers

from .conftest import RunningService, system
from .waiting import mails_to, text_of, until

T = TypeVar("T")
CALENDAR_PUBLIC = "http://kalenteri.pori.example"  # its port is chosen at start: links are followed by path
Services = tuple[RunningService, RunningService, RunningService]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def directory_calendar_and_notifier(
    databases: Databases, servers: Servers, module_namespace: str, tmp_path_factory: pytest.TempPathFactory,
    mail_catcher: MailCatcher,
) -> AsyncIterator[Services]:  # fmt: skip
    logs: Path = tmp_path_factory.mktemp("logs")
    async with system(("directory", {}), ("calendar", {"public_url": CALENDAR_PUBLIC}), databases=databases,
                      servers=servers, namespace=module_namespace, logs=logs) as (directory, calendar):  # fmt: skip
        notifier_settings = {
            "smtp_host": mail_catcher.host,
            "smtp_port": str(mail_catcher.port),
            "directory_url": directory.base_url,
            "calendar_url": calendar.base_url,
            "calendar_public_url": CALENDAR_PUBLIC,
            "scheduler_interval_seconds": "0.3",
            "retry_delays_seconds": "[1, 2]",
        }
        async with system(("notifier", notifier_settings), databases=databases, servers=servers,
                          namespace=module_namespace, logs=logs) as (notifier,):  # fmt: skip
            yield directory, calendar, notifier


def survey_link(message: EmailMessage, survey_id: str) -> tuple[str, str]:
    """The answer page's path and the token, from the link in the mail."""
    found = re.search(
        rf"{re.escape(CALENDAR_PUBLIC)}/surveys/{survey_id}/answer#token=[A-Za-z0-9_-]+", text_of(message)
    )
    assert found, text_of(message)
    link = urlsplit(found.group(0))
    return link.path, link.fragment.removeprefix("token=")


async def follow_and_answer_once(calendar: httpx.AsyncClient, message: EmailMessage, survey_id: str) -> None:
    path, token = survey_link(message, survey_id)
    page = await calendar.get(path)
    assert page.status_code == 200 and '<form id="answer">' in page.text, page.text
    body = {"token": token, "answers": {"overall": 5}}
    first = await calendar.post(f"/surveys/{survey_id}/answers", json=body)
    assert first.status_code == 201, first.text
    second = await calendar.post(f"/surveys/{survey_id}/answers", json=body | {"answers": {"overall": 1}})
    assert second.status_code == 409, second.text


def survey_body(department: str, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "title_fi": "Palautekysely", "department_code": department, "audience": "all_associations", "year": 2026,
        "opens_at": (now - timedelta(minutes=5)).isoformat(), "closes_at": (now + timedelta(days=14)).isoformat(),
        "questions": [{"key": "overall", "kind": "scale", "text_fi": "Yleisarvosana", "required": True}],
    } | overrides  # fmt: skip


async def test_survey_links_reach_registrants_and_representatives_and_answer_once(
    directory_calendar_and_notifier: Services, mail_catcher: MailCatcher, tokens: Tokens
) -> None:
    directory_svc, calendar_svc, _ = directory_calendar_and_notifier
    admin, department, tag = tokens.admin(), f"d{uuid.uuid4().hex[:6]}", uuid.uuid4().hex[:8]
    staff = tokens.staff(department)
    events_rep, grants_rep = f"tapahtumat-{tag}@example.org", f"avustukset-{tag}@example.org"
    registrant = f"osallistuja-{tag}@example.org"
    async with (
        httpx.AsyncClient(base_url=directory_svc.base_url, timeout=10) as directory,
        httpx.AsyncClient(base_url=calendar_svc.base_url, timeout=10) as calendar,
    ):
        club = await directory.post("/associations", headers=admin, json={
            "kind": "registered_association", "name": f"Porin Kuoro {tag} ry", "register_number": "77.123",
            "fields_of_activity": ["culture"],
        })  # fmt: skip
        assert club.status_code == 201, club.text
        club_id = club.json()["id"]
        chair = tokens.association(uuid.UUID(club_id))
        for name, email, topics in (
            ("Eeva Tapahtuma", events_rep, ["events"]),
            ("Aku Avustus", grants_rep, ["grants"]),
        ):
            rep = await directory.post(f"/associations/{club_id}/representatives", headers=chair, json={
                "name": name, "role": "board_member", "email": email, "notifications": topics,
            })  # fmt: skip
            assert rep.status_code == 201, rep.text

        # An event; the representative registers a participant, who is told (in Swedish, as asked).
        starts = datetime.now(UTC) + timedelta(days=10)
        made = await calendar.post("/events", headers=staff, json={
            "kind": "info", "title_fi": "Avustusinfo", "department_code": department,
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "address": "Hallituskatu 12, Pori", "capacity": 20,
        })  # fmt: skip
        assert made.status_code == 201, made.text
        event_id = made.json()["id"]
        assert (await calendar.post(f"/events/{event_id}/publish", headers=staff)).status_code == 200
        registered = await calendar.post(f"/events/{event_id}/registrations", headers=chair, json={
            "association_id": club_id, "participants": 1, "contact_name": "Olli Osallistuja",
            "contact_email": registrant, "contact_language": "sv",
        })  # fmt: skip
        assert registered.status_code == 201 and registered.json()["state"] == "confirmed", registered.text
        [confirmation] = await mails_to(mail_catcher, registrant, 1)
        assert confirmation["Subject"] == "Anmälan bekräftad" and f"/events/{event_id}" in text_of(confirmation)

        # The event's survey: the registrant gets its link.
        body = survey_body(department, audience="event_participants", event_id=event_id, year=None)
        event_survey = await calendar.post("/surveys", headers=staff, json=body)
        assert event_survey.status_code == 201, event_survey.text
        event_survey_id = event_survey.json()["id"]
        opened = await calendar.post(f"/surveys/{event_survey_id}/open", headers=staff, json={})
        assert opened.status_code == 200 and opened.json()["invitations"] == 1, opened.text
        [_, invitation] = await mails_to(mail_catcher, registrant, 2)
        assert invitation["Subject"] == "Responsenkät: hur lyckades evenemanget?"
        await follow_and_answer_once(calendar, invitation, event_survey_id)

        # The yearly evaluation: opened once the calendar's copy has the association (from the directory's event).
        yearly = await calendar.post("/surveys", headers=staff, json=survey_body(department))
        assert yearly.status_code == 201, yearly.text
        yearly_id = yearly.json()["id"]

        async def open_yearly() -> dict[str, Any] | None:
            answer = await calendar.post(f"/surveys/{yearly_id}/open", headers=staff, json={})
            assert answer.status_code in (200, 409), answer.text
            return answer.json() if answer.status_code == 200 else None  # 409: nobody known to invite yet

        opened_yearly = await until(open_yearly)
        assert [i["association_id"] for i in opened_yearly["issued"]] == [club_id]
        # The representative who chose events hears of the event when it is published, then of the survey.
        told = await mails_to(mail_catcher, events_rep, 2)
        assert sorted(m["Subject"] for m in told) == [
            "Arvioi vuoden yhdistysyhteistyötä",
            "Uusi tilaisuus: Avustusinfo",
        ]
        [yearly_mail] = [m for m in told if m["Subject"] == "Arvioi vuoden yhdistysyhteistyötä"]
        await follow_and_answer_once(calendar, yearly_mail, yearly_id)

        results = await calendar.get(f"/surveys/{yearly_id}/results", headers=staff)
        assert results.json()["answers"] == 1 and results.json()["invitations"] == 1

    await asyncio.sleep(2)  # a second copy of any mail, or one to the representatives, would be here by now
    assert len(mail_catcher.to(registrant)) == 2 and len(mail_catcher.to(events_rep)) == 2
    assert mail_catcher.to(grants_rep) == []
