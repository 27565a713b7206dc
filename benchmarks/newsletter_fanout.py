"""One newsletter issue to 10,000 subscribers: the notifier's fan-out and deliver jobs into a local SMTP sink,
beside a bare aiosmtplib send loop of the same mails to the same sink, in the same run.

    .venv/bin/python benchmarks/newsletter_fanout.py [--subscribers N] [--connections C] [--rate R] [--rounds K]

The sink is a bare aiosmtpd server in a process of its own that only counts the mails (so that its work does
not share this process's interpreter). Our path is what the worker runs: ``fan_out_due_issues`` (one delivery
row per confirmed subscriber in one statement), then ``deliver_due`` until nothing is pending (claim a batch,
put each recipient's links into the issue rendered once per language, mark it handed over, send over the
pooled connections, mark it sent). The baseline sends the same mails (the same bytes, built before its clock
starts) with ``sendmail`` over the same number of aiosmtplib connections: the speed of SMTP itself. Ours and
the baseline alternate ``--rounds`` times (a new issue each round) so that a busy machine weighs on both; the
ratio is the median round's. The database is a fresh ``bench_notifier_<run>`` on the server of
``NOTIFIER_DATABASE_URL`` (default PostgreSQL at 127.0.0.1:5432), dropped at the end. Figures, never
assertions: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import statistics
import time
import uuid
from multiprocessing.sharedctypes import Synchronized
from typing import Any

import aiosmtplib
from sqlalchemy import text
from sqlalchemy.engine import make_url

from notifier.adapters.mime import Outgoing
from notifier.bootstrap import MIGRATIONS, bootstrap
from notifier.config import Settings
from notifier.domain.delivery import Delivery, DeliveryKind
from notifier.domain.issue import Issue
from notifier.service_layer.mails import mail_domain, message, newsletter_template
from notifier.service_layer.sending import deliver_due, fan_out_due_issues
from shared.clock import utc_now
from shared.db import drop_database, ensure_database
from shared.db.migrations import upgrade
from shared.observability.logging import configure_logging

SUBSCRIBERS = """
INSERT INTO subscriber (id, email, email_digest, state, language, confirmed_at)
SELECT gen_random_uuid(), e, encode(sha256(convert_to(e, 'UTF8')), 'hex'), 'confirmed', 'fi', now()
FROM (SELECT 'bench-' || g || '@example.org' AS e FROM generate_series(1, :n) AS g) AS addresses
"""


def _sink(port: int, count: Synchronized[int], cpu: Synchronized[float], ready: Any) -> None:
    """A bare SMTP server that accepts every mail and only counts it (and its own CPU seconds)."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with count.get_lock():
                count.value += 1
            cpu.value = time.process_time()
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    cpu.value = time.process_time()  # from here on: its start-up is nobody's
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait_count(count: Synchronized[int], target: int, timeout: float = 60) -> None:
    """Poll the sink's counter (another process's: no event to await) until it reaches ``target``."""
    deadline = time.monotonic() + timeout
    while True:
        if count.value >= target or time.monotonic() > deadline:
            return
        await asyncio.sleep(0.01)


async def our_path(settings: Settings, n: int, count: Synchronized[int], cpu: Synchronized[float]) -> dict[str, float]:
    notifier = bootstrap(settings)
    try:
        issue = Issue(uuid.uuid4(), "Yhdistysuutiset", "# Hei\n\nUutisia *kaikille*.", "culture", "bench")
        issue.validate()
        issue.send_now(utc_now())
        async with notifier.uow() as uow:
            await uow.issues.add(issue)
            await uow.commit()
        before, sink_cpu, our_cpu = count.value, cpu.value, time.process_time()
        started = time.perf_counter()
        await fan_out_due_issues(notifier.uow(), utc_now(), domain=mail_domain(settings))
        fanned = time.perf_counter()
        while True:
            sent = await deliver_due(
                notifier.uow(), utc_now(), settings=settings, mailer=notifier.mailer, uows=notifier.uow,
                budget_seconds=3600, clock=utc_now,
            )  # fmt: skip
            if not sent:
                break
        await _wait_count(count, before + n)
        done, our_cpu = time.perf_counter(), time.process_time() - our_cpu
        async with notifier.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT state, count(*) FROM delivery WHERE issue_id = :i GROUP BY state"), {"i": issue.id}
                )
            ).all()
        states = {str(state): int(k) for state, k in rows}
        if states != {"sent": n} or count.value - before != n:
            print(f"  our path: deliveries {states}, sink received {count.value - before}")
        return {
            "fan-out s": fanned - started, "deliver s": done - fanned, "total s": done - started,
            "cpu s": our_cpu, "sink cpu s": cpu.value - sink_cpu,
        }  # fmt: skip
    finally:
        await notifier.close()


def _mails(settings: Settings, n: int) -> list[Outgoing]:
    """The same mails as our path sends: per recipient, the issue with its own links, as bytes."""
    issue = Issue(uuid.uuid4(), "Yhdistysuutiset", "# Hei\n\nUutisia *kaikille*.", "culture", "bench")
    domain, mails, rendered = mail_domain(settings), [], newsletter_template(settings, issue, "fi")
    for i in range(n):
        ref, delivery_id = f"subscriber:{uuid.uuid4()}", uuid.uuid4()
        d = Delivery(
            delivery_id, DeliveryKind.NEWSLETTER, ref, "fi", f"<{delivery_id}@{domain}>", 0,
            f"bench-{i}@example.org", issue.id,
        )  # fmt: skip
        mails.append(message(settings, d, rendered))
    return mails


async def bare_loop(
    settings: Settings, mails: list[Outgoing], count: Synchronized[int], cpu: Synchronized[float]
) -> dict[str, float]:
    """``connections`` aiosmtplib clients, each sending its share of the mails one after the other."""
    queue: asyncio.Queue[Outgoing] = asyncio.Queue()
    for m in mails:
        queue.put_nowait(m)

    async def one_connection() -> None:
        client = aiosmtplib.SMTP(hostname=settings.smtp_host, port=settings.smtp_port)
        await client.connect()
        while not queue.empty():
            m = queue.get_nowait()
            await client.sendmail(m.sender, [m.recipient], m.data)
        await client.quit()

    before, sink_cpu, our_cpu = count.value, cpu.value, time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(settings.smtp_connections)))
    await _wait_count(count, before + len(mails))
    return {
        "total s": time.perf_counter() - started, "cpu s": time.process_time() - our_cpu,
        "sink cpu s": cpu.value - sink_cpu,
    }  # fmt: skip


async def run(args: argparse.Namespace) -> None:
    configure_logging("bench", json=True, level="WARNING")
    run_id = uuid.uuid4().hex[:8]
    base = os.environ.get("NOTIFIER_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    url = make_url(base).set(database=f"bench_notifier_{run_id}").render_as_string(hide_password=False)
    ctx = mp.get_context("spawn")
    count: Synchronized[int] = ctx.Value("q", 0)
    cpu: Synchronized[float] = ctx.Value("d", 0.0)
    ready, port = ctx.Event(), _free_port()
    sink = ctx.Process(target=_sink, args=(port, count, cpu, ready), daemon=True)
    sink.start()
    await ensure_database(url)
    try:
        if not ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        await upgrade(MIGRATIONS, url)
        settings = Settings(
            database_url=url, smtp_host="127.0.0.1", smtp_port=port, smtp_connections=args.connections,
            send_rate_per_second=args.rate, delivery_batch_size=args.batch_size,
        )  # fmt: skip
        notifier = bootstrap(settings)
        async with notifier.engine.begin() as conn:
            await conn.execute(text(SUBSCRIBERS), {"n": args.subscribers})
        await notifier.close()
        n = args.subscribers
        print(f"run {run_id}: {n} subscribers, {args.connections} SMTP connections, batch {args.batch_size}, "
              f"rate limit {args.rate:g}/s, {os.cpu_count()} CPUs, {args.rounds} rounds, "
              f"load average {_load()}", flush=True)  # fmt: skip
        cols = f"| {'seconds':>7} | {'mails/s':>7} | {'CPU ms/mail':>11} | {'sink CPU ms/mail':>16} |"
        print(f"\n| round | {'path':<44} {cols}")
        print(f"|------:|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 13}|{'-' * 18}|")
        ratios = []
        for r in range(1, args.rounds + 1):
            ours = await our_path(settings, n, count, cpu)
            built = time.perf_counter()
            mails = _mails(settings, n)
            build_s = time.perf_counter() - built
            bare = await bare_loop(settings, mails, count, cpu)
            for name, seconds, cpu_s, sink_s in (
                ("notifier: fan-out (delivery rows)", ours["fan-out s"], None, None),
                ("notifier: deliver job (links + SMTP + marks)", ours["deliver s"], None, None),
                ("notifier: total", ours["total s"], ours["cpu s"], ours["sink cpu s"]),
                ("bare: building the same mails (not timed)", build_s, None, None),
                ("bare: aiosmtplib sendmail loop", bare["total s"], bare["cpu s"], bare["sink cpu s"]),
            ):
                cpu_ms = f"{cpu_s * 1000 / n:11.2f}" if cpu_s is not None else " " * 11
                sink_ms = f"{sink_s * 1000 / n:16.2f}" if sink_s is not None else " " * 16
                print(f"| {r:>5} | {name:<44} | {seconds:7.2f} | {n / seconds:7.0f} | {cpu_ms} | {sink_ms} |")
            ratios.append(bare["total s"] / ours["total s"])
            print(f"|       | ours / bare mails/s: {ratios[-1]:.2f}  (load average {_load()}) |", flush=True)
        print(f"\nours / bare, median of {len(ratios)} rounds: {statistics.median(ratios):.2f} "
              f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}); load average {_load()}")  # fmt: skip
    finally:
        sink.terminate()
        sink.join(5)
        await drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=Settings.model_fields["smtp_connections"].default)
    parser.add_argument("--batch-size", type=int, default=Settings.model_fields["delivery_batch_size"].default)
    parser.add_argument("--rate", type=float, default=1e9, help="the notifier's send rate limit (default: none)")
    parser.add_argument("--rounds", type=int, default=3, help="ours then bare, this many times")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
