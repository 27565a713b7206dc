"""HTTP read paths measured from outside: our services beside a bare FastAPI + asyncpg app, in the same run.

    .venv/bin/python benchmarks/http_reads.py [--seconds 15] [--rounds 3] [--connections 64]

Each service (directory's ``/associations``, grants' ``/rounds``) runs as deployed (``<service> api``, uvicorn)
on a fresh migrated database with seeded rows; the bare app (``benchmarks/bare_reads.py``) runs the same SQL on
the same databases. The load is ``wrk`` (Debian's ``wrk``; ``apt-get install wrk``), alternating ours and bare
in every round; figures are medians of the rounds, and the ratio divides ours by bare. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from shared.db import drop_database
from shared.db.engine import asyncpg_dsn
from shared.db.migrations import upgrade
from shared.testing.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
SERVICES = {"directory": ("associations", "DIRECTORY_"), "grants": ("rounds", "GRANTS_")}


def url_of(database: str) -> str:
    return BASE_URL.rsplit("/", 1)[0] + "/" + database


async def seed_directory(dsn: str, count: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        kinds = ["registered_association", "unregistered_group", "private_person"]
        await conn.executemany(
            "INSERT INTO applicant (id, kind, name, fields_of_activity, district, languages, description) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                (uuid.uuid4(), kinds[i % 3], f"Yhdistys {i:04d}", ["sports", "culture"][: 1 + i % 2], "Keskusta",
                 ["fi", "sv"][: 1 + i % 2], "Toimintaa kaikenikäisille " * 3)
                for i in range(count)
            ],
        )  # fmt: skip
    finally:
        await conn.close()


async def seed_grants(dsn: str, count: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for p in range(count):
            programme, principles = uuid.uuid4(), uuid.uuid4()
            await conn.execute(
                "INSERT INTO grant_programme (id, name, kind, intake, department_code, eligible_kinds) "
                "VALUES ($1, $2, 'project', 'yearly_round', 'culture', '{registered_association}')",
                programme, f"Ohjelma {p:03d}",
            )  # fmt: skip
            await conn.execute(
                "INSERT INTO principles_version (id, programme_id, version, title, body, adopted_on) "
                "VALUES ($1, $2, 1, 'Periaatteet', 'Teksti', $3)",
                principles, programme, start.date(),
            )  # fmt: skip
            await conn.execute(
                "INSERT INTO grant_round (id, programme_id, year, principles_version_id, state, opens_at, closes_at,"
                " appropriation_cents) VALUES ($1, $2, 2026, $3, 'open', $4, $5, 1000000)",
                uuid.uuid4(), programme, principles, start + timedelta(days=p), start + timedelta(days=p + 30),
            )  # fmt: skip
    finally:
        await conn.close()


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, connections: int) -> Load:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", out)
    return Load(rps, p50, p99, (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0))


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, env=os.environ | env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(10)


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rows", type=int, default=300, help="applicants (and a tenth as many rounds) seeded")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    run = uuid.uuid4().hex[:6]
    urls = {name: url_of(f"bench_http_{run}_{name}") for name in SERVICES}
    try:
        asyncio.run(prepare(urls, args.rows))
        results = measure(urls, args)
    finally:
        asyncio.run(cleanup(urls))
    report(results, args)


async def prepare(urls: dict[str, str], rows: int) -> None:
    from directory.bootstrap import SERVICE as DIRECTORY
    from grants.bootstrap import SERVICE as GRANTS

    await upgrade(DIRECTORY.migrations, urls["directory"])
    await upgrade(GRANTS.migrations, urls["grants"])
    await seed_directory(asyncpg_dsn(urls["directory"]), rows)
    await seed_grants(asyncpg_dsn(urls["grants"]), max(1, rows // 10))


async def cleanup(urls: dict[str, str]) -> None:
    for url in urls.values():
        with contextlib.suppress(Exception):
            await drop_database(url)


def measure(urls: dict[str, str], args: argparse.Namespace) -> dict[str, list[Load]]:
    results: dict[str, list[Load]] = {}
    bare_port = free_port()
    bare_env = {"BARE_DIRECTORY_DSN": asyncpg_dsn(urls["directory"]), "BARE_GRANTS_DSN": asyncpg_dsn(urls["grants"])}
    bare_cmd = [sys.executable, "-m", "uvicorn", "--app-dir", "benchmarks", "bare_reads:app", "--port",
                str(bare_port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    ports = {name: free_port() for name in SERVICES}
    with contextlib.ExitStack() as stack:
        stack.enter_context(serving(bare_cmd, bare_env))
        for name, (_, prefix) in SERVICES.items():
            env = {f"{prefix}DATABASE_URL": urls[name], f"{prefix}HTTP_PORT": str(ports[name]),
                   f"{prefix}LOG_LEVEL": "WARNING", f"{prefix}LOG_JSON": "true"}  # fmt: skip
            stack.enter_context(serving([sys.executable, "-m", name, "api"], env))
        for name, (path, _) in SERVICES.items():
            wait_ready(f"http://127.0.0.1:{ports[name]}/{path}")
        wait_ready(f"http://127.0.0.1:{bare_port}/rounds")
        for name, (path, _) in SERVICES.items():  # warm up both: prepared statements, caches
            wrk(f"http://127.0.0.1:{ports[name]}/{path}", 2, args.connections)
            wrk(f"http://127.0.0.1:{bare_port}/{path}", 2, args.connections)
        for _ in range(args.rounds):
            for name, (path, _) in SERVICES.items():
                ours = wrk(f"http://127.0.0.1:{ports[name]}/{path}", args.seconds, args.connections)
                bare = wrk(f"http://127.0.0.1:{bare_port}/{path}", args.seconds, args.connections)
                results.setdefault(f"ours {name} /{path}", []).append(ours)
                results.setdefault(f"bare {name} /{path}", []).append(bare)
                print(f"  {name}: ours {ours.rps:,.0f} req/s, bare {bare.rps:,.0f} req/s", file=sys.stderr)
    return results


def print_loads(results: dict[str, list[Load]], width: int) -> dict[str, Load]:
    """The table of each measurement's medians beside every round's rate; returns the medians."""
    print(f"| {'measurement':<{width}} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | errors | req/s of each round")
    print(f"| {'-' * width} | {'-' * 7} | {'-' * 7} | {'-' * 7} | ------ | -------------------")
    median = {k: Load(*(statistics.median(getattr(x, f) for x in v) for f in ("rps", "p50_ms", "p99_ms", "errors")))
              for k, v in results.items()}  # fmt: skip
    for key, load in median.items():
        rounds = ", ".join(f"{x.rps:,.0f}" for x in results[key])
        figures = f"{load.rps:>7,.0f} | {load.p50_ms:>7.1f} | {load.p99_ms:>7.1f} | {load.errors:>6.0f}"
        print(f"| {key:<{width}} | {figures} | {rounds}")
    return median


def report(results: dict[str, list[Load]], args: argparse.Namespace) -> None:
    print(f"\nHTTP reads: wrk, {args.connections} connections, {args.seconds} s, median of {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs\n")  # fmt: skip
    median = print_loads(results, 28)
    print(f"\n| {'ratio of medians':<28} | value\n| {'-' * 28} | -----")
    for name, (path, _) in SERVICES.items():
        ratio = median[f"ours {name} /{path}"].rps / median[f"bare {name} /{path}"].rps
        print(f"| {f'{name} /{path} ours / bare':<28} | {ratio:.2f}")


if __name__ == "__main__":
    main()
