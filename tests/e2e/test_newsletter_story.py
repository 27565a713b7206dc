"""A newsletter story through the running directory and notifier: a person subscribes over HTTP, the
confirmation mail reaches a real SMTP catcher, its link (page, then button) confirms; staff compose and send an
issue, it arrives with the RFC 8058 headers; the one-click unsubscribe from the header stops the next issue."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from shared.testing.fixtures import Databases, Tokens
from shared.testing.mail import MailCatcher
from shared.testing.servers import Servers

from .conftest import RunningService, system
from .waiting import mails_to, text_of, until

T = TypeVar("T")
HELSINKI = ZoneInfo("Europe/Helsinki")
PUBLIC = "http://uutiset.pori.example"


def path_of(link: str) -> str:
    assert link.startswith(f"{PUBLIC}/"), link
    return link.removeprefix(PUBLIC)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def directory_bookings_and_notifier(
    databases: Databases, servers: Servers, module_namespace: str, tmp_path_factory: pytest.TempPathFactory,
    mail_catcher: MailCatcher,
) -> AsyncIterator[tuple[RunningService, RunningService, RunningService]]:  # fmt: skip
    """The directory (the notifier asks it for representatives), bookings (whose events cross the broker to the
    notifier) and the notifier, sending to the catcher; all on one namespace."""
    logs: Path = tmp_path_factory.mktemp("logs")
    async with system(("directory", {}), ("bookings", {}), databases=databases, servers=servers,
                      namespace=module_namespace, logs=logs) as (directory, bookings):  # fmt: skip
        notifier_settings = {
            "smtp_host": mail_catcher.host,
            "smtp_port": str(mail_catcher.port),
            "directory_url": directory.base_url,
            "public_base_url": PUBLIC,  # its port is chosen at start: the test follows links by their path
            "scheduler_interval_seconds": "0.3",
            "retry_delays_seconds": "[1, 2]",
        }
        async with system(("notifier", notifier_settings), databases=databases, servers=servers,
                          namespace=module_namespace, logs=logs) as (notifier,):  # fmt: skip
            yield directory, bookings, notifier


Services = tuple[RunningService, RunningService, RunningService]


async def sent_issue(http: httpx.AsyncClient, staff: dict[str, str], subject: str) -> str:
    made = await http.post("/issues", headers=staff, json={"subject_fi": subject, "body_fi": "# Hei\n\nUutisia."})
    assert made.status_code == 201, made.text
    issue_id = str(made.json()["id"])
    sent = await http.post(f"/issues/{issue_id}/send", headers=staff)
    assert sent.status_code == 200, sent.text
    return issue_id


async def issue_state(http: httpx.AsyncClient, staff: dict[str, str], issue_id: str, state: str) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        issue: dict[str, object] = (await http.get(f"/issues/{issue_id}", headers=staff)).json()
        if issue["state"] == state or time.monotonic() > deadline:
            return issue
        await asyncio.sleep(0.2)


async def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(
    directory_bookings_and_notifier: Services, mail_catcher: MailCatcher, tokens: Tokens
) -> None:
    _, _, notifier = directory_bookings_and_notifier
    address, staff = f"lukija-{uuid.uuid4().hex[:8]}@example.org", tokens.staff("culture")
    async with httpx.AsyncClient(base_url=notifier.base_url, timeout=10) as http:
        accepted = await http.post("/subscriptions", json={"email": address})
        assert accepted.status_code == 202, accepted.text

        [confirmation] = await mails_to(mail_catcher, address, 1)
        found = re.search(rf"{re.escape(PUBLIC)}/confirm\?token=[^\s\"<]+", text_of(confirmation))
        assert found, text_of(confirmation)
        page = await http.get(path_of(found.group(0)))
        assert page.status_code == 200 and "<form" in page.text
        token = parse_qs(urlsplit(found.group(0)).query)["token"][0]
        confirmed = await http.post("/confirm", params={"token": token})
        assert confirmed.status_code == 200, confirmed.text

        first = await sent_issue(http, staff, f"Uutiset {uuid.uuid4().hex[:6]}")
        [_, newsletter] = await mails_to(mail_catcher, address, 2)
        assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = path_of(str(newsletter["List-Unsubscribe"]).strip("<>"))
        assert unsubscribe.startswith("/unsubscribe?token=")
        assert (await issue_state(http, staff, first, "sent"))["state"] == "sent"

        one_click = await http.post(unsubscribe, content=b"List-Unsubscribe=One-Click",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert one_click.status_code == 200, one_click.text

        second = await sent_issue(http, staff, f"Uutiset {uuid.uuid4().hex[:6]}")
        assert (await issue_state(http, staff, second, "sent"))["state"] == "sent"
        await asyncio.sleep(1)
        assert len(mail_catcher.to(address)) == 2  # the confirmation and the first issue, not the second


async def test_a_representative_who_chose_bookings_gets_one_mail_when_a_booking_is_confirmed(
    directory_bookings_and_notifier: Services, mail_catcher: MailCatcher, tokens: Tokens
) -> None:
    directory_svc, bookings_svc, _ = directory_bookings_and_notifier
    admin, code = tokens.admin(), f"d{uuid.uuid4().hex[:6]}"
    staff, tag = tokens.staff(code), uuid.uuid4().hex[:8]
    chosen, other = f"varaaja-{tag}@example.org", f"muu-{tag}@example.org"
    async with (
        httpx.AsyncClient(base_url=directory_svc.base_url, timeout=10) as directory,
        httpx.AsyncClient(base_url=bookings_svc.base_url, timeout=10) as bookings,
    ):
        made = await directory.post("/departments", headers=admin, json={"code": code, "name": "Liikunta"})
        assert made.status_code == 201, made.text
        club = await directory.post("/associations", headers=admin, json={
            "kind": "registered_association", "name": f"Porin Pallo {tag} ry", "register_number": "88.456",
            "fields_of_activity": ["sports"],
        })  # fmt: skip
        assert club.status_code == 201, club.text
        club_id = club.json()["id"]
        chair = tokens.association(uuid.UUID(club_id))
        for name, email, topics in (("Varpu Varaaja", chosen, ["bookings"]), ("Muu Jäsen", other, ["events"])):
            rep = await directory.post(f"/associations/{club_id}/representatives", headers=chair, json={
                "name": name, "role": "board_member", "email": email, "notifications": topics,
            })  # fmt: skip
            assert rep.status_code == 201, rep.text

        async def facility() -> dict[str, object] | None:
            """Bookings knows the department once the directory's DepartmentRegistered has reached it."""
            made = await bookings.post("/facilities", headers=staff, json={
                "name": "Sali", "department_code": code, "address": "Isomäentie 5, 28120 Pori", "capacity": 60,
                "rules": {"window_opens_days": 365, "window_closes_hours": 24}, "pricing": {"hourly_cents": 3000},
                "weekly_hours": {d: {"opens": "08:00", "closes": "22:00"} for d in ("mon", "tue", "wed", "thu", "fri")},
            })  # fmt: skip
            assert made.status_code in (201, 422), made.text
            return made.json() if made.status_code == 201 else None

        hall = await until(facility)
        day = datetime.now(HELSINKI).date() + timedelta(days=7)
        while day.weekday() > 4:
            day += timedelta(days=1)
        slot = {
            "facility_id": hall["id"],
            "applicant_id": club_id,
            "starts_at": f"{day}T17:00",
            "ends_at": f"{day}T19:00",
        }

        async def requested() -> dict[str, object] | None:
            """Bookings knows the association once the directory's AssociationRegistered has reached it."""
            made = await bookings.post("/bookings", headers=chair, json=slot | {"accepts_terms": True})
            assert made.status_code in (201, 403, 404, 422), made.text
            return made.json() if made.status_code == 201 else None

        booking = await until(requested)
        confirmed = await bookings.post(f"/bookings/{booking['id']}/confirm", headers=staff)
        assert confirmed.status_code == 200, confirmed.text

    [mail] = await mails_to(mail_catcher, chosen, 1)
    assert str(booking["id"]) in text_of(mail)
    await asyncio.sleep(2)  # a second copy, or a mail to the representative who did not choose bookings, would be here
    assert len(mail_catcher.to(chosen)) == 1 and mail_catcher.to(other) == []
