"""Free premises through a partnership agreement, across three running services: the directory registers an
association and a department, grants and bookings learn of them from its events, the department signs a
partnership agreement with free use of its premises, bookings learns of it from grants' event, and the
association books one of the department's halls for nothing — without bookings asking grants."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from shared.testing.fixtures import Tokens

from .conftest import RunningService
from .test_grants_story import until

HELSINKI = ZoneInfo("Europe/Helsinki")


async def test_a_partnership_with_free_premises_makes_the_associations_booking_free(
    directory_grants_and_bookings: tuple[RunningService, RunningService, RunningService], tokens: Tokens
) -> None:
    directory_svc, grants_svc, bookings_svc = directory_grants_and_bookings
    admin, staff = tokens.admin(), tokens.staff("sports")
    async with (
        httpx.AsyncClient(base_url=directory_svc.base_url) as directory,
        httpx.AsyncClient(base_url=grants_svc.base_url) as grants,
        httpx.AsyncClient(base_url=bookings_svc.base_url) as bookings,
    ):
        department = await directory.post("/departments", headers=admin, json={"code": "sports", "name": "Liikunta"})
        assert department.status_code == 201, department.text
        club = await directory.post(
            "/associations",
            headers=admin,
            json={
                "kind": "registered_association",
                "name": "Porin Pallo ry",
                "register_number": "88.456",
                "fields_of_activity": ["sports"],
            },
        )
        assert club.status_code == 201, club.text
        club_id = club.json()["id"]
        chair = tokens.association(uuid.UUID(club_id))

        today = datetime.now(HELSINKI).date()
        term = {"starts_on": today.isoformat(), "ends_on": today.replace(year=today.year + 2).isoformat()}
        if today.month == 2 and today.day == 29:  # the anniversary of a leap day is 28 February
            term["ends_on"] = today.replace(year=today.year + 2, day=28).isoformat()

        async def proposed() -> httpx.Response | None:
            """Grants knows the association once the directory's AssociationRegistered has reached it."""
            made = await grants.post(
                "/partnerships",
                headers=staff,
                json={
                    "applicant_id": club_id,
                    "department_code": "sports",
                    "title": "Lasten ja nuorten liikuntakerhot",
                    "goals": "Viikoittaiset kerhot kolmessa kaupunginosassa.",
                    "responsible_liaison_ids": [str(uuid.uuid4())],
                    "premises": {"free_use": True},  # no facilities named: all the department's premises
                },
            )
            assert made.status_code in (201, 422), made.text
            return made if made.status_code == 201 else None

        agreement = (await until(proposed)).json()
        url = f"/partnerships/{agreement['id']}"
        for move in ("prepare", "approve"):
            moved = await grants.post(f"{url}/{move}", headers=staff)
            assert moved.status_code == 200, moved.text
        signed = await grants.post(f"{url}/sign", headers=staff, json=term)
        assert signed.status_code == 200, signed.text
        assert signed.json()["premises"] == {"free_use": True, "facility_ids": []}

        async def registered() -> httpx.Response | None:
            """Bookings knows the department once the directory's DepartmentRegistered has reached it."""
            made = await bookings.post(
                "/facilities",
                headers=staff,
                json={
                    "name": "Isomäen liikuntasali",
                    "department_code": "sports",
                    "address": "Isomäentie 5, 28120 Pori",
                    "capacity": 60,
                    "rules": {"window_opens_days": 365, "window_closes_hours": 24},
                    "pricing": {"hourly_cents": 3000},
                    "weekly_hours": {
                        d: {"opens": "08:00", "closes": "22:00"} for d in ("mon", "tue", "wed", "thu", "fri")
                    },
                },
            )
            assert made.status_code in (201, 422), made.text
            return made if made.status_code == 201 else None

        facility = (await until(registered)).json()
        day = today + timedelta(days=7)
        while day.weekday() > 4:  # the hall is open on weekdays
            day += timedelta(days=1)
        slot = {
            "facility_id": facility["id"],
            "applicant_id": club_id,
            "starts_at": f"{day.isoformat()}T17:00",
            "ends_at": f"{day.isoformat()}T19:00",
        }

        async def free() -> bool:
            """Bookings knows the association and the agreement once their events have reached its worker."""
            quote = await bookings.post("/quotes", headers=chair, json=slot)
            assert quote.status_code in (200, 403, 404, 422), quote.text
            return quote.status_code == 200 and quote.json()["free_use_reason"] == "partnership"

        await until(free)
        booked = await bookings.post(
            "/bookings", headers=chair | {"Idempotency-Key": "premises-story"}, json=slot | {"accepts_terms": True}
        )
        assert booked.status_code == 201, booked.text
        assert booked.json()["free_use_reason"] == "partnership" and booked.json()["price_cents"] == 0
