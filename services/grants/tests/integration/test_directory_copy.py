"""Grants keeps its own copy of the directory's applicants, departments and liaison contacts from events on the
real broker, in any order; a programme may name only a department and a liaison contact the copy knows."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import httpx
import pytest_asyncio

from grants.bootstrap import subscriptions
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
    LiaisonAssigned,
    LiaisonKind,
    LiaisonUnassigned,
)
from shared.contracts.envelope import Envelope
from shared.testing.broker import publish_event, running_consumers

from ..conftest import DEPARTMENTS, Api

Row = tuple[Any, ...] | None


@pytest_asyncio.fixture
async def worker(api: Api) -> AsyncIterator[aio_pika.abc.AbstractExchange]:
    """The grants worker's consumers on the app's own container (this run's names); yields the events exchange."""
    async with running_consumers(api.grants, subscriptions(api.grants)) as exchange:
        yield exchange


publish = publish_event


def state(applicant_id: uuid.UUID, revision: int, *, name: str, active: bool = True) -> dict[str, Any]:
    return {
        "applicant_id": applicant_id,
        "revision": revision,
        "kind": ApplicantKind.REGISTERED_ASSOCIATION,
        "name": name,
        "business_id": None,
        "fields_of_activity": ["culture"],
        "district": None,
        "languages": ["fi"],
        "active": active,
    }


async def row(api: Api, sql: str, id_: uuid.UUID) -> Row:
    async with api.grants.engine.connect() as conn:
        from sqlalchemy import text

        found = (await conn.execute(text(sql), {"i": id_})).first()
    return None if found is None else tuple(found)


def applicant_row(api: Api) -> Callable[[uuid.UUID], Awaitable[Row]]:
    return lambda i: row(api, "SELECT kind, name, active, revision FROM applicant WHERE id = :i", i)


def liaison_row(api: Api) -> Callable[[uuid.UUID], Awaitable[Row]]:
    return lambda i: row(api, "SELECT kind, department_id, subject_ref, assigned FROM liaison_contact WHERE id = :i", i)


async def eventually(read: Callable[[uuid.UUID], Awaitable[Row]], id_: uuid.UUID, expected: Row) -> None:
    for _ in range(200):
        if await read(id_) == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await read(id_)} != {expected}")


# -- applicants -------------------------------------------------------------------------------------------------
async def test_registered_then_updated_then_deactivated(worker: aio_pika.abc.AbstractExchange, api: Api) -> None:
    applicant_id, copy = uuid.uuid4(), applicant_row(api)
    await publish(worker, AssociationRegistered(**state(applicant_id, 1, name="Porin Kuoro ry")))
    await eventually(copy, applicant_id, ("registered_association", "Porin Kuoro ry", True, 1))
    await publish(worker, AssociationUpdated(**state(applicant_id, 2, name="Porin Sekakuoro ry")))
    await eventually(copy, applicant_id, ("registered_association", "Porin Sekakuoro ry", True, 2))
    await publish(worker, AssociationDeactivated(applicant_id=applicant_id, revision=3))
    await eventually(copy, applicant_id, ("registered_association", "Porin Sekakuoro ry", False, 3))


async def test_events_arriving_out_of_order_end_in_the_newest_state(
    worker: aio_pika.abc.AbstractExchange, api: Api
) -> None:
    applicant_id, copy = uuid.uuid4(), applicant_row(api)
    # The deactivation overtakes the registration (they travel on different queues).
    await publish(worker, AssociationDeactivated(applicant_id=applicant_id, revision=3))
    await eventually(copy, applicant_id, (None, None, False, 3))
    await publish(worker, AssociationRegistered(**state(applicant_id, 1, name="Vanha Seura ry")))
    await eventually(copy, applicant_id, ("registered_association", "Vanha Seura ry", False, 3))
    # The update between them still brings its name, and still does not undo the newer deactivation.
    await publish(worker, AssociationUpdated(**state(applicant_id, 2, name="Uusi Seura ry")))
    await eventually(copy, applicant_id, ("registered_association", "Uusi Seura ry", False, 3))
    # An old update arriving late changes nothing.
    await publish(worker, AssociationUpdated(**state(applicant_id, 1, name="Vanhentunut nimi ry")))
    await asyncio.sleep(0.5)
    assert await copy(applicant_id) == ("registered_association", "Uusi Seura ry", False, 3)


async def test_a_redelivered_directory_event_changes_nothing(worker: aio_pika.abc.AbstractExchange, api: Api) -> None:
    applicant_id = uuid.uuid4()
    envelope = Envelope.wrap(AssociationRegistered(**state(applicant_id, 1, name="Kahdesti Tullut ry")))
    message = envelope.model_dump_json().encode()
    for _ in range(2):  # the same event twice, as a redelivery brings it
        await worker.publish(
            aio_pika.Message(message, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), envelope.data.routing_key()
        )
    await eventually(applicant_row(api), applicant_id, ("registered_association", "Kahdesti Tullut ry", True, 1))
    for _ in range(100):
        if await api.scalar("SELECT count(*) FROM inbox_message WHERE event_id = :e", e=envelope.event_id) == 1:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    assert await api.scalar("SELECT count(*) FROM inbox_message WHERE event_id = :e", e=envelope.event_id) == 1


# -- departments and liaison contacts ------------------------------------------------------------------------------
def programme(code: str, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "Toiminta-avustus",
        "kind": "operating",
        "intake": "yearly_round",
        "department_code": code,
        "eligible_kinds": ["registered_association"],
    } | overrides


async def test_a_department_registered_in_the_directory_may_run_programmes(
    worker: aio_pika.abc.AbstractExchange, api: Api, client: httpx.AsyncClient
) -> None:
    department_id = uuid.uuid4()
    code = f"d-{department_id.hex[:6]}"
    staff = api.staff(code)
    refused = await client.post("/programmes", json=programme(code), headers=staff)
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["department_code"]
    await publish(worker, DepartmentRegistered(department_id=department_id, code=code, name="Sivistys"))
    for _ in range(200):
        if await api.scalar("SELECT name FROM department WHERE id = :i", i=department_id) == "Sivistys":
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("department not copied")
    assert (await client.post("/programmes", json=programme(code), headers=staff)).status_code == 201
    assert await api.scalar("SELECT count(*) FROM grant_programme WHERE department_code = :c", c=code) == 1


async def test_liaison_contacts_are_copied_and_an_overtaken_assignment_stays_void(
    worker: aio_pika.abc.AbstractExchange, api: Api, client: httpx.AsyncClient
) -> None:
    code = await api.department()
    department_id, copy, now = uuid.uuid5(DEPARTMENTS, code), liaison_row(api), datetime.now(UTC)
    kept, gone = uuid.uuid4(), uuid.uuid4()
    subject = f"grants:programme:{uuid.uuid4()}"
    await publish(
        worker,
        LiaisonAssigned(
            liaison_id=kept, kind=LiaisonKind.PROGRAMME_CONTACT, department_id=department_id, subject_ref=subject
        ),
    )
    await eventually(copy, kept, ("programme_contact", department_id, subject, True))
    # The removal of another contact overtakes its assignment: the late assignment does not bring it back.
    await publish(worker, LiaisonUnassigned(liaison_id=gone), occurred_at=now)
    await eventually(copy, gone, (None, None, None, False))
    await publish(
        worker,
        LiaisonAssigned(
            liaison_id=gone, kind=LiaisonKind.DEPARTMENT_CONTACT, department_id=department_id, subject_ref=None
        ),
        occurred_at=now - timedelta(seconds=1),
    )
    await eventually(copy, gone, ("department_contact", department_id, None, False))

    staff = api.staff(code)
    named = await client.post("/programmes", json=programme(code, responsible_liaison_id=str(kept)), headers=staff)
    assert named.status_code == 201 and named.json()["responsible_liaison_id"] == str(kept)
    for unknown in (gone, uuid.uuid4()):
        refused = await client.post(
            "/programmes", json=programme(code, responsible_liaison_id=str(unknown)), headers=staff
        )
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["responsible_liaison_id"]
    # Unassigned later, the kept contact can no longer be named either.
    await publish(worker, LiaisonUnassigned(liaison_id=kept))
    await eventually(copy, kept, ("programme_contact", department_id, subject, False))
    again = await client.post("/programmes", json=programme(code, responsible_liaison_id=str(kept)), headers=staff)
    assert again.status_code == 422
    assert await api.scalar("SELECT count(*) FROM grant_programme WHERE department_code = :c", c=code) == 1


async def test_a_programme_of_an_unknown_department_is_refused_and_nothing_is_written(
    api: Api, client: httpx.AsyncClient
) -> None:
    code = f"nowhere-{uuid.uuid4().hex[:6]}"
    refused = await client.post("/programmes", json=programme(code), headers=api.staff(code))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "department_code"
    assert await api.scalar("SELECT count(*) FROM grant_programme WHERE department_code = :c", c=code) == 0
    assert await api.outbox("GrantProgrammeCreated", department_code=code) == []
