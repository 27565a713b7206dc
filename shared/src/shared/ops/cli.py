"""``pori-ops``: the operators' command line for the whole system.

    pori-ops status                      each service's readiness
    pori-ops queues                      every consumer queue: messages, consumers, dead letters; the parking queue
    pori-ops dead-letters [QUEUE]        what waits in the dead-letter queues (ids, type, error; never the data)
    pori-ops replay QUEUE --all | --event-id ID ...
    pori-ops discard QUEUE --event-id ID ... --reason TEXT
    pori-ops outbox                      unpublished outbox rows per service, and the oldest one's age
    pori-ops token --role admin          a development token (the options of mint-token)

Settings come from each service's environment, as the service itself reads them (``GRANTS_AMQP_URL``, ...), so
the commands work beside ``make up`` and inside a service's pod; ``--namespace`` and ``--service`` narrow them.
The work is done by ``shared.ops.dead_letters``, ``queues``, ``outbox`` and ``health``; this module parses
and prints.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from collections.abc import Sequence
from datetime import UTC
from typing import Any, TextIO, cast

import asyncpg
import structlog

from shared.auth import cli as token_cli
from shared.cli import ServiceDefinition
from shared.observability.logging import configure_logging
from shared.ops import dead_letters, health, outbox, queues, services
from shared.ops.services import Located, ServiceView, UnknownQueue
from shared.ops.table import age, render


class _Stderr:
    """Log lines go to whatever ``sys.stderr`` is at the time, so tables alone are on stdout."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _configure_logging() -> None:
    configure_logging("pori-ops", json=not sys.stderr.isatty(), level="INFO")
    stderr = cast(TextIO, _Stderr())
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(stderr))
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stderr)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--namespace", help="prefix of the broker's names, instead of the services' own")
    common.add_argument("--service", action="append", dest="services", metavar="NAME", help="only this service")
    top = argparse.ArgumentParser(prog="pori-ops", description="Operate the association-cooperation platform.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("status", parents=[common], help="each service's readiness")
    q = commands.add_parser("queues", parents=[common], help="queue depths, consumers and dead letters")
    q.add_argument("--management-url", help="RabbitMQ management API, e.g. http://guest:guest@127.0.0.1:15672")
    d = commands.add_parser("dead-letters", parents=[common], help="list dead letters, leaving them in place")
    d.add_argument("queue", nargs="?", help="a consumer queue (or its .dlq, or events.unrouted); default: all")
    d.add_argument("--limit", type=int, default=200, help="at most this many per queue (default 200)")
    r = commands.add_parser("replay", parents=[common], help="move dead letters back to their queue")
    r.add_argument("queue")
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--event-id", action="append", dest="event_ids", metavar="ID")
    which.add_argument("--all", action="store_true")
    x = commands.add_parser("discard", parents=[common], help="remove chosen dead letters, with a reason")
    x.add_argument("queue")
    x.add_argument("--event-id", action="append", dest="event_ids", metavar="ID", required=True)
    x.add_argument("--reason", required=True)
    commands.add_parser("outbox", parents=[common], help="unpublished outbox rows per service")
    commands.add_parser("token", parents=[common], add_help=False, help="a development token (see: token --help)")
    return top


def main(argv: list[str] | None = None, *, services_found: Sequence[ServiceDefinition] | None = None) -> int:
    """Run one command; returns the exit status. ``services_found`` replaces discovery (tests)."""
    top = parser()
    args, rest = top.parse_known_args(argv)
    if rest and args.command != "token":
        top.error(f"unrecognized arguments: {' '.join(rest)}")
    found = list(services.discover() if services_found is None else services_found)
    if args.services:
        unknown = set(args.services) - {s.name for s in found}
        if unknown:
            top.error(f"unknown service {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in found)}")
        found = [s for s in found if s.name in args.services]
    if args.command == "token":
        return _token(found, rest)
    _configure_logging()
    try:
        return asyncio.run(_run(args, found))
    except UnknownQueue as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _token(found: Sequence[ServiceDefinition], rest: list[str]) -> int:
    """mint-token, signed with the services' secret (they must agree, or ``--service`` picks one)."""
    asks_for_help = "--help" in rest or "-h" in rest
    if not asks_for_help and not any(a == "--secret" or a.startswith("--secret=") for a in rest):
        secrets = {s.settings().jwt_secret for s in found}
        if len(secrets) > 1:
            print("error: the services have different JWT secrets; choose one with --service", file=sys.stderr)
            return 2
        if secrets:
            rest = ["--secret", secrets.pop(), *rest]
    token_cli.main(rest)
    return 0


async def _run(args: argparse.Namespace, found: Sequence[ServiceDefinition]) -> int:
    views = [await services.describe(s, namespace=args.namespace) for s in found]
    command: Any = COMMANDS[args.command]
    status: int = await command(args, views)
    return status


async def status(_args: argparse.Namespace, views: Sequence[ServiceView]) -> int:
    answers = await asyncio.gather(*(health.readiness(health.ready_url(v.settings)) for v in views))
    rows = [
        (v.name, "yes" if a.ready else "no", a.url, a.error or " ".join(f"{k}={c}" for k, c in a.checks.items()))
        for v, a in zip(views, answers, strict=True)
    ]
    print(render(["service", "ready", "url", "checks"], rows))
    return 0 if all(a.ready for a in answers) else 1


async def queue_table(args: argparse.Namespace, views: Sequence[ServiceView]) -> int:
    rows: list[tuple[object, ...]] = []
    waiting: list[tuple[str, int]] = []
    parking: dict[tuple[str, str], dict[str, int] | None] = {}  # (amqp url, queue) -> its vhost's unacked
    for view in views:
        url = view.settings.amqp_url
        unacked: dict[str, int] | None = None
        if args.management_url:
            unacked = await queues.unacknowledged(args.management_url, queues.vhost_of(url))
        parking.setdefault((url, view.topology.unrouted), unacked)
        stats = await queues.queue_stats(url, [n for q in view.queues for n in (q, view.dead_letter_queue(q))])
        if not view.queues:
            rows.append((view.name, "(consumes no events)", "-", "-", "-", "-"))
        for queue in view.queues:
            main_q, dlq = stats[queue], stats[view.dead_letter_queue(queue)]
            if not main_q.exists:
                rows.append((view.name, queue, "missing", "-", "-", "-"))
                continue
            dlq_depth = dlq.messages if dlq.exists else "missing"
            rows.append((view.name, queue, main_q.messages, _unacked(unacked, queue), main_q.consumers, dlq_depth))
            if dlq.messages:
                waiting.append((queue, dlq.messages))
    for (url, name), unacked in parking.items():
        p = (await queues.queue_stats(url, [name]))[name]
        depth = p.messages if p.exists else "missing"
        rows.append(("(parked)", name, depth, _unacked(unacked, name), p.consumers, "-"))
    print(render(["service", "queue", "messages", "unacked", "consumers", "dead letters"], rows))
    for queue, count in waiting:
        print(f"{count} dead letter(s) wait in {queue}.dlq: pori-ops dead-letters {queue}")
    return 0


def _unacked(table: dict[str, int] | None, name: str) -> object:
    return "n/a" if table is None else table.get(name, 0)


def _letter_rows(letters: Sequence[dead_letters.DeadLetter], view: ServiceView) -> list[tuple[object, ...]]:
    def deliveries(letter: dead_letters.DeadLetter) -> object:
        if letter.deliveries is not None:
            return letter.deliveries
        return f">{view.settings.delivery_limit}" if letter.error == "broker: delivery_limit" else None

    def when(letter: dead_letters.DeadLetter) -> object:
        return letter.failed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if letter.failed_at else None

    return [(x.event_id, x.type, deliveries(x), when(x), x.replays, short_error(x.error)) for x in letters]


def short_error(error: str) -> str:
    """``pydantic_core._pydantic_core.ValidationError: ...`` as ``ValidationError: ...`` (the header keeps it all)."""
    return re.sub(r"^(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_]\w*\b)", "", error, count=1)


LETTER_COLUMNS = ["event id", "type", "deliveries", "failed at (utc)", "replays", "error"]


async def list_letters(args: argparse.Namespace, views: Sequence[ServiceView]) -> int:
    if args.queue:
        located = services.locate(views, args.queue)
        targets = [(located.service, located.dead_letters)]
    else:
        targets = [(v, v.dead_letter_queue(q)) for v in views for q in v.queues]
    empty = 0
    for view, dlq in targets:
        if not args.queue:
            depth = (await queues.queue_stats(view.settings.amqp_url, [dlq]))[dlq]
            if not depth.messages:
                empty += 1
                continue
        total, letters = await dead_letters.list_dead_letters(view.settings.amqp_url, dlq, limit=args.limit)
        shown = f" (the first {len(letters)} shown; --limit for more)" if len(letters) < total else ""
        print(f"{dlq}: {total} message(s){shown}")
        if letters:
            print(render(LETTER_COLUMNS, _letter_rows(letters, view)))
        print()
    if not args.queue:
        print(f"{empty} of {len(targets)} dead-letter queue(s) empty")
    return 0


def _progress(done: int, total: int) -> None:
    if total >= 500:
        print(f"... {done}/{total} looked at", file=sys.stderr, flush=True)


async def replay(args: argparse.Namespace, views: Sequence[ServiceView]) -> int:
    located: Located = services.locate(views, args.queue)
    ids = None if args.all else list(args.event_ids)
    url = located.service.settings.amqp_url
    if located.parked:
        exchange = located.service.topology.events_exchange
        outcome = await dead_letters.replay_parked(url, located.queue, exchange, ids, progress=_progress)
        target = f"the {exchange} exchange"
    else:
        outcome = await dead_letters.replay(url, located.dead_letters, located.queue, ids, progress=_progress)
        target = located.queue
    print(
        f"replayed {outcome.settled} of {outcome.looked_at} message(s) from {located.dead_letters} to {target}; "
        f"{outcome.left} left in {located.dead_letters}"
    )
    return _report_misses(outcome)


def _report_misses(outcome: dead_letters.Outcome) -> int:
    if outcome.failed:
        print(f"{outcome.failed} not confirmed and left in place: {'; '.join(outcome.errors)}")
    if outcome.not_found:
        print(f"not found: {', '.join(outcome.not_found)}")
    return 1 if outcome.failed or outcome.not_found else 0


async def discard(args: argparse.Namespace, views: Sequence[ServiceView]) -> int:
    located = services.locate(views, args.queue)
    ids = list(args.event_ids)
    outcome = await dead_letters.discard(located.service.settings.amqp_url, located.dead_letters, ids, args.reason)
    for event_id in [i for i in ids if i not in outcome.not_found]:
        print(f"discarded {event_id} from {located.dead_letters}: {args.reason}")
    print(f"discarded {outcome.settled} message(s); {outcome.left} left in {located.dead_letters}")
    return _report_misses(outcome)


async def outbox_table(_args: argparse.Namespace, views: Sequence[ServiceView]) -> int:
    rows: list[tuple[object, ...]] = []
    for view in views:
        try:
            backlog = await outbox.outbox_backlog(view.settings.database_url)
        except asyncpg.UndefinedTableError:
            rows.append((view.name, "no outbox table (not migrated?)", "-", "-"))
            continue
        except asyncpg.InvalidCatalogNameError:
            rows.append((view.name, "no database (not migrated?)", "-", "-"))
            continue
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            rows.append((view.name, f"unavailable ({type(exc).__name__})", "-", "-"))
            continue
        rows.append((view.name, backlog.pending, age(backlog.oldest_age_seconds), backlog.refused))
    print(render(["service", "unpublished", "oldest", "refused, retrying"], rows))
    return 0


COMMANDS = {
    "status": status, "queues": queue_table, "dead-letters": list_letters, "replay": replay, "discard": discard,
    "outbox": outbox_table,
}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
