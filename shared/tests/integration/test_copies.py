"""A copy of another service's records on real PostgreSQL: events in any order, twice, late, or before the
record exists, and a first fill over HTTP that may be repeated; each ends in the owner's newest state."""

from __future__ import annotations

import asyncio
import itertools
import random
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import Boolean, Column, Text, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.copies import CopyRepository, copy_table, fetch_pages, fill_copy, revision_at
from shared.db import Session, create_engine, new_metadata
from shared.db.uow import UnitOfWork
from shared.testing.fixtures import Databases

metadata = new_metadata()
member = copy_table(
    "member_copy",
    metadata,
    Column("kind", Text),  # NULL only in a placeholder
    Column("name", Text),
    Column("active", Boolean, nullable=False),
)


@dataclass
class Member:
    id: uuid.UUID
    kind: str | None
    name: str | None
    active: bool
    revision: int


class MemberCopyRepository(CopyRepository[Member]):
    table, model = member, Member
    status_columns = frozenset({"active"})


class CopyUnitOfWork(UnitOfWork):
    members: MemberCopyRepository

    def _open(self, session: Session) -> None:
        self.members = MemberCopyRepository(session)


@dataclass
class Owner:
    """The copying service's side: its database and a unit of work per event, as a consumer would open."""

    engine: AsyncEngine

    def uow(self) -> CopyUnitOfWork:
        return CopyUnitOfWork(self.engine)

    async def record(self, id_: uuid.UUID, revision: int, *, name: str, active: bool = True) -> bool:
        async with self.uow() as uow:
            written = await uow.members.put_record(id_, revision, {"kind": "club", "name": name, "active": active})
            await uow.commit()
        return written

    async def status(self, id_: uuid.UUID, revision: int, *, active: bool) -> bool:
        async with self.uow() as uow:
            written = await uow.members.put_status(id_, revision, {"active": active})
            await uow.commit()
        return written

    async def row(self, id_: uuid.UUID) -> tuple[Any, ...] | None:
        sql = "SELECT kind, name, active, revision, record_revision FROM member_copy WHERE id = :i"
        async with self.engine.connect() as conn:
            found = (await conn.execute(text(sql), {"i": id_})).first()
        return None if found is None else tuple(found)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def owner(databases: Databases) -> AsyncIterator[Owner]:
    engine = create_engine(await databases.create(f"copies_{uuid.uuid4().hex[:8]}"))
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Owner(engine)
    await engine.dispose()


async def test_whole_records_apply_in_revision_order_and_an_older_one_never_overwrites(owner: Owner) -> None:
    id_ = uuid.uuid4()
    assert await owner.record(id_, 1, name="Kuoro ry")
    assert await owner.record(id_, 3, name="Sekakuoro ry")
    assert not await owner.record(id_, 2, name="Vanha nimi ry")  # older, arriving after the newer one
    assert await owner.row(id_) == ("club", "Sekakuoro ry", True, 3, 3)


async def test_a_redelivered_event_changes_nothing(owner: Owner) -> None:
    id_ = uuid.uuid4()
    assert await owner.record(id_, 1, name="Kahdesti ry")
    assert not await owner.record(id_, 1, name="Kahdesti ry")
    assert await owner.status(id_, 2, active=False)
    assert not await owner.status(id_, 2, active=False)
    assert await owner.row(id_) == ("club", "Kahdesti ry", False, 2, 1)


async def test_an_older_status_after_a_newer_one_changes_nothing(owner: Owner) -> None:
    id_ = uuid.uuid4()
    await owner.record(id_, 1, name="Seura ry")
    assert await owner.status(id_, 3, active=True)  # reactivated
    assert not await owner.status(id_, 2, active=False)  # the deactivation before it, late
    assert not await owner.record(id_, 1, name="Seura ry")
    assert await owner.row(id_) == ("club", "Seura ry", True, 3, 1)


async def test_a_status_before_the_record_leaves_a_placeholder_the_record_completes(owner: Owner) -> None:
    id_ = uuid.uuid4()
    assert await owner.status(id_, 3, active=False)
    assert await owner.row(id_) == (None, None, False, 3, None)
    async with owner.uow() as uow:
        placeholder = await uow.members.get(id_)
    assert placeholder == Member(id_, None, None, False, 3)
    assert await owner.record(id_, 1, name="Vanha ry")  # the creation, older than the deactivation
    assert await owner.row(id_) == ("club", "Vanha ry", False, 3, 1)
    # An update between the two still brings its name, and still does not undo the newer status.
    assert await owner.record(id_, 2, name="Uusi ry")
    assert await owner.row(id_) == ("club", "Uusi ry", False, 3, 2)
    assert not await owner.record(id_, 1, name="Vanha ry")
    # A record newer than the status decides the status too.
    assert await owner.record(id_, 4, name="Uusi ry", active=True)
    assert await owner.row(id_) == ("club", "Uusi ry", True, 4, 4)


async def test_every_order_of_the_same_events_ends_in_the_same_newest_state(owner: Owner) -> None:
    events: list[tuple[str, int, dict[str, Any]]] = [
        ("record", 1, {"name": "Yksi ry"}),
        ("record", 2, {"name": "Kaksi ry"}),
        ("status", 3, {"active": False}),
        ("record", 4, {"name": "Neljä ry", "active": False}),
        ("status", 5, {"active": True}),
    ]
    for order in itertools.permutations(events):
        id_ = uuid.uuid4()
        for kind, revision, values in order:
            if kind == "record":
                await owner.record(id_, revision, **values)
            else:
                await owner.status(id_, revision, **values)
        assert await owner.row(id_) == ("club", "Neljä ry", True, 5, 4), order


async def test_concurrent_deliveries_end_in_the_newest_state(owner: Owner) -> None:
    id_ = uuid.uuid4()
    deliveries = [owner.record(id_, r, name=f"Nimi {r}") for r in range(1, 9)] * 2  # each twice
    deliveries += [owner.status(id_, 9, active=False), owner.status(id_, 9, active=False)]
    random.shuffle(deliveries)
    await asyncio.gather(*deliveries)
    assert await owner.row(id_) == ("club", "Nimi 8", False, 9, 8)


async def test_a_page_naming_one_record_twice_keeps_the_newest(owner: Owner) -> None:
    id_, other = uuid.uuid4(), uuid.uuid4()
    page = [
        {"id": id_, "revision": 2, "kind": "club", "name": "Uudempi ry", "active": True},
        {"id": other, "revision": 1, "kind": "club", "name": "Toinen ry", "active": True},
        {"id": id_, "revision": 1, "kind": "club", "name": "Vanhempi ry", "active": True},
    ]
    async with owner.uow() as uow:
        assert await uow.members.put_records(page) == 2
        assert await uow.members.put_records(page) == 0
        await uow.commit()
    assert await owner.row(id_) == ("club", "Uudempi ry", True, 2, 2)


async def test_a_status_event_writes_only_status_columns(owner: Owner) -> None:
    async with owner.uow() as uow:
        with pytest.raises(ValueError, match="name"):
            await uow.members.put_status(uuid.uuid4(), 1, {"name": "x"})


def test_an_owner_without_revisions_is_ordered_by_the_events_time() -> None:
    from datetime import UTC, datetime, timedelta

    earlier = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert 0 < revision_at(earlier) < revision_at(earlier + timedelta(microseconds=1))


# -- the first fill ---------------------------------------------------------------------------------------------
def owners_api(records: list[dict[str, Any]], asked: list[httpx.QueryParams]) -> httpx.AsyncClient:
    """The owner's list endpoint, paged by ``limit``/``offset`` with ``total``, and a plain list at /all."""

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params)
        if request.url.path == "/all":
            return httpx.Response(200, json=records)
        limit, offset = int(request.url.params["limit"]), int(request.url.params["offset"])
        return httpx.Response(200, json={"items": records[offset : offset + limit], "total": len(records)})

    return httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://owner")


async def apply_page(uow: CopyUnitOfWork, page: Sequence[dict[str, Any]]) -> None:
    await uow.members.put_records(
        {
            "id": uuid.UUID(i["id"]),
            "revision": i["revision"],
            "kind": i["kind"],
            "name": i["name"],
            "active": i["active"],
        }
        for i in page
    )


async def test_the_first_fill_reads_every_page_and_repeating_it_changes_nothing(owner: Owner) -> None:
    records: list[dict[str, Any]] = [
        {"id": str(uuid.uuid4()), "revision": 2, "kind": "club", "name": f"Seura {n} ry", "active": n % 2 == 0}
        for n in range(7)
    ]
    newer = uuid.UUID(records[0]["id"])
    await owner.record(newer, 5, name="Tapahtumasta ry")  # an event came before the fill, with a newer revision
    asked: list[httpx.QueryParams] = []
    async with owners_api(records, asked) as client:
        for _ in range(2):
            pages = fetch_pages(client, "/members", {"include_inactive": "true"}, page_size=3)
            assert await fill_copy(owner.uow, pages, apply_page) == 7
    assert [(p["offset"], p["include_inactive"]) for p in asked] == [("0", "true"), ("3", "true"), ("6", "true")] * 2
    assert await owner.row(newer) == ("club", "Tapahtumasta ry", True, 5, 5)
    for record in records[1:]:
        name, active = record["name"], record["active"]
        assert await owner.row(uuid.UUID(record["id"])) == ("club", name, active, 2, 2)


async def test_a_plain_list_is_one_page(owner: Owner) -> None:
    records: list[dict[str, Any]] = [
        {"id": str(uuid.uuid4()), "revision": 0, "kind": "club", "name": "Ainoa ry", "active": True}
    ]
    asked: list[httpx.QueryParams] = []
    async with owners_api(records, asked) as client:
        pages = [page async for page in fetch_pages(client, "/all")]
    assert pages == [records] and len(asked) == 1
