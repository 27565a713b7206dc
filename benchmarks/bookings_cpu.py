"""In-process CPU per request: bookings beside the bare FastAPI + asyncpg app, one request after another.

    .venv/bin/python benchmarks/bookings_cpu.py [--requests 200] [--rounds 3]

Both apps are called through httpx's ASGI transport in this process (no server, no network, no concurrency) on
one fresh migrated database, seeded as ``bookings_http.py`` seeds it. The figure is ``time.process_time()``
over N sequential requests divided by N: this process's CPU (our code, SQLAlchemy, asyncpg, pydantic), not
PostgreSQL's, so it is steady on a loaded machine where wall-clock rates are not. Each request is a real 201
on its own slot, or the availability of the seeded week. Rounds alternate ours and bare; medians are shown.
The database is dropped at the end. ``PROFILE=out.prof`` with ``--only`` and ``--rounds 1`` writes a cProfile
of the measured requests. ``COUNT_CALLS=1`` reports function calls per request instead of
milliseconds: deterministic, for a machine too loaded for CPU time to mean much. Instructions, where the
machine has performance counters, with perf counting only the measured requests of one measurement::

    mkfifo /tmp/ctl /tmp/ack
    PERF_CTL=/tmp/ctl PERF_ACK=/tmp/ack perf stat -e instructions:u -D -1 --control fifo:/tmp/ctl,/tmp/ack \\
        .venv/bin/python benchmarks/bookings_cpu.py --rounds 1 --only "ours POST /bookings"
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from bookings_http import ASSOCIATIONS, DEPARTMENT, READ_SLOTS, facility_body, seed_copies
from http_reads import url_of

from shared.auth import Role
from shared.auth.tokens import mint_token
from shared.db import drop_database
from shared.db.engine import asyncpg_dsn
from shared.db.migrations import upgrade
from shared.localtime import local_date

FACILITIES = 5
HOURS = 14


class Slots:
    """Distinct one-hour slots over the write facilities from ``first_day``, never the same twice."""

    def __init__(self, facilities: list[str], applicants: list[uuid.UUID], first_day: date) -> None:
        self.facilities, self.applicants, self.first_day, self.n = facilities, applicants, first_day, 0

    def next(self) -> dict[str, Any]:
        i, self.n = self.n, self.n + 1
        k = i // len(self.facilities)
        day, hour = self.first_day + timedelta(days=k // HOURS), 8 + k % HOURS
        return {
            "facility_id": self.facilities[i % len(self.facilities)],
            "applicant_id": str(self.applicants[k % len(self.applicants)]),
            "starts_at": f"{day}T{hour:02d}:00", "ends_at": f"{day}T{hour + 1:02d}:00", "accepts_terms": True,
        }  # fmt: skip


def _perf(command: str) -> None:
    """Under ``perf stat --control fifo:CTL,ACK -D -1`` (``PERF_CTL``/``PERF_ACK``): count only the requests."""
    if (ctl := os.environ.get("PERF_CTL")) is not None:
        with open(ctl, "w") as fifo:
            fifo.write(f"{command}\n")
        with open(os.environ["PERF_ACK"]) as ack:
            ack.readline()


async def cpu_per_request(send: Callable[[], Any], n: int) -> float:
    for _ in range(10):  # warm: statement caches, pools
        (await send()).raise_for_status()
    if os.environ.get("COUNT_CALLS"):
        return await _calls_per_request(send, n)
    profile = cProfile.Profile() if os.environ.get("PROFILE") else None
    if profile is not None:
        profile.enable()
    _perf("enable")
    started = time.process_time()
    for _ in range(n):
        (await send()).raise_for_status()
    elapsed = time.process_time() - started
    _perf("disable")
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["PROFILE"])
    return elapsed / n * 1000


async def _calls_per_request(send: Callable[[], Any], n: int) -> float:
    """Python and C function calls per request (``COUNT_CALLS=1``): a deterministic stand-in for instructions
    where the machine has no performance counters (this one has none) and CPU time drifts with the load."""
    calls = 0

    def count(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    for _ in range(n):
        sys.setprofile(count)
        response = await send()
        sys.setprofile(None)
        response.raise_for_status()
    return calls / n


async def measure(url: str, requests: int, rounds: int, only: str | None) -> dict[str, list[float]]:
    import bare_bookings

    from bookings.bootstrap import bootstrap
    from bookings.config import Settings
    from bookings.entrypoints.http.app import create_app

    applicants = await seed_copies(url)
    settings = Settings(database_url=url)
    secret = settings.jwt_secret
    rep_token = mint_token(secret=secret, subject="bench-rep", role=Role.ASSOCIATION, association_ids=applicants)
    rep = {"Authorization": f"Bearer {rep_token}"}
    staff_token = mint_token(secret=secret, subject="bench-staff", role=Role.STAFF, department=DEPARTMENT)
    staff = {"Authorization": f"Bearer {staff_token}"}
    container = bootstrap(settings)
    bare_bookings.pools["bookings"] = await asyncpg.create_pool(asyncpg_dsn(url), min_size=2, max_size=2)
    results: dict[str, list[float]] = {}
    try:
        ours = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)), base_url="http://ours")
        bare = httpx.AsyncClient(transport=httpx.ASGITransport(app=bare_bookings.app), base_url="http://bare")
        async with ours, bare:
            made = [(await ours.post("/facilities", json=facility_body(n), headers=staff)).json()["id"]
                    for n in range(FACILITIES + 1)]  # fmt: skip
            today = local_date(datetime.now(UTC))
            read_day = today + timedelta(days=14 - today.weekday())
            for n in range(7):
                day = read_day + timedelta(days=n)
                for start, end in READ_SLOTS:
                    body = {"facility_id": made[0], "applicant_id": str(applicants[n % ASSOCIATIONS]),
                            "starts_at": f"{day}T{start:02d}:00", "ends_at": f"{day}T{end:02d}:00",
                            "accepts_terms": True}  # fmt: skip
                    (await ours.post("/bookings", json=body, headers=rep)).raise_for_status()
            slots = Slots(made[1:], applicants, today + timedelta(days=3))
            read = f"/facilities/{made[0]}/availability"
            for _ in range(rounds):
                for who, client in (("ours", ours), ("bare", bare)):
                    sends = {
                        f"{who} availability": lambda c=client: c.get(read, params={"from": str(read_day)}),
                        f"{who} POST /bookings": lambda c=client: c.post("/bookings", json=slots.next(), headers=rep),
                    }
                    for key, send in sends.items():
                        if only is None or key == only:
                            results.setdefault(key, []).append(await cpu_per_request(send, requests))
    finally:
        await bare_bookings.pools["bookings"].close()
        await container.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help='one measurement, e.g. "ours POST /bookings" (for perf stat)')
    args = parser.parse_args()
    os.environ.setdefault("BOOKINGS_LOG_LEVEL", "WARNING")

    from bookings.bootstrap import MIGRATIONS

    url = url_of(f"bench_cpu_{uuid.uuid4().hex[:6]}")
    try:
        asyncio.run(upgrade(MIGRATIONS, url))
        results = asyncio.run(measure(url, args.requests, args.rounds, args.only))
    finally:
        with contextlib.suppress(Exception):
            asyncio.run(drop_database(url))
    unit = "calls" if os.environ.get("COUNT_CALLS") else "CPU ms"
    print(f"\nIn-process {unit} per request, {args.requests} sequential requests, median of {args.rounds} rounds\n")
    print(f"| {'measurement':<22} | {unit:>8} | each round\n| {'-' * 22} | -------- | ----------")
    for key, values in results.items():
        print(f"| {key:<22} | {statistics.median(values):8.2f} | {', '.join(f'{v:.2f}' for v in values)}")
    for name in ("availability", "POST /bookings") if args.only is None else ():
        ratio = statistics.median(results[f"bare {name}"]) / statistics.median(results[f"ours {name}"])
        print(f"bare / ours {unit}, {name}: {ratio:.2f}")


if __name__ == "__main__":
    main()
