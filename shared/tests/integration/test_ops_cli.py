"""``pori-ops`` as an operator runs it: ``main([...])`` against the scratch service, printing tables."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import jwt
import pytest

from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import Subscription
from shared.ops import services
from shared.ops.cli import main
from shared.testing.broker import queue_depth

from .conftest import ProbeHappened, Scratch, apply_effect, wait_until
from .test_ops import Switch, dead_letter, dlq_of, queue_of


def definition(scratch: Scratch, **settings: Any) -> ServiceDefinition:
    """The scratch service as an entry point would describe it; its environment knows no namespace."""
    values = scratch.settings.model_copy(update={"namespace": ""} | settings)
    return ServiceDefinition(
        name="probe",
        description="the scratch service",
        settings=lambda: values,
        migrations=Path("."),
        bootstrap=lambda s, **kw: build_container(Container, s, unit_of_work=UnitOfWork, **kw),
        create_app=lambda _container: None,
        subscriptions=lambda _container: [Subscription(ProbeHappened, apply_effect)],
    )


async def run(scratch: Scratch, *argv: str, **settings: Any) -> int:
    """``pori-ops <argv> --namespace <the scratch's>`` in a thread (it runs its own event loop)."""
    args = [*argv, "--namespace", scratch.topology.namespace]
    return await asyncio.to_thread(partial(main, args, services_found=[definition(scratch, **settings)]))


@contextlib.contextmanager
def http_stub(routes: dict[str, tuple[int, object]]) -> Iterator[tuple[int, list[dict[str, str]]]]:
    """A tiny HTTP server answering JSON on the given paths; yields its port and the requests' headers."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            status, body = routes.get(self.path.split("?")[0], (404, {}))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def header_of(out: str) -> list[str]:
    """The table's header (the consumers running beside may have logged on stdout too)."""
    return next(line.split() for line in out.splitlines() if line.startswith("SERVICE"))


def row_of(out: str, needle: str) -> list[str]:
    [line] = [line for line in out.splitlines() if needle in line.split()[:2]]  # a key column
    return line.split()


async def test_queues_and_dead_letters_are_shown_as_tables_and_nothing_is_taken(
    scratch: Scratch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = await dead_letter(scratch, 2)
    assert await run(scratch, "queues") == 0
    out = capsys.readouterr().out
    assert header_of(out) == ["SERVICE", "QUEUE", "MESSAGES", "UNACKED", "CONSUMERS", "DEAD", "LETTERS"]
    assert row_of(out, queue_of(scratch)) == ["probe", queue_of(scratch), "0", "n/a", "0", "2"]
    assert row_of(out, scratch.topology.unrouted)[0] == "(parked)"
    assert f"pori-ops dead-letters {queue_of(scratch)}" in out

    vhost = {"name": queue_of(scratch), "messages_unacknowledged": 7}
    with http_stub({"/api/queues/%2F": (200, [vhost])}) as (port, seen):
        assert await run(scratch, "queues", "--management-url", f"http://guest:guest@127.0.0.1:{port}") == 0
    assert row_of(capsys.readouterr().out, queue_of(scratch))[3] == "7"
    assert seen[0]["Authorization"] == "Basic Z3Vlc3Q6Z3Vlc3Q="

    bare = scratch.topology.consumer_key(queue_of(scratch))  # as an operator types it, without the namespace
    assert await run(scratch, "dead-letters", bare) == 0
    out = capsys.readouterr().out
    assert f"{dlq_of(scratch)}: 2 message(s)" in out
    assert "EVENT ID" in out and "RuntimeError: the handler is broken" in out
    for event_id in ids:
        assert row_of(out, event_id)[1:3] == ["ProbeHappened", "1"]
    assert '"n"' not in out and "data" not in out  # the event's data is never printed

    assert await run(scratch, "dead-letters") == 0
    assert f"{dlq_of(scratch)}: 2 message(s)" in capsys.readouterr().out
    assert await queue_depth(scratch.channel, dlq_of(scratch)) == 2  # listed three times, all still there


async def test_replay_and_discard_from_the_command_line(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    ids = await dead_letter(scratch, 3)
    fixed = Switch()
    fixed.broken = False
    queue = queue_of(scratch)
    async with scratch.consumer(fixed):
        assert await run(scratch, "replay", queue, "--event-id", ids[0]) == 0
        assert f"replayed 1 of 3 message(s) from {dlq_of(scratch)} to {queue}; 2 left" in capsys.readouterr().out

        assert await run(scratch, "discard", queue, "--event-id", ids[1], "--reason", "test data, reviewed") == 0
        captured = capsys.readouterr()
        assert f"discarded {ids[1]} from {dlq_of(scratch)}: test data, reviewed" in captured.out
        assert "dead_letter_discarded" in captured.err and ids[1] in captured.err  # the log line, on stderr

        missing = str(uuid.uuid4())
        assert await run(scratch, "replay", queue, "--event-id", missing) == 1
        assert f"not found: {missing}" in capsys.readouterr().out

        assert await run(scratch, "replay", f"{queue}.dlq", "--all") == 0
        assert "replayed 1 of 1 message(s)" in capsys.readouterr().out
        await wait_until(lambda: _applied(scratch, [ids[0], ids[2]]))
        await asyncio.sleep(0.3)
    assert await scratch.effects() == {uuid.UUID(ids[0]): 1, uuid.UUID(ids[2]): 1}
    assert await queue_depth(scratch.channel, dlq_of(scratch)) == 0

    assert await run(scratch, "replay", "nobody.on_nothing", "--all") == 2
    assert "no service consumes from 'nobody.on_nothing'" in capsys.readouterr().err


async def test_outbox_status_and_token_commands(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    await scratch.emit(2)
    await asyncio.sleep(1.1)
    assert await run(scratch, "outbox") == 0
    out = capsys.readouterr().out
    assert header_of(out)[:3] == ["SERVICE", "UNPUBLISHED", "OLDEST"]
    _name, pending, oldest, refused = row_of(out, "probe")
    assert (pending, refused) == ("2", "0") and oldest.endswith("s") and oldest != "0s"

    ready = {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    with http_stub({"/health/ready": (200, ready)}) as (port, _):
        assert await run(scratch, "status", http_port=port, http_host="0.0.0.0") == 0
    assert row_of(capsys.readouterr().out, "probe") == [
        "probe", "yes", f"http://127.0.0.1:{port}/health/ready", "database=ok", "broker=ok"
    ]  # fmt: skip
    down = {"status": "unavailable", "checks": {"database": "ok", "broker": "unavailable"}}
    with http_stub({"/health/ready": (503, down)}) as (port, _):
        assert await run(scratch, "status", http_port=port) == 1
    assert row_of(capsys.readouterr().out, "probe")[-1] == "broker=unavailable"
    with http_stub({}) as (port, _):
        pass  # closed again: nothing listens there now
    assert await run(scratch, "status", http_port=port) == 1
    assert "unreachable (ConnectionRefusedError)" in capsys.readouterr().out

    assert (
        await asyncio.to_thread(partial(main, ["token", "--role", "admin"], services_found=[definition(scratch)])) == 0
    )
    token = capsys.readouterr().out.strip().splitlines()[-1]
    settings = scratch.settings
    claims = jwt.decode(token, settings.jwt_secret, algorithms=["HS256"], audience=settings.jwt_audience)
    assert claims["role"] == "admin"


def test_the_installed_services_are_found_through_their_entry_points() -> None:
    names = {s.name for s in services.discover()}
    assert {"directory", "grants"} <= names


async def _applied(scratch: Scratch, ids: list[str]) -> bool:
    return {uuid.UUID(i) for i in ids} <= (await scratch.effects()).keys()
