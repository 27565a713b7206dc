"""The yearly realisation of a known year on real PostgreSQL and RabbitMQ: a round opened on its planned dates
is realised, a newsletter sent later is moved (with its date), a held event is realised with its attendance,
a planned evening is pending until its date passes and then not realised; the page is Finnish and staff's."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from shared.contracts.grants import GrantRoundOpened
from shared.contracts.notifier import NewsletterSent
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_registrations import published_event, register
from .test_schedule_events import Exchange, publish, worker, wrap

__all__ = ["worker"]
YEAR = 2032


def planned(api: Api, category: str, month: int, day: int, duration: int = 1) -> Any:
    return api.clock_entry(
        category=category, audience="everyone", month=month, day=day, weekday=None, week=None, duration_days=duration
    )


async def realisation(client: httpx.AsyncClient, tokens: Tokens) -> dict[str, Any]:
    answer = await client.get("/realisation", params={"year": YEAR}, headers=tokens.staff("culture"))
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def of(body: dict[str, Any], clock_entry: dict[str, Any]) -> dict[str, Any]:
    [entry] = [e for e in body["entries"] if e["clock_entry_id"] == clock_entry["id"]]
    return entry  # type: ignore[no-any-return]


async def test_a_known_year_realised_moved_pending_and_not_realised(
    worker: Exchange, api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    round_period = await planned(api, "grant_application", 2, 1, duration=28)
    issue = await planned(api, "newsletter", 3, 19)
    info = await planned(api, "event", 5, 14)
    evening = await planned(api, "association_evening", 10, 6)
    evaluation = await planned(api, "evaluation", 1, 20)
    generated = await client.post("/schedule/generate", json={"year": YEAR}, headers=tokens.staff("culture"))
    assert generated.status_code == 200, generated.text

    round_id, issue_id = uuid.uuid4(), uuid.uuid4()
    t0 = datetime.now(UTC)
    opened = GrantRoundOpened(
        round_id=round_id, programme_id=uuid.uuid4(), year=YEAR, opens_at=datetime(YEAR, 2, 3, 7, tzinfo=UTC),
        closes_at=datetime(YEAR, 2, 28, 13, tzinfo=UTC), appropriation_cents=1, eligible_kinds=[],
        fields_of_activity=[],
    )  # fmt: skip
    sent = NewsletterSent(issue_id=issue_id, subject="Kevät", sent_at=datetime(YEAR, 3, 21, 9, tzinfo=UTC),
                          recipients=10, failed=0, department_code="culture")  # fmt: skip
    for envelope in (wrap(opened, t0), wrap(sent, t0), wrap(sent, t0)):  # the issue redelivered
        await publish(worker, envelope)

    clock.set(datetime(YEAR, 5, 1, 9, tzinfo=UTC))
    event = await published_event(
        api, clock, "culture-real", starts_at=datetime(YEAR, 5, 14, 14, tzinfo=UTC).isoformat(),
        ends_at=datetime(YEAR, 5, 14, 16, tzinfo=UTC).isoformat(),
    )  # fmt: skip
    for _ in range(3):
        await register(client, tokens, event, uuid.uuid4())
    clock.set(datetime(YEAR, 5, 15, 9, tzinfo=UTC))
    held = await client.post(f"/events/{event['id']}/held", headers=tokens.staff("culture-real"))
    assert held.status_code == 200, held.text

    for _ in range(200):
        body = await realisation(client, tokens)
        if of(body, issue)["outcome"] != "pending" and of(body, round_period)["outcome"] != "pending":
            break
        await asyncio.sleep(0.05)
    assert (of(body, round_period)["outcome"], of(body, round_period)["actual"]["source_id"]) == (
        "realised", str(round_id))  # fmt: skip
    moved = of(body, issue)
    assert (moved["outcome"], moved["actual"]["starts_on"], moved["planned_starts_on"]) == (
        "moved", f"{YEAR}-03-21", f"{YEAR}-03-19")  # fmt: skip
    held_entry = of(body, info)
    assert held_entry["outcome"] == "realised"
    assert (held_entry["actual"]["registrations"], held_entry["actual"]["participants"]) == (3, 3)
    assert of(body, evening)["outcome"] == "pending"
    assert of(body, evaluation)["outcome"] == "not_tracked"
    assert body["totals"]["events_held"] >= 1 and body["totals"]["newsletters_sent"] >= 1

    clock.set(datetime(YEAR + 1, 1, 10, 9, tzinfo=UTC))
    body = await realisation(client, tokens)
    assert of(body, evening)["outcome"] == "not_realised" and of(body, evening)["actual"] is None

    page = await client.get("/realisation.html", params={"year": YEAR}, headers=tokens.staff("culture"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="fi">' in page.text and "<caption>" in page.text and 'scope="col"' in page.text
    assert "toteutui siirtyneenä" in page.text and "21.3.2032" in page.text


async def test_only_staff_see_it_and_a_bad_year_names_the_field(client: httpx.AsyncClient, tokens: Tokens) -> None:
    for path in ("/realisation", "/realisation.html"):
        assert (await client.get(path, params={"year": YEAR})).status_code == 401
        rep = tokens.association(uuid.uuid4())
        assert (await client.get(path, params={"year": YEAR}, headers=rep)).status_code == 403
        bad = await client.get(path, params={"year": 1999}, headers=tokens.staff("culture"))
        assert bad.status_code == 422 and "year" in bad.text
