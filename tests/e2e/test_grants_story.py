"""A grant from start to finish across two running services: the directory registers an association, grants
learns of it from the directory's events, a round opens and closes on time by itself, the association applies,
the department decides and publishes, the public register names the association, and the notifier's grants
client (ADR 0017) finds it among those holding a grant."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from notifier.adapters.grants import GrantsClient
from notifier.config import Settings as NotifierSettings
from shared.testing.fixtures import TEST_JWT_SECRET, Tokens

from .conftest import RunningService


async def until(check: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.2)
    return result


async def test_a_grant_from_registration_to_the_public_register(
    directory_and_grants: tuple[RunningService, RunningService], tokens: Tokens
) -> None:
    directory_svc, grants_svc = directory_and_grants
    admin, staff = tokens.admin(), tokens.staff("culture")
    async with (
        httpx.AsyncClient(base_url=directory_svc.base_url) as directory,
        httpx.AsyncClient(base_url=grants_svc.base_url) as grants,
    ):
        assert (
            await directory.post("/departments", headers=admin, json={"code": "culture", "name": "Kulttuuri"})
        ).status_code == 201
        club = await directory.post(
            "/associations",
            headers=staff,
            json={
                "kind": "registered_association",
                "name": "Porin Teatteriyhdistys ry",
                "register_number": "99.123",
                "fields_of_activity": ["culture"],
            },
        )
        club_id = club.json()["id"]
        chair = tokens.association(uuid.UUID(club_id))

        async def programme_created() -> httpx.Response | None:
            """Grants knows the department once the directory's DepartmentRegistered has reached it."""
            made = await grants.post(
                "/programmes",
                headers=staff | {"Idempotency-Key": "story-programme"},
                json={
                    "name": "Kulttuurin toiminta-avustus",
                    "kind": "operating",
                    "intake": "yearly_round",
                    "department_code": "culture",
                    "eligible_kinds": ["registered_association"],
                    "fields_of_activity": ["culture"],
                },
            )
            assert made.status_code in (201, 422), made.text
            return made if made.status_code == 201 else None

        programme = (await until(programme_created)).json()
        await grants.post(
            f"/programmes/{programme['id']}/principles",
            headers=staff,
            json={
                "title": "Avustusperiaatteet",
                "body": "Toiminnan tulee tukea kaupungin strategiaa.",
                "adopted_on": "2026-11-01",
            },
        )
        now = datetime.now(UTC)
        round_ = (
            await grants.post(
                f"/programmes/{programme['id']}/rounds",
                headers=staff,
                json={
                    "year": (now + timedelta(seconds=2)).astimezone(ZoneInfo("Europe/Helsinki")).year,
                    "opens_at": (now + timedelta(seconds=2)).isoformat(),
                    "closes_at": (now + timedelta(seconds=12)).isoformat(),
                    "appropriation_cents": 2_000_000,
                },
            )
        ).json()
        assert (await grants.post(f"/rounds/{round_['id']}/schedule", headers=staff)).status_code == 200

        async def is_open() -> bool:
            return bool((await grants.get(f"/rounds/{round_['id']}")).json()["state"] == "open")

        await until(is_open)  # the grants worker opened it on time

        draft = {
            "round_id": round_["id"],
            "applicant_id": club_id,
            "purpose": "Kesäteatteri Kirjurinluodossa",
            "requested_cents": 800_000,
            "budget": [
                {"kind": "expense", "description": "Esitykset", "amount_cents": 1_000_000},
                {"kind": "income", "description": "Lipputulot", "amount_cents": 200_000},
            ],
        }

        async def drafted() -> httpx.Response | None:
            # grants knows the association once the directory's event has reached its worker
            response = await grants.post("/applications", headers=chair, json=draft)
            return response if response.status_code == 201 else None

        application = (await until(drafted)).json()
        submitted = await grants.post(f"/applications/{application['id']}/submit", headers=chair)
        assert submitted.status_code == 200, submitted.text

        async def is_closed() -> bool:
            return bool((await grants.get(f"/rounds/{round_['id']}")).json()["state"] == "closed")

        await until(is_closed)
        decided = await grants.put(
            f"/applications/{application['id']}/decision",
            headers=staff,
            json={"approved_cents": 600_000, "rationale": "Hyvä hanke; budjetti kohtuullistettu."},
        )
        assert decided.status_code == 200, decided.text
        assert (await grants.post(f"/rounds/{round_['id']}/publish", headers=staff)).status_code == 200

        register = (await grants.get("/register/decisions", params={"programme_id": programme["id"]})).json()
        [entry] = register["items"]
        assert entry["recipient_name"] == "Porin Teatteriyhdistys ry" and entry["approved_cents"] == 600_000
        reports = (await grants.get("/usage-reports", headers=chair)).json()
        assert reports["total"] == 1 and reports["items"][0]["state"] == "pending"

    # Who holds a grant, as the notifier reads it at send time for an event for grantees (a `service` token).
    client = GrantsClient(NotifierSettings(grants_url=grants_svc.base_url, jwt_secret=TEST_JWT_SECRET))
    try:
        assert uuid.UUID(club_id) in await client.grantees()
        assert uuid.UUID(club_id) not in await client.partners()
    finally:
        await client.close()
