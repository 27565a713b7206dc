"""A person's data across the running directory, notifier and calendar (ADR 0015): an address subscribes to
the newsletter, is a representative in the directory and the contact of an event registration; the admin's
export at the directory holds all three parts; the erasure through the directory leaves nothing of it in the
notifier's or the calendar's own exports."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from shared.testing.fixtures import Databases, Tokens
from shared.testing.mail import MailCatcher
from shared.testing.processes import free_port
from shared.testing.servers import Servers

from .conftest import RunningService, system

Services = tuple[RunningService, RunningService, RunningService]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def directory_notifier_and_calendar(
    databases: Databases, servers: Servers, module_namespace: str, tmp_path_factory: pytest.TempPathFactory,
    mail_catcher: MailCatcher,
) -> AsyncIterator[Services]:  # fmt: skip
    """The three services holding personal data, each knowing the others' addresses (ports chosen first)."""
    logs: Path = tmp_path_factory.mktemp("logs")
    notifier_port, calendar_port = free_port(), free_port()
    directory_settings = {
        "notifier_url": f"http://127.0.0.1:{notifier_port}",
        "calendar_url": f"http://127.0.0.1:{calendar_port}",
        "scheduler_interval_seconds": "0.5",
        "privacy_forward_retry_seconds": "[1]",
    }
    async with system(("directory", directory_settings), databases=databases, servers=servers,
                      namespace=module_namespace, logs=logs) as (directory,):  # fmt: skip
        notifier_settings = {
            "http_port": str(notifier_port),
            "smtp_host": mail_catcher.host,
            "smtp_port": str(mail_catcher.port),
            "directory_url": directory.base_url,
            "scheduler_interval_seconds": "0.3",
        }
        async with system(("calendar", {"http_port": str(calendar_port)}), ("notifier", notifier_settings),
                          databases=databases, servers=servers, namespace=module_namespace,
                          logs=logs) as (calendar, notifier):  # fmt: skip
            yield directory, notifier, calendar


async def eventually_delivered(notifier: httpx.AsyncClient, admin: dict[str, str], address: str) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        exported: dict[str, object] = (
            await notifier.post("/privacy/exports", headers=admin, json={"email": address})
        ).json()
        if exported["deliveries"] or time.monotonic() > deadline:
            return exported
        await asyncio.sleep(0.2)


async def test_an_erasure_through_the_directory_leaves_nothing_in_the_notifier_or_the_calendar(
    directory_notifier_and_calendar: Services, mail_catcher: MailCatcher, tokens: Tokens
) -> None:
    directory, notifier, calendar = directory_notifier_and_calendar
    address, admin, staff = f"essi.{uuid.uuid4().hex[:8]}@example.org", tokens.admin(), tokens.staff("culture")
    async with (
        httpx.AsyncClient(base_url=directory.base_url, timeout=20) as d,
        httpx.AsyncClient(base_url=notifier.base_url, timeout=10) as n,
        httpx.AsyncClient(base_url=calendar.base_url, timeout=10) as c,
    ):
        assert (await n.post("/subscriptions", json={"email": address})).status_code == 202
        assert (await eventually_delivered(n, admin, address))["deliveries"], "no confirmation mail recorded"

        club = await d.post("/associations", headers=staff, json={
            "kind": "registered_association", "name": f"Porin Yksityisyysseura {uuid.uuid4().hex[:4]} ry",
            "register_number": str(uuid.uuid4().int % 10**8), "fields_of_activity": ["culture"],
        })  # fmt: skip
        assert club.status_code == 201, club.text
        club_id = uuid.UUID(club.json()["id"])
        rep = await d.post(f"/associations/{club_id}/representatives", headers=staff, json={
            "name": "Essi Esimerkki", "role": "secretary", "email": address,
        })  # fmt: skip
        assert rep.status_code == 201, rep.text

        start = datetime.now(UTC) + timedelta(days=10)
        event = await c.post("/events", headers=staff, json={
            "kind": "info", "title_fi": "Avustusinfo", "department_code": "culture", "address": "Hallituskatu 12",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(), "capacity": 20,
        })  # fmt: skip
        assert event.status_code == 201, event.text
        event_id = event.json()["id"]
        assert (await c.post(f"/events/{event_id}/publish", headers=staff)).status_code == 200
        registered = await c.post(f"/events/{event_id}/registrations", headers=tokens.association(club_id), json={
            "association_id": str(club_id), "participants": 1, "contact_name": "Essi Esimerkki",
            "contact_email": address,
        })  # fmt: skip
        assert registered.status_code == 201, registered.text

        exported = await d.post("/privacy/exports", headers=admin, json={"email": address})
        assert exported.status_code == 200, exported.text
        parts = exported.json()
        assert [r["id"] for r in parts["representative_of"]] == [rep.json()["id"]]
        assert parts["services"]["notifier"]["subscription"] is not None
        assert parts["services"]["notifier"]["deliveries"]
        assert [r["id"] for r in parts["services"]["calendar"]["registrations"]] == [registered.json()["id"]]

        erased = await d.post("/privacy/erasures", headers=admin | {"Idempotency-Key": str(uuid.uuid4())},
                              json={"email": address})  # fmt: skip
        assert erased.status_code == 200, erased.text
        erasure = erased.json()
        assert erasure["representatives"] == 1 and erasure["pending"] == []
        assert erasure["parts"]["notifier"]["counts"]["subscriptions"] == 1
        assert erasure["parts"]["calendar"]["counts"]["registrations"] == 1

        left = (await n.post("/privacy/exports", headers=admin, json={"email": address})).json()
        assert left == {"email": address, "subscription": None, "deliveries": []}
        assert (await c.post("/privacy/exports", headers=admin, json={"email": address})).json()["registrations"] == []
        again = (await d.post("/privacy/exports", headers=admin, json={"email": address})).json()
        assert again["representative_of"] == [] and again["services"]["notifier"]["subscription"] is None
    for service in (directory, notifier, calendar):
        for process in service.processes.values():
            assert address not in process.log.read_text(errors="replace"), process.log.name
