"""The newsletter's dates from the annual clock, through the running calendar and notifier and the broker only
(ADR 0014): staff plan a newsletter on the clock, the calendar announces the date, the notifier lists it, staff
schedule an issue on it (09:00 Helsinki that day), the calendar shows the issue on that plan; cancelled, the issue
leaves the calendar's schedule and the planned date is shown again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import pytest_asyncio

from shared.testing.fixtures import Databases, Tokens
from shared.testing.servers import Servers

from .conftest import RunningService, system
from .waiting import until

T = TypeVar("T")
YEAR = datetime.now(UTC).year + 1  # wholly in the future


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def notifier_and_calendar(
    databases: Databases, servers: Servers, module_namespace: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[RunningService, RunningService]]:
    """The notifier first, so that its queues exist before the calendar announces anything."""
    logs: Path = tmp_path_factory.mktemp("logs")
    async with system(("notifier", {}), ("calendar", {}), databases=databases, servers=servers,
                      namespace=module_namespace, logs=logs) as (notifier, calendar):  # fmt: skip
        yield notifier, calendar


async def test_an_issue_is_scheduled_on_the_clocks_date_and_its_cancellation_gives_the_plan_back(
    notifier_and_calendar: tuple[RunningService, RunningService], tokens: Tokens
) -> None:
    notifier, calendar = notifier_and_calendar
    staff = tokens.staff("culture")
    title = f"Yhdistysuutiset, kevät {uuid.uuid4().hex[:4]}"
    async with (
        httpx.AsyncClient(base_url=calendar.base_url, timeout=10, headers=staff) as cal,
        httpx.AsyncClient(base_url=notifier.base_url, timeout=10, headers=staff) as news,
    ):
        made = await cal.post("/clock/entries", json={
            "title_fi": title, "description_fi": "Kevään numero.", "category": "newsletter", "audience": "everyone",
            "month": 3, "day": 16, "responsible_department": "culture",
        })  # fmt: skip
        assert made.status_code == 201, made.text
        clock_entry_id = made.json()["id"]
        generated = await cal.post("/schedule/generate", json={"year": YEAR})
        assert generated.status_code == 200, generated.text

        async def listed() -> dict[str, Any] | None:
            items = (await news.get("/newsletter-dates", params={"year": YEAR})).json()["items"]
            return next((i for i in items if i["clock_entry_id"] == clock_entry_id), None)

        planned = await until(listed)
        assert (planned["planned_on"], planned["title_fi"]) == (f"{YEAR}-03-16", title)
        assert datetime.fromisoformat(planned["send_at"]) == datetime(YEAR, 3, 16, 7, tzinfo=UTC)  # 09:00, UTC+2

        issue = await news.post("/issues", json={"subject_fi": "Kevään uutiset", "body_fi": "# Hei\n\nUutisia."})
        assert issue.status_code == 201, issue.text
        issue_id = issue.json()["id"]
        scheduled = await news.post(f"/issues/{issue_id}/schedule", json={"newsletter_date_id": planned["id"]})
        assert scheduled.status_code == 200, scheduled.text
        assert scheduled.json()["clock_entry_id"] == clock_entry_id

        async def shown(kind: str) -> dict[str, Any] | None:
            answer = await cal.get("/schedule", params={"year": YEAR, "category": "newsletter", "limit": 100})
            mine = [i for i in answer.json()["items"] if i["clock_entry_id"] == clock_entry_id]
            return mine[0] if len(mine) == 1 and mine[0]["kind"] == kind else None

        entry = await until(lambda: shown("newsletter"))
        assert (entry["source_id"], entry["starts_on"], entry["state"]) == (issue_id, f"{YEAR}-03-16", "scheduled")

        cancelled = await news.post(f"/issues/{issue_id}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        plan = await until(lambda: shown("clock"))
        assert (plan["starts_on"], plan["state"]) == (f"{YEAR}-03-16", "planned")
