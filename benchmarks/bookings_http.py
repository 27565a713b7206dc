"""Bookings over HTTP measured from outside: availability reads and booking requests, beside a bare FastAPI +
asyncpg app running the same SQL (``benchmarks/bare_bookings.py``) in the same run.

    .venv/bin/python benchmarks/bookings_http.py [--seconds 15] [--rounds 3] [--connections 64]

Bookings runs as deployed (``bookings api``, uvicorn) on a fresh migrated database: one department, a few
associations (as the directory's events would copy them), ``--facilities`` halls open 08–22 every day taking
the booking requests, and one more hall whose measured week holds 35 bookings, read by
``GET /facilities/{id}/availability?from=…`` (anonymous). ``POST /bookings`` comes from a wrk Lua script that
gives every request its own one-hour slot (facility, day, hour), so no two conflict: each is a real 201 with its
booking, occurrence and outbox row. The load is ``wrk`` (Debian's; ``apt-get install wrk``), ours and bare
alternating in every round; figures are medians of the rounds, the ratio divides ours by bare. Figures, never
assertions. wrk's timeout is 10 s (not its 2 s), so that a slow answer counts in p99 rather than as an error on
a loaded machine. The database is dropped at the end, and both servers stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import asyncpg
import httpx
from http_reads import Load, _ms, print_loads, serving, url_of, wait_ready

from bookings.domain.opening import WEEKDAYS
from shared.auth import Role
from shared.auth.tokens import mint_token
from shared.db import drop_database
from shared.db.engine import asyncpg_dsn
from shared.db.migrations import upgrade
from shared.localtime import local_date
from shared.testing.processes import free_port

DEPARTMENT = "culture"
ASSOCIATIONS = 8
HOURS = 14  # one-hour slots 08–22
READ_SLOTS = ((8, 10), (10, 12), (13, 15), (16, 18), (19, 21))

LUA = """
local facilities = {%(facilities)s}
local applicants = {%(applicants)s}
local F, A, base, hours = #facilities, #applicants, %(base)d, %(hours)d
local threads, offset, nthreads = {}, 0, 1
counter = 0  -- a global, so that done() can read each thread's through thread:get
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  offset, nthreads = tonumber(args[1]), tonumber(args[2])
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer %(token)s"
end
function request()
  local i = offset + tid + counter * nthreads
  counter = counter + 1
  local k = math.floor(i / F)
  local day, hour = math.floor(k / hours), 8 + k %% hours
  local d = os.date("!%%Y-%%m-%%d", base + day * 86400)
  local body = string.format(
    '{"facility_id":"%%s","applicant_id":"%%s","starts_at":"%%sT%%02d:00","ends_at":"%%sT%%02d:00","accepts_terms":true}',
    facilities[i %% F + 1], applicants[k %% A + 1], d, hour, d, hour + 1)
  return wrk.format(nil, "/bookings", nil, body)
end
function done(summary, latency, requests)
  local used = 0
  for _, t in ipairs(threads) do used = math.max(used, t:get("counter") or 0) end
  io.write(string.format("slots used up to: %%d\\n", used * #threads))
end
"""


@dataclass
class Scene:
    url: str
    token: str  # a representative of every seeded association
    staff: str
    applicants: list[uuid.UUID]
    read_facility: str = ""
    read_day: date = date.min
    write_facilities: tuple[str, ...] = ()
    first_day: date = date.min


async def seed_copies(url: str) -> list[uuid.UUID]:
    """The department and associations, written as bookings' own consumers would write the directory's events."""
    from bookings.bootstrap import bootstrap
    from bookings.config import Settings
    from shared import directory_copy as copies
    from shared.contracts.directory import ApplicantKind

    container = bootstrap(Settings(database_url=url))
    try:
        await copies.copy_department(
            container.uow(), department_id=uuid.uuid4(), code=DEPARTMENT, name="Kulttuuri", revision=1
        )
        ids = [uuid.uuid4() for _ in range(ASSOCIATIONS)]
        for n, applicant_id in enumerate(ids):
            await copies.copy_applicant(
                container.uow(), applicant_id=applicant_id, kind=ApplicantKind.REGISTERED_ASSOCIATION,
                name=f"Seura {n} ry", active=True, revision=1,
            )  # fmt: skip
        return ids
    finally:
        await container.close()


def facility_body(n: int) -> dict[str, object]:
    return {
        "name": f"Sali {n:03d}", "department_code": DEPARTMENT, "address": "Hallituskatu 9, 28100 Pori",
        "capacity": 40, "rules": {"window_opens_days": 365, "window_closes_hours": 24},
        "pricing": {"hourly_cents": 2000}, "closed_on_holidays": False,
        "weekly_hours": {d: {"opens": "08:00", "closes": "22:00"} for d in WEEKDAYS},
    }  # fmt: skip


def seed_over_http(base: str, scene: Scene, facilities: int) -> None:
    """Facilities registered by staff, and the read hall's week booked, through our own API."""
    staff = {"Authorization": f"Bearer {scene.staff}"}
    rep = {"Authorization": f"Bearer {scene.token}"}
    with httpx.Client(base_url=base, timeout=30) as client:
        made = []
        for n in range(facilities + 1):
            response = client.post("/facilities", json=facility_body(n), headers=staff)
            response.raise_for_status()
            made.append(response.json()["id"])
        today = local_date(datetime.now(UTC))
        scene.read_facility, scene.write_facilities = made[0], tuple(made[1:])
        scene.read_day = today + timedelta(days=14 - today.weekday())  # a Monday two weeks ahead
        for n in range(7):
            day = scene.read_day + timedelta(days=n)
            for start, end in READ_SLOTS:
                body = {
                    "facility_id": scene.read_facility, "applicant_id": str(scene.applicants[n % ASSOCIATIONS]),
                    "starts_at": f"{day}T{start:02d}:00", "ends_at": f"{day}T{end:02d}:00", "accepts_terms": True,
                }  # fmt: skip
                client.post("/bookings", json=body, headers=rep).raise_for_status()
        scene.first_day = today + timedelta(days=3)


def lua_script(scene: Scene, directory: Path) -> Path:
    base = int(datetime.combine(scene.first_day, time(12), UTC).timestamp())
    path = directory / "book.lua"
    path.write_text(LUA % {
        "facilities": ", ".join(f'"{f}"' for f in scene.write_facilities),
        "applicants": ", ".join(f'"{a}"' for a in scene.applicants), "base": base, "hours": HOURS,
        "token": scene.token,
    })  # fmt: skip
    return path


def run_wrk(url: str, seconds: int, connections: int, script: Path | None = None, offset: int = 0) -> tuple[Load, int]:
    """One wrk run; with the booking script, also how many slots it used from ``offset``."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if script is not None:
        command += ["-s", str(script), url, "--", str(offset), "2"]
    else:
        command.append(url)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", out)
    used = re.search(r"slots used up to: (\d+)", out)
    load = Load(rps, p50, p99, (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0))
    return load, int(used.group(1)) if used else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--facilities", type=int, default=40, help="halls taking the booking requests")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    from bookings.bootstrap import MIGRATIONS
    from bookings.config import Settings

    url = url_of(f"bench_bookings_{uuid.uuid4().hex[:6]}")
    secret = Settings().jwt_secret
    try:
        asyncio.run(upgrade(MIGRATIONS, url))
        applicants = asyncio.run(seed_copies(url))
        scene = Scene(
            url=url,
            token=mint_token(secret=secret, subject="bench-rep", role=Role.ASSOCIATION, association_ids=applicants),
            staff=mint_token(secret=secret, subject="bench-staff", role=Role.STAFF, department=DEPARTMENT),
            applicants=applicants,
        )
        results, created = measure(scene, args)
    finally:
        asyncio.run(cleanup(url))
    report(results, created, args)


async def cleanup(url: str) -> None:
    with contextlib.suppress(Exception):
        await drop_database(url)


async def count_bookings(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT requested_by = 'bare' AS bare, count(*) FROM booking GROUP BY 1")
        return {"bare" if r["bare"] else "ours": r["count"] for r in rows}
    finally:
        await conn.close()


def measure(scene: Scene, args: argparse.Namespace) -> tuple[dict[str, list[Load]], dict[str, int]]:
    results: dict[str, list[Load]] = {}
    ours_port, bare_port = free_port(), free_port()
    env = {"BOOKINGS_DATABASE_URL": scene.url, "BOOKINGS_HTTP_PORT": str(ours_port),
           "BOOKINGS_LOG_LEVEL": "WARNING", "BOOKINGS_LOG_JSON": "true"}  # fmt: skip
    bare_cmd = [sys.executable, "-m", "uvicorn", "--app-dir", "benchmarks", "bare_bookings:app", "--port",
                str(bare_port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    ours, bare = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{bare_port}"
    capacity = args.facilities * HOURS * 355
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        stack.enter_context(serving([sys.executable, "-m", "bookings", "api"], env))
        stack.enter_context(serving(bare_cmd, {"BARE_BOOKINGS_DSN": asyncpg_dsn(scene.url)}))
        wait_ready(f"{ours}/facilities")
        seed_over_http(ours, scene, args.facilities)
        read = f"/facilities/{scene.read_facility}/availability?from={scene.read_day}"
        wait_ready(f"{bare}{read}")
        script, offset = lua_script(scene, Path(tmp)), 0
        for seconds in (2, *[args.seconds] * args.rounds):  # the first round warms both up and is not kept
            for name in ("availability", "POST /bookings"):
                for who, base in (("ours", ours), ("bare", bare)):
                    if name == "availability":
                        load, used = run_wrk(f"{base}{read}", seconds, args.connections)
                    else:
                        load, used = run_wrk(f"{base}/bookings", seconds, args.connections, script, offset)
                    offset += used
                    if offset >= capacity:
                        sys.exit(f"out of distinct slots ({capacity}): use more --facilities or fewer --seconds")
                    if seconds == args.seconds:
                        results.setdefault(f"{who} {name}", []).append(load)
                    print(f"  {who} {name}: {load.rps:,.0f} req/s, {load.errors} errors", file=sys.stderr)
        created = asyncio.run(count_bookings(scene.url))
    return results, created


def report(results: dict[str, list[Load]], created: dict[str, int], args: argparse.Namespace) -> None:
    print(f"\nBookings HTTP: wrk, {args.connections} connections, {args.seconds} s, median of {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs\n")  # fmt: skip
    median = print_loads(results, 24)
    print(f"\n| {'ratio of medians':<24} | value\n| {'-' * 24} | -----")
    for name in ("availability", "POST /bookings"):
        print(f"| {f'{name} ours / bare':<24} | {median[f'ours {name}'].rps / median[f'bare {name}'].rps:.2f}")
    print(f"\nbookings written (warm-up included, 35 seeded): {json.dumps(created)}")


if __name__ == "__main__":
    main()
