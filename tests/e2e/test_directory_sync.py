"""The first fill: a grants database set up after the directory already had associations, departments and
liaison contacts copies them over the directory's HTTP API (`grants sync-directory`), private persons without
their names, liaison contacts without theirs, and again harmlessly."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from grants.bootstrap import bootstrap
from grants.config import Settings
from grants.entrypoints.cli import sync_directory_command
from shared.db.engine import asyncpg_dsn
from shared.testing.fixtures import Databases, Tokens
from shared.testing.processes import ServiceProcess
from shared.testing.servers import Servers

from .conftest import RunningService


async def test_a_new_grants_database_is_filled_from_the_directory(
    directory_and_grants: tuple[RunningService, RunningService],
    databases: Databases,
    servers: Servers,
    module_namespace: str,
    tokens: Tokens,
    tmp_path: Path,
) -> None:
    directory_svc, _ = directory_and_grants
    staff = tokens.staff("culture")
    marker = uuid.uuid4().hex[:6]
    department_code = f"sync-{marker}"
    async with httpx.AsyncClient(base_url=directory_svc.base_url) as directory:
        made = await directory.post(
            "/departments", headers=tokens.admin(), json={"code": department_code, "name": "Sivistys"}
        )
        assert made.status_code == 201, made.text
        department_id = made.json()["id"]
        contacts = []
        for name in ("Liisa", "Lähtevä"):
            contact = await directory.post(
                "/liaisons",
                headers=tokens.staff(department_code),
                json={
                    "kind": "department_contact",
                    "name": f"{name} {marker}",
                    "email": f"{name.lower()}.{marker}@example.org".replace("ä", "a"),
                    "department_id": department_id,
                },
            )
            assert contact.status_code == 201, contact.text
            contacts.append(contact.json())
        kept, removed = contacts
        assert (
            await directory.delete(f"/liaisons/{removed['id']}", headers=tokens.staff(department_code))
        ).status_code == 204
        club = (
            await directory.post(
                "/associations",
                headers=staff,
                json={
                    "kind": "registered_association",
                    "name": f"Seura {marker} ry",
                    "register_number": str(uuid.uuid4().int % 10**8),
                },
            )
        ).json()
        person = (
            await directory.post(
                "/associations",
                headers=staff,
                json={
                    "kind": "private_person",
                    "name": f"Pekka {marker}",
                },
            )
        ).json()
        gone = (
            await directory.post(
                "/associations",
                headers=staff,
                json={
                    "kind": "unregistered_group",
                    "name": f"Ryhmä {marker}",
                },
            )
        ).json()
        assert (await directory.post(f"/associations/{gone['id']}/deactivate", headers=staff)).status_code == 200

    database_url = await databases.create(f"sync_{marker}")
    env = {
        "GRANTS_DATABASE_URL": database_url,
        "GRANTS_AMQP_URL": servers.amqp_url,
        "GRANTS_NAMESPACE": module_namespace,  # migrate declares the queues too (ADR 0016): on this run's names
        "GRANTS_DIRECTORY_URL": directory_svc.base_url,
        "GRANTS_DIRECTORY_TOKEN": tokens.admin()["Authorization"].removeprefix("Bearer "),
    }
    assert await ServiceProcess("grants", "migrate", env, tmp_path / "migrate.log").run_once() == 0
    for attempt in range(2):  # a second run changes nothing
        code = await ServiceProcess("grants", "sync-directory", env, tmp_path / f"sync{attempt}.log").run_once()
        assert code == 0, (tmp_path / f"sync{attempt}.log").read_text()

    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        rows = {
            str(r["id"]): (r["kind"], r["name"], r["active"])
            for r in await conn.fetch("SELECT id, kind, name, active FROM applicant")
        }
        departments = await conn.fetchval("SELECT count(*) FROM department")
        liaisons = {
            str(r["id"]): (r["kind"], str(r["department_id"]), r["assigned"])
            for r in await conn.fetch("SELECT id, kind, department_id, assigned FROM liaison_contact")
        }
        copied = await conn.fetchval("SELECT code FROM department WHERE id = $1", uuid.UUID(department_id))
    finally:
        await conn.close()
    assert rows[club["id"]] == ("registered_association", f"Seura {marker} ry", True)
    assert rows[person["id"]] == ("private_person", None, True)
    assert rows[gone["id"]] == ("unregistered_group", f"Ryhmä {marker}", False)
    assert copied == department_code and liaisons[kept["id"]] == ("department_contact", department_id, True)
    assert removed["id"] not in liaisons
    async with httpx.AsyncClient(base_url=directory_svc.base_url) as directory:
        assert departments == len((await directory.get("/departments")).json())


async def test_the_sync_refuses_to_run_without_a_token() -> None:
    container = bootstrap(Settings(directory_token=None))
    try:
        with pytest.raises(SystemExit, match="GRANTS_DIRECTORY_TOKEN"):
            await sync_directory_command(container)
    finally:
        await container.close()
