"""The raw baseline of ``bookings_http.py``: FastAPI + asyncpg answering bookings' availability and booking
request with the statements bookings' own path runs, and nothing else.

No SQLAlchemy, no unit of work, no authentication, no validation of the rules, no middleware of ours: a pool,
the statements in one transaction, and a dict. ``POST /bookings`` takes the same body (a Helsinki local
``starts_at``/``ends_at``) and runs what ``request_booking`` runs for a single slot: the per-association
advisory lock, the facility, the applicant copy, the date's exceptions, free-use grants and partnerships, the
overlap check, the booking, its occurrence under a savepoint (the exclusion constraint still refuses an
overlap), and the outbox row with its NOTIFY.
Served by ``uvicorn --app-dir benchmarks bare_bookings:app`` with the database in ``BARE_BOOKINGS_DSN``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from fastapi import Body, FastAPI, HTTPException, Query

HELSINKI = ZoneInfo("Europe/Helsinki")
FACILITY = "SELECT * FROM facility WHERE id = $1"
EXCEPTIONS = "SELECT * FROM opening_exception WHERE facility_id = $1 AND day BETWEEN $2 AND $3"
IN_PERIOD = """
SELECT o.*, b.kind, b.state, b.applicant_id FROM occurrence o JOIN booking b ON b.id = o.booking_id
WHERE o.facility_id = $1 AND o.active AND o.starts_at < $3 AND o.blocked_until > $2 ORDER BY o.starts_at
"""
LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 1))"
APPLICANT = "SELECT * FROM applicant WHERE id = $1"
GRANTS = "SELECT * FROM free_use_grant WHERE applicant_id = $1 AND department_code = $2"
PARTNERSHIPS = "SELECT * FROM partnership WHERE applicant_id = $1 AND department_code = $2"
TAKEN = """
SELECT * FROM occurrence WHERE facility_id = $1 AND active AND tstzrange(starts_at, blocked_until) && tstzrange($2, $3)
ORDER BY starts_at LIMIT 1
"""
BOOKING = """
INSERT INTO booking (id, facility_id, department_code, kind, state, applicant_id, applicant_kind, hourly_cents,
  requested_by, purpose, terms_accepted_at)
VALUES ($1, $2, $3, 'single', 'requested', $4, $5, $6, 'bare', $7, now()) RETURNING created_at, updated_at
"""
OCCURRENCE = """
INSERT INTO occurrence (id, booking_id, facility_id, starts_at, ends_at, blocked_until, price_cents, active)
VALUES ($1, $2, $3, $4, $5, $5, $6, true)
"""
OUTBOX = "INSERT INTO outbox_message (event_id, routing_key, envelope) VALUES ($1, 'bookings.BookingRequested.v1', $2)"
pools: dict[str, asyncpg.Pool] = {}


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    pools["bookings"] = await asyncpg.create_pool(os.environ["BARE_BOOKINGS_DSN"], min_size=10, max_size=10)
    yield
    await pools["bookings"].close()


app = FastAPI(lifespan=lifespan)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), HELSINKI).astimezone(UTC)


@app.get("/facilities/{facility_id}/availability")
async def availability(facility_id: uuid.UUID, start: date = Query(alias="from")) -> dict[str, Any]:
    monday = start - timedelta(days=start.weekday())
    sunday = monday + timedelta(days=6)
    async with pools["bookings"].acquire() as conn:
        facility = await conn.fetchrow(FACILITY, facility_id)
        if facility is None:
            raise HTTPException(404)
        await conn.fetch(EXCEPTIONS, facility_id, monday, sunday)
        rows = await conn.fetch(IN_PERIOD, facility_id, _midnight(monday), _midnight(sunday + timedelta(days=1)))
    keys = ("starts_at", "ends_at", "kind", "state")
    taken = [{k: r[k] for k in keys} for r in rows]
    return {"facility_id": facility_id, "taken": taken}


@app.post("/bookings", status_code=201)
async def request(body: dict[str, Any] = Body()) -> dict[str, Any]:
    facility_id, applicant_id = uuid.UUID(body["facility_id"]), uuid.UUID(body["applicant_id"])
    starts_at = datetime.fromisoformat(body["starts_at"]).replace(tzinfo=HELSINKI).astimezone(UTC)
    ends_at = datetime.fromisoformat(body["ends_at"]).replace(tzinfo=HELSINKI).astimezone(UTC)
    day = starts_at.astimezone(HELSINKI).date()
    booking_id, occurrence_id, event_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with pools["bookings"].acquire() as conn, conn.transaction():
        await conn.execute(LOCK, f"{facility_id}:{applicant_id}")
        facility = await conn.fetchrow(FACILITY, facility_id)
        applicant = await conn.fetchrow(APPLICANT, applicant_id)
        if facility is None or applicant is None:
            raise HTTPException(422)
        department = facility["department_code"]
        await conn.fetch(EXCEPTIONS, facility_id, day, day)
        await conn.fetch(GRANTS, applicant_id, department)
        await conn.fetch(PARTNERSHIPS, applicant_id, department)
        if await conn.fetch(TAKEN, facility_id, starts_at, ends_at):
            raise HTTPException(409)
        hourly = json.loads(facility["pricing"])["hourly_cents"]
        price = (int((ends_at - starts_at) / timedelta(minutes=1)) * hourly + 30) // 60
        await conn.fetchrow(BOOKING, booking_id, facility_id, department, applicant_id, applicant["kind"], hourly,
                            body.get("purpose"))  # fmt: skip
        async with conn.transaction():  # the savepoint our repository opens around the insert
            await conn.execute(OCCURRENCE, occurrence_id, booking_id, facility_id, starts_at, ends_at, price)
        envelope = {"event_id": str(event_id), "type": "BookingRequested", "data": {"booking_id": str(booking_id)}}
        await conn.execute(OUTBOX, event_id, json.dumps(envelope))
        await conn.execute("SELECT pg_notify('outbox_message', '')")
    return {"id": booking_id, "state": "requested", "price_cents": price}
