"""The first fill: a grants database set up after the directory already had associations copies them over the
directory's HTTP API (`grants sync-directory`), private persons without their names, and again harmlessly."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from grants.__main__ import sync_directory_command
from grants.config import Settings
from shared.db.engine import asyncpg_dsn
from shared.testing.fixtures import Databases, Tokens
from shared.testing.processes import ServiceProcess

from .conftest import RunningService


async def test_a_new_grants_database_is_filled_from_the_directory(
    directory_and_grants: tuple[RunningService, RunningService],
    databases: Databases,
    tokens: Tokens,
    tmp_path: Path,
) -> None:
    directory_svc, _ = directory_and_grants
    staff = tokens.staff("culture")
    marker = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=directory_svc.base_url) as directory:
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
    finally:
        await conn.close()
    assert rows[club["id"]] == ("registered_association", f"Seura {marker} ry", True)
    assert rows[person["id"]] == ("private_person", None, True)
    assert rows[gone["id"]] == ("unregistered_group", f"Ryhmä {marker}", False)
    async with httpx.AsyncClient(base_url=directory_svc.base_url) as directory:
        assert departments == len((await directory.get("/departments")).json())


async def test_the_sync_refuses_to_run_without_a_token() -> None:
    with pytest.raises(SystemExit, match="GRANTS_DIRECTORY_TOKEN"):
        await sync_directory_command(Settings(directory_token=None))
