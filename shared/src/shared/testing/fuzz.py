"""Bounded schemathesis runs against a service's in-process app, as one caller, inside pytest.

The app under test is the test session's own (its engine's connections live on the session's event loop);
schemathesis sends from a thread of its own, so :class:`LoopBridge` hands each request to the session's loop.
An async test awaits the run in a worker thread, which keeps that loop free to serve::

    report = await fuzz_app(app, headers=tokens.admin(), examples=6)
    assert report.failures == {}, report.describe()

A run covers every operation with positive and negative cases, then the stateful phase (sequences along the
links schemathesis infers: create, then read, change, delete what was created). It records failures rather
than stopping at the first, so one run reports every defect. Every check schemathesis has is on (no 5xx; a
documented status, content type, headers and body schema; invalid data refused; authentication not ignored)
but one: ``positive_data_acceptance`` expects every schema-valid request to succeed, while our APIs refuse
schema-valid requests that break a business rule (a group with a business ID) with a documented 422.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import hypothesis.errors
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import CheckFunction
from schemathesis.core.errors import NoLinksFound
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.testing.fixtures import Tokens


class LoopBridge:
    """An ASGI app that runs ``app`` on ``loop`` whichever loop calls it; lifespan stays with its owner."""

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        self.app, self.loop = app, loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message["type"] == "http.request" and message.get("more_body", False)
        future = asyncio.run_coroutine_threadsafe(self._serve(dict(scope), body), self.loop)
        for message in await asyncio.wrap_future(future):
            await send(message)

    async def _serve(self, scope: Scope, body: bytes) -> list[Message]:
        sent: list[Message] = []
        done = asyncio.Event()
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                done.set()

        try:
            await self.app(scope, receive, send)
        except Exception:  # Starlette re-raises an unhandled error after answering 500: the answer is the finding
            if not any(m["type"] == "http.response.start" for m in sent):
                sent = [
                    {"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]},
                    {"type": "http.response.body", "body": b"The app raised before answering"},
                ]
        finally:
            done.set()
        return sent


@dataclass
class FuzzReport:
    cases: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)
    seconds: float = 0.0
    stateful_cut_short: bool = False

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def record(self, label: str, failure: FailureGroup | None) -> None:
        self.cases[label] += 1
        for each in failure.exceptions if failure is not None else ():
            self.failures.setdefault((label, each.title), str(failure))

    def describe(self) -> str:
        stateful = sum(n for label, n in self.cases.items() if label.startswith("stateful "))
        lines = [
            f"{self.total} cases ({stateful} in stateful sequences{', cut short' if self.stateful_cut_short else ''})"
            f" in {self.seconds:.1f} s, {len(self.failures)} failures"
        ]
        lines += [f"--- {label}: {title}\n{detail}" for (label, title), detail in sorted(self.failures.items())]
        return "\n".join(lines)


EXCLUDED: list[CheckFunction] = [positive_data_acceptance]
MODES = list(HypothesisTestMode)
"""The schema's examples, the coverage cases (boundaries: empty and longest text, each enum value, missing
and extra fields, unsupported methods) and random cases, positive and negative."""
Expected = Callable[[str, str], bool]
"""``expected(operation_label, failure_title)``: a known defect, reported elsewhere, that does not fail the run."""


CALLERS = ("anonymous", "admin", "staff", "association")
"""The kinds of caller every service's fuzz test runs as (``pytest.mark.parametrize("who", CALLERS)``)."""


async def caller_headers(
    who: str,
    tokens: Tokens,
    *,
    department: Callable[[], Awaitable[str]],
    association: Callable[[], Awaitable[uuid.UUID]],
) -> dict[str, str]:
    """The credentials of one of :data:`CALLERS`; staff of a ``department()`` and the representative of an
    ``association()`` the service knows, made only when that caller is asked for."""
    if who == "anonymous":
        return {}
    if who == "admin":
        return tokens.admin()
    if who == "staff":
        return tokens.staff(await department())
    return tokens.association(await association())


async def assert_answers_as_documented(
    service: str, who: str, app: ASGIApp, headers: dict[str, str], *, examples: int, stateful_examples: int
) -> None:
    """One bounded run as one caller; prints its figures and fails, listing every finding, on any failure."""
    report = await fuzz_app(app, headers=headers, examples=examples, stateful_examples=stateful_examples)
    print(f"{service} fuzz as {who}: {report.describe()}")
    assert report.failures == {}, report.describe()


async def fuzz_app(
    app: ASGIApp,
    *,
    headers: dict[str, str] | None = None,
    examples: int = 5,
    stateful_examples: int = 10,
    expected: Expected = lambda label, title: False,
) -> FuzzReport:
    """Fuzz ``app`` (served on the running loop) as the caller ``headers`` name; see the module's doc."""
    bridge = LoopBridge(app, asyncio.get_running_loop())
    return await asyncio.to_thread(_run, bridge, headers or {}, examples, stateful_examples, expected)


def _provider(headers: dict[str, str]) -> type:
    """The caller's credentials as schemathesis auth, so that it leaves them out where a case tests their absence."""

    class Credentials:
        def get(self, case: schemathesis.Case[Any], ctx: schemathesis.AuthContext) -> dict[str, str]:
            return headers

        def set(self, case: schemathesis.Case[Any], data: dict[str, str], ctx: schemathesis.AuthContext) -> None:
            case.headers.update(data)

    return Credentials


def _settings(examples: int, **extra: Any) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        **extra,
    )


def _run(app: LoopBridge, headers: dict[str, str], examples: int, stateful: int, expected: Expected) -> FuzzReport:
    started = time.perf_counter()
    report = FuzzReport()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    if headers:
        schema.auth.auth(refresh_interval=None)(_provider(headers))

    def validate(case: schemathesis.Case[Any], response: Any, label: str, recorder: Any = None) -> None:
        try:
            case.validate_response(response, excluded_checks=EXCLUDED, recorder=recorder)
        except FailureGroup as failure:
            known = [f for f in failure.exceptions if not expected(case.operation.label, f.title)]
            report.record(label, FailureGroup(known, failure.args[0]) if known else None)
            return
        report.record(label, None)

    def check(case: schemathesis.Case[Any]) -> None:
        validate(case, case.call(), case.operation.label)

    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises: its test fails
        config = HypothesisTestConfig(project=schema.config, modes=MODES, settings=_settings(examples))
        with contextlib.suppress(hypothesis.errors.Unsatisfiable):  # nothing to negate: no inputs at all
            create_test(operation=operation, test_func=check, config=config)()

    machine = schema.as_state_machine()

    class Fuzzer(machine):  # type: ignore[valid-type, misc]
        def validate_response(self, response: Any, case: schemathesis.Case[Any], **kwargs: Any) -> None:
            validate(case, response, f"stateful {case.operation.label}", getattr(self, "recorder", None))

    try:
        Fuzzer.run(settings=_settings(stateful, stateful_step_count=6))
    except NoLinksFound:  # nothing to chain: an API without resources that refer to each other
        pass
    except hypothesis.errors.FlakyStrategyDefinition:
        # The links follow what the server answered, and the database moves on between Hypothesis's replays of
        # a sequence; a replay that draws differently ends the stateful phase (its findings are recorded).
        report.stateful_cut_short = True
    report.seconds = time.perf_counter() - started
    return report
