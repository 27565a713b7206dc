"""A person's data exported and erased on request, leaving nothing orphaned."""

from __future__ import annotations

import uuid

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api


async def test_a_person_is_exported_then_erased_everywhere(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    email = f"hanna.{uuid.uuid4().hex[:6]}@example.fi"
    admin, staff = tokens.admin(), tokens.staff("culture", subject="officer-gdpr")
    club = await api.register()
    rep = await client.post(
        f"/associations/{club['id']}/representatives",
        json={"name": "Hanna Sihteeri", "role": "secretary", "email": email.upper()},
        headers=staff | {"Idempotency-Key": str(uuid.uuid4())},
    )
    dept = await api.department()
    contact = await client.post("/liaisons", headers=admin, json={
        "kind": "department_contact", "name": "Hanna Sihteeri", "email": email, "department_id": dept["id"],
    })  # fmt: skip
    person = await api.register(
        kind="private_person", name="Hanna Sihteeri", business_id=None, register_number=None, public_email=email
    )
    assert rep.status_code == contact.status_code == 201

    exported = (await client.post("/privacy/exports", json={"email": email}, headers=admin)).json()
    assert [r["id"] for r in exported["representative_of"]] == [rep.json()["id"]]
    assert [c["id"] for c in exported["liaison_contact"]] == [contact.json()["id"]]
    assert [a["id"] for a in exported["private_person_applicant"]] == [person["id"]]

    counts = (await client.post("/privacy/erasures", json={"email": email}, headers=admin)).json()
    own = {"representatives": 1, "liaison_contacts": 1, "private_person_applicants": 1, "stored_replies": 1}
    assert {k: counts[k] for k in own} == own and counts["parts"]["directory"] == {"state": "done", "counts": own}

    again = (await client.post("/privacy/exports", json={"email": email}, headers=admin)).json()
    assert again["representative_of"] == again["liaison_contact"] == again["private_person_applicant"] == []
    for table in (
        "representative",
        "liaison_contact",
        "applicant",
        "idempotency_record",
        "outbox_message",
        "privacy_forward",
        "erasure_record",
    ):
        hits = await api.scalar(f"SELECT count(*) FROM {table} t WHERE t::text ILIKE :e OR t::text ILIKE :n",
                                e=f"%{email}%", n="%Hanna Sihteeri%")  # fmt: skip
        assert hits == 0, table
    erased = (await client.get(f"/associations/{person['id']}", headers=admin)).json()
    assert erased["name"] == "(erased)" and not erased["active"]
    assert (
        await api.scalar(
            "SELECT counts->'directory'->>'representatives' FROM erasure_record WHERE id = :i",
            i=uuid.UUID(counts["id"]),
        )
        == "1"
    )
    # The association itself and its public facts stay.
    assert (await client.get(f"/associations/{club['id']}")).status_code == 200


async def test_erasure_forgets_the_stored_replies_that_held_the_person(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    """Replies are kept for retries; an export's reply is the person's data, though it describes no record."""
    email = f"ville.{uuid.uuid4().hex[:6]}@example.fi"
    admin, key = tokens.admin(subject="privacy-officer"), {"Idempotency-Key": str(uuid.uuid4())}
    club = await api.register()
    added = await client.post(
        f"/associations/{club['id']}/representatives",
        json={"name": "Ville Varapuheenjohtaja", "role": "vice_chair", "email": email},
        headers=tokens.staff("culture") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert added.status_code == 201, added.text
    exported = await client.post("/privacy/exports", json={"email": email}, headers=admin | key)
    assert [r["id"] for r in exported.json()["representative_of"]] == [added.json()["id"]]
    stored = "SELECT count(*) FROM idempotency_record t WHERE t::text ILIKE :e"
    assert await api.scalar(stored, e=f"%{email}%") == 2

    counts = await client.post("/privacy/erasures", json={"email": email}, headers=admin)
    assert counts.json()["stored_replies"] == 2
    assert await api.scalar(stored, e=f"%{email}%") == 0
    # The same export, retried: answered afresh, with nothing left to export.
    again = await client.post("/privacy/exports", json={"email": email}, headers=admin | key)
    assert again.json()["representative_of"] == [] and "idempotent-replayed" not in again.headers
