"""The notifier's worker on the real broker, with the directory, the calendar and grants stood in for, for the
event notification tests.

The directory is an ``httpx.MockTransport`` answering ``GET /recipients`` as the directory does (the
representatives of the associations asked for, or of every association of the kinds asked for, who chose a
topic, with their association's languages), and the public ``GET /liaisons`` and ``GET /departments``; the real
directory↔client contract is proven in ``tests/e2e/test_recipients_contract.py``. It can refuse connections,
as a directory that is down does. Grants answers ``GET /audiences/grantees`` and ``/audiences/partners`` in the
kit's pages (its contract with the client is proven in ``tests/e2e/test_grants_story.py``), or is down.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
from sqlalchemy import text

from notifier.adapters.calendar import CalendarClient
from notifier.adapters.directory import DirectoryClient
from notifier.adapters.grants import GrantsClient
from notifier.bootstrap import Notifier, bootstrap, subscriptions
from notifier.config import Settings
from notifier.service_layer.sending import deliver_due
from shared.contracts.envelope import Envelope
from shared.testing.broker import publish_event, running_consumers

Exchange = aio_pika.abc.AbstractExchange


@dataclass
class Directory:
    """``GET /recipients`` of the directory: representatives by association and the topics they chose."""

    people: list[dict[str, Any]] = field(default_factory=list)
    liaisons: list[dict[str, Any]] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False
    calls: int = 0

    def add(
        self, association: uuid.UUID, topics: list[str], languages: list[str] | None = None,
        kind: str = "registered_association",
    ) -> str:  # fmt: skip
        email = f"rep-{uuid.uuid4().hex[:10]}@example.fi"
        self.people.append({
            "representative_id": str(uuid.uuid4()), "association_id": str(association), "email": email,
            "languages": languages or ["fi"], "topics": topics, "kind": kind,
        })  # fmt: skip
        return email

    def add_liaison(
        self, name: str, kind: str, *, subject_ref: str | None = None, department: str | None = None
    ) -> str:
        """A public liaison contact; ``department`` is a department code (registered here when new)."""
        department_id = None
        if department is not None:
            known = [d["id"] for d in self.departments if d["code"] == department]
            department_id = known[0] if known else str(uuid.uuid4())
            if not known:
                self.departments.append({"id": department_id, "code": department, "name": department})
        email = f"{name.split()[0].lower()}@pori.example"
        self.liaisons.append({
            "id": str(uuid.uuid4()), "kind": kind, "name": name, "title": None, "email": email, "phone": None,
            "department_id": department_id, "topics": [], "subject_ref": subject_ref,
        })  # fmt: skip
        return email

    def _liaisons(self, q: httpx.QueryParams) -> httpx.Response:
        found = [
            c for c in self.liaisons
            if all(q.get(k) in (None, c[k]) for k in ("kind", "subject_ref", "department_id"))
        ]  # fmt: skip
        limit = int(q.get("limit", "20"))
        return httpx.Response(200, json={"items": found[:limit], "total": len(found), "limit": limit, "offset": 0})

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.down:
            raise httpx.ConnectError("directory down", request=request)
        q = request.url.params
        if request.url.path == "/liaisons":
            return self._liaisons(q)
        if request.url.path == "/departments":
            return httpx.Response(200, json=self.departments)
        assert request.url.path == "/recipients" and request.headers["authorization"].startswith("Bearer ")
        found = [
            {k: v for k, v in p.items() if k not in ("topics", "kind")} for p in self.people
            if (not q.get_list("association_id") or p["association_id"] in q.get_list("association_id"))
            and (not q.get_list("kind") or p["kind"] in q.get_list("kind")) and q["topic"] in p["topics"]
        ]  # fmt: skip
        offset, limit = int(q["offset"]), int(q["limit"])
        page = found[offset : offset + limit]
        return httpx.Response(200, json={"items": page, "total": len(found), "limit": limit, "offset": offset})


@dataclass
class Calendar:
    """The calendar's service-only reads: ``GET /surveys/{id}/invitations`` (cursor pages) and ``GET /recipients``."""

    invitations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)
    page_size: int = 2
    down: bool = False
    calls: int = 0

    def register(self, language: str = "fi") -> tuple[str, str]:
        registration_id, email = str(uuid.uuid4()), f"reg-{uuid.uuid4().hex[:10]}@example.fi"
        self.contacts[registration_id] = {"email": email, "name": "Maija Meikäläinen", "language": language}
        return registration_id, email

    def invite(
        self, survey_id: uuid.UUID, *, registration_id: str | None = None, association_id: str | None = None
    ) -> str:
        invitation_id = str(uuid.uuid4())
        link = f"http://calendar.test/surveys/{survey_id}/answer#token=t-{invitation_id}"
        self.invitations.setdefault(str(survey_id), []).append({
            "invitation_id": invitation_id, "association_id": association_id, "registration_id": registration_id,
            "answer_url": link,
        })  # fmt: skip
        return link

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.down:
            raise httpx.ConnectError("calendar down", request=request)
        assert request.headers["authorization"].startswith("Bearer ")
        q, path = request.url.params, request.url.path
        if path == "/recipients":
            found = self.contacts.get(q["registration_id"])
            return httpx.Response(200, json={"items": [found] if found else []})
        survey_id = path.removeprefix("/surveys/").removesuffix("/invitations")
        if survey_id not in self.invitations:
            return httpx.Response(409, json={"title": "Conflict"})
        every = self.invitations[survey_id]
        start = int(q.get("cursor", "0"))
        page = every[start : start + self.page_size]
        more = start + self.page_size < len(every)
        return httpx.Response(200, json={"items": page, "next_cursor": str(start + self.page_size) if more else None})


@dataclass
class Grants:
    """Grants' ``GET /audiences/{grantees,partners}``: applicant ids, in offset pages of the kit's shape."""

    audiences: dict[str, list[str]] = field(default_factory=lambda: {"grantees": [], "partners": []})
    down: bool = False
    calls: int = 0

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.down:
            raise httpx.ConnectError("grants down", request=request)
        assert request.headers["authorization"].startswith("Bearer ")
        every = self.audiences[request.url.path.removeprefix("/audiences/")]
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        assert limit <= 100  # the kit's largest page
        items = [{"applicant_id": a} for a in every[offset : offset + limit]]
        return httpx.Response(200, json={"items": items, "total": len(every), "limit": limit, "offset": offset})


@dataclass
class Worker:
    notifier: Notifier
    directory: Directory
    exchange: Exchange
    calendar: Calendar = field(default_factory=Calendar)
    grants: Grants = field(default_factory=Grants)


@asynccontextmanager
async def running_worker(settings: Settings) -> AsyncIterator[Worker]:
    """The notifier's worker consumers on their own container (this run's names), its peers stood in for."""
    directory, calendar, grants = Directory(), Calendar(), Grants()
    quick = settings.model_copy(update={"handler_retry_delays_seconds": [0.3, 0.6, 1, 2, 4, 8]})
    notifier = bootstrap(
        quick,
        directory=DirectoryClient(quick, transport=httpx.MockTransport(directory.answer)),
        calendar=CalendarClient(quick, transport=httpx.MockTransport(calendar.answer)),
        grants=GrantsClient(quick, transport=httpx.MockTransport(grants.answer)),
    )
    try:
        async with running_consumers(notifier, subscriptions(notifier)) as exchange:
            yield Worker(notifier, directory, exchange, calendar, grants)
    finally:
        await notifier.close()


publish = publish_event


async def eventually(read: Callable[[], Awaitable[Any]], expected: Any, timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if await read() == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await read()!r} != {expected!r}")


def deliveries(w: Worker, envelope: Envelope[Any]) -> Callable[[], Awaitable[int]]:
    """How many deliveries the event made (a survey's: one source per invitation, ``<source>:invitation:<id>``)."""

    async def made() -> int:
        source = f"{envelope.type}:{envelope.event_id}"
        sql = "SELECT count(*) FROM delivery WHERE source = :s OR source LIKE :invitations"
        return await count(w, sql, s=source, invitations=f"{source}:invitation:%")

    return made


async def deliver(w: Worker) -> int:
    n = w.notifier
    return await deliver_due(n.uow(), n.clock(), settings=n.settings, mailer=n.mailer, uows=n.uow)


async def count(w: Worker, sql: str, **params: Any) -> int:
    async with w.notifier.engine.connect() as conn:
        return int((await conn.execute(text(sql), params)).scalar_one())
