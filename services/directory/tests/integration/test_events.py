"""The directory's events: written with the change, carrying ids and public facts only, out through the relay."""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika
import httpx

from shared.contracts.catalog import registry
from shared.messaging.relay import OutboxRelay
from shared.messaging.topology import declare_consumer_queue
from shared.runtime import relay_config
from shared.testing.broker import drain
from shared.testing.fixtures import Tokens

from ..conftest import Api, association


async def test_every_change_emits_its_event_and_no_personal_data(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    staff = tokens.staff("culture")
    club = await api.register(public_email="seura@example.fi")
    await client.patch(f"/associations/{club['id']}", json={"district": "Meri-Pori"}, headers=staff)
    await client.post(f"/associations/{club['id']}/deactivate", headers=staff)
    await client.post(f"/associations/{club['id']}/reactivate", headers=staff)
    await client.post(f"/associations/{club['id']}/representatives", headers=staff,
                      json={"name": "Eero Rahastonhoitaja", "role": "treasurer", "email": "eero@example.fi", "phone": "0401234567"})  # fmt: skip
    person = await api.register(kind="private_person", name="Pirjo Yksityinen", business_id=None, register_number=None)

    registered = await api.outbox("AssociationRegistered", applicant_id=club["id"])
    assert [e["data"]["name"] for e in registered] == [club["name"]]
    assert [e["data"]["revision"] for e in await api.outbox("AssociationUpdated", applicant_id=club["id"])] == [2]
    assert len(await api.outbox("AssociationDeactivated", applicant_id=club["id"])) == 1
    assert len(await api.outbox("AssociationReactivated", applicant_id=club["id"])) == 1
    [private] = await api.outbox("AssociationRegistered", applicant_id=person["id"])
    assert private["data"]["name"] is None and private["data"]["kind"] == "private_person"

    everything = json.dumps([e for t in ("AssociationRegistered", "AssociationUpdated") for e in await api.outbox(t)])
    for personal in ("Eero", "eero@example.fi", "0401234567", "Pirjo", "seura@example.fi"):
        assert personal not in everything


async def test_envelopes_validate_against_their_contracts(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    dept = await api.department()
    await client.post("/liaisons", headers=tokens.admin(), json={
        "kind": "facility_contact", "name": "Teemu Tila", "email": "teemu@pori.fi", "department_id": dept["id"],
        "subject_ref": f"bookings:facility:{uuid.uuid4()}",
    })  # fmt: skip
    [assigned] = await api.outbox("LiaisonAssigned", department_id=dept["id"])
    [registered] = await api.outbox("DepartmentRegistered", department_id=dept["id"])
    for envelope in (assigned, registered):
        model = registry.by_key[f"{envelope['producer']}.{envelope['type']}.v{envelope['version']}"]
        model.model_validate(envelope["data"])
        assert uuid.UUID(envelope["event_id"]) and envelope["occurred_at"].endswith(("Z", "+00:00"))
    assert "Teemu" not in json.dumps(assigned)


async def test_events_reach_the_broker_through_the_relay_with_the_requests_correlation_id(
    api: Api, client: httpx.AsyncClient
) -> None:
    directory = api.app.state.container
    settings, topology = directory.settings, directory.topology
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        tap = f"{topology.namespace}.tap-{uuid.uuid4().hex[:6]}"
        await declare_consumer_queue(channel, topology, tap, "directory.AssociationRegistered.v1")
        headers = api.tokens.staff("culture") | {"X-Correlation-ID": "corr-42"}
        response = await client.post("/associations", json=association(), headers=headers)
        applicant_id = response.json()["id"]
        relay, stop = OutboxRelay(relay_config(directory)), asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            bodies = await drain(channel, tap, expect=50, timeout=3)
        finally:
            stop.set()
            await task
    mine = [b for b in bodies if b["data"]["applicant_id"] == applicant_id]
    assert len(mine) == 1 and mine[0]["correlation_id"] == "corr-42"
    assert await api.scalar("SELECT count(*) FROM outbox_message WHERE published_at IS NULL") == 0
