"""A story through the running directory: staff register an association, its chair keeps it current,
the public finds it and the liaison contacts, events reach RabbitMQ, and a person is forgotten on request."""

from __future__ import annotations

import json
import signal
import uuid

import aio_pika
import httpx

from shared.messaging.topology import Topology, declare_consumer_queue
from shared.testing.broker import drain
from shared.testing.fixtures import Tokens
from shared.testing.servers import Servers

from .conftest import RunningService


async def test_an_association_from_registration_to_erasure(
    directory_service: RunningService, servers: Servers, tokens: Tokens
) -> None:
    topology = Topology(namespace=directory_service.env["DIRECTORY_NAMESPACE"])
    connection = await aio_pika.connect(servers.amqp_url)
    async with connection, httpx.AsyncClient(base_url=directory_service.base_url) as http:
        channel = await connection.channel()
        events = f"{topology.namespace}.story"
        await declare_consumer_queue(channel, topology, events, "directory.#")

        admin, staff = tokens.admin(), tokens.staff("culture")
        dept = (await http.post("/departments", headers=admin, json={"code": "culture", "name": "Kulttuuri"})).json()
        coordinator = await http.post("/liaisons", headers=admin, json={
            "kind": "coordinator", "name": "Kaisa Koordinaattori", "email": "kaisa@pori.fi", "topics": ["uudet yhdistykset"],
        })  # fmt: skip
        assert coordinator.status_code == 201
        club = await http.post("/associations", headers=staff | {"Idempotency-Key": "story-1"}, json={
            "kind": "registered_association", "name": "Porin Kuoro ry", "register_number": "210.987",
            "business_id": "0112038-9", "fields_of_activity": ["culture"], "district": "Keskusta",
        })  # fmt: skip
        assert club.status_code == 201, club.text
        club_id = club.json()["id"]
        chair = tokens.association(uuid.UUID(club_id))
        rep = await http.post(f"/associations/{club_id}/representatives", headers=chair, json={
            "name": "Kalle Kuoronjohtaja", "role": "chair", "email": "kalle@kuoro.example",
        })  # fmt: skip
        assert rep.status_code == 201
        assert (
            await http.patch(f"/associations/{club_id}", headers=chair, json={"languages": ["fi", "en"]})
        ).status_code == 200

        found = (await http.get("/associations", params={"field": "culture", "q": "kuoro"})).json()
        assert [a["id"] for a in found["items"]] == [club_id]
        page = await http.get("/liaisons.html")
        assert "Kaisa Koordinaattori" in page.text

        erased = await http.post("/privacy/erasures", headers=admin, json={"email": "kalle@kuoro.example"})
        assert erased.json()["representatives"] == 1

        bodies = await drain(channel, events, expect=4, timeout=20)
        types = sorted(b["type"] for b in bodies)
        assert types == ["AssociationRegistered", "AssociationUpdated", "DepartmentRegistered", "LiaisonAssigned"]
        assert all(b["producer"] == "directory" for b in bodies)
        assert "Kalle" not in json.dumps(bodies) and "kaisa@pori.fi" not in json.dumps(bodies)
        assert dept["code"] == "culture"


async def test_every_role_shuts_down_gracefully(directory_service: RunningService) -> None:
    for role, process in directory_service.processes.items():
        assert process.alive, role
    codes = {role: await process.stop() for role, process in directory_service.processes.items()}
    # uvicorn finishes its shutdown, then re-raises SIGTERM so the exit status tells how it ended.
    assert codes == {"api": -signal.SIGTERM, "worker": 0, "relay": 0}
    logs = {role: p.log.read_text() for role, p in directory_service.processes.items()}
    assert '"http_stopped"' in logs["api"] and '"relay_stopped"' in logs["relay"]
    assert "Traceback" not in "".join(logs.values())
