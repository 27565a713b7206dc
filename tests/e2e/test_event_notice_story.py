"""An event for associations, through the running directory, calendar and notifier: staff publish it in the
calendar, its ``EventScheduled`` (with its audience) crosses the broker, the notifier asks the directory for the
representatives of that audience who chose events and for the department's liaison contact, and one mail
reaches a real SMTP catcher with the event's link and the contact in its footer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from shared.testing.fixtures import Databases, Tokens
from shared.testing.mail import MailCatcher
from shared.testing.servers import Servers

from .conftest import RunningService, system
from .waiting import mails_to

HELSINKI = ZoneInfo("Europe/Helsinki")
CALENDAR_PUBLIC = "http://tapahtumat.pori.example"
Services = tuple[RunningService, RunningService]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def directory_and_calendar_with_notifier(
    databases: Databases, servers: Servers, module_namespace: str, tmp_path_factory: pytest.TempPathFactory,
    mail_catcher: MailCatcher,
) -> AsyncIterator[Services]:  # fmt: skip
    logs: Path = tmp_path_factory.mktemp("logs")
    async with system(("directory", {}), ("calendar", {}), databases=databases, servers=servers,
                      namespace=module_namespace, logs=logs) as (directory, calendar):  # fmt: skip
        notifier_settings = {
            "smtp_host": mail_catcher.host, "smtp_port": str(mail_catcher.port), "directory_url": directory.base_url,
            "calendar_public_url": CALENDAR_PUBLIC, "scheduler_interval_seconds": "0.3",
        }  # fmt: skip
        async with system(("notifier", notifier_settings), databases=databases, servers=servers,
                          namespace=module_namespace, logs=logs):  # fmt: skip
            yield directory, calendar


def number() -> str:
    """A register number of its own (they are unique)."""
    return str(uuid.uuid4().int % 10**8)


async def test_a_published_event_reaches_the_associations_that_chose_events_with_the_department_s_contact(
    directory_and_calendar_with_notifier: Services, mail_catcher: MailCatcher, tokens: Tokens
) -> None:
    directory_svc, calendar_svc = directory_and_calendar_with_notifier
    admin, code, tag = tokens.admin(), f"d{uuid.uuid4().hex[:6]}", uuid.uuid4().hex[:8]
    staff = tokens.staff(code)
    chosen, person, grants_only = (f"{who}-{tag}@example.org" for who in ("tapahtumat", "yksityinen", "avustukset"))
    async with (
        httpx.AsyncClient(base_url=directory_svc.base_url, timeout=10) as directory,
        httpx.AsyncClient(base_url=calendar_svc.base_url, timeout=10) as calendar,
    ):
        department = await directory.post("/departments", headers=admin, json={"code": code, "name": "Kulttuuri"})
        assert department.status_code == 201, department.text
        liaison = await directory.post("/liaisons", headers=admin, json={
            "kind": "department_contact", "name": "Kalle Kulttuuri", "email": f"kalle-{tag}@pori.example",
            "department_id": department.json()["id"],
        })  # fmt: skip
        assert liaison.status_code == 201, liaison.text
        registered = {"kind": "registered_association"}
        applicants: tuple[tuple[dict[str, str], str, list[str]], ...] = (
            (registered | {"name": f"Porin Teatteri {tag} ry", "register_number": number()}, chosen, ["events"]),
            (registered | {"name": f"Porin Kuoro {tag} ry", "register_number": number()}, grants_only, ["grants"]),
            ({"kind": "private_person", "name": f"Yksityinen {tag}"}, person, ["events"]),
        )
        for facts, email, topics in applicants:
            made = await directory.post(
                "/associations", headers=admin, json=facts | {"fields_of_activity": ["culture"]}
            )
            assert made.status_code == 201, made.text
            rep = await directory.post(f"/associations/{made.json()['id']}/representatives", headers=admin, json={
                "name": "Edustaja", "role": "chair", "email": email, "notifications": topics,
            })  # fmt: skip
            assert rep.status_code == 201, rep.text

        starts = datetime.now(HELSINKI).replace(microsecond=0, second=0, minute=0) + timedelta(days=20)
        event = await calendar.post("/events", headers=staff, json={
            "kind": "association_evening", "title_fi": f"Yhdistysilta {tag}", "department_code": code,
            "audience": "associations", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "address": "Raatihuone, Hallituskatu 12, Pori",
        })  # fmt: skip
        assert event.status_code == 201, event.text
        event_id = event.json()["id"]
        published = await calendar.post(f"/events/{event_id}/publish", headers=staff)
        assert published.status_code == 200, published.text

    [mail] = await mails_to(mail_catcher, chosen, 1)
    assert mail["Subject"] == f"Uusi tilaisuus: Yhdistysilta {tag}"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"{CALENDAR_PUBLIC}/events/{event_id}" in text
    assert f"Yhdistysilta: Yhdistysilta {tag}, {starts.strftime('%d.%m.%Y %H:%M')}–" in text
    assert f"Yhteyshenkilö: Kalle Kulttuuri, kalle-{tag}@pori.example" in text
    await asyncio.sleep(2)  # a second copy, or a mail to those not in the audience or not choosing events, is here
    assert len(mail_catcher.to(chosen)) == 1
    assert mail_catcher.to(person) == [] and mail_catcher.to(grants_only) == []
