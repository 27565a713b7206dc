"""Who may do what: roles, and objects that belong to someone else."""

from __future__ import annotations

import uuid

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api, association

REP = {"name": "Matti Puheenjohtaja", "role": "chair", "email": "matti@example.fi", "phone": "+358 40 123 4567"}


async def test_only_staff_register_associations(client: httpx.AsyncClient, tokens: Tokens) -> None:
    anonymous = await client.post("/associations", json=association())
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    rep = await client.post("/associations", json=association(), headers=tokens.association(uuid.uuid4()))
    assert rep.status_code == 403


async def test_a_forged_or_expired_token_is_refused(client: httpx.AsyncClient) -> None:
    from shared.auth import mint_token

    forged = mint_token(secret="someone-elses-secret-that-is-long-enough", subject="x", role="admin")
    response = await client.get("/associations", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"


async def test_an_association_cannot_read_or_change_anothers_data(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    mine, theirs = await api.register(), await api.register()
    me = tokens.association(uuid.UUID(mine["id"]))
    staff = tokens.staff("culture")
    added = await client.post(f"/associations/{theirs['id']}/representatives", json=REP, headers=staff)
    assert added.status_code == 201
    their_rep = added.json()["id"]

    assert (await client.get(f"/associations/{theirs['id']}/representatives", headers=me)).status_code == 403
    assert (await client.post(f"/associations/{theirs['id']}/representatives", json=REP, headers=me)).status_code == 403
    assert (
        await client.patch(
            f"/associations/{theirs['id']}/representatives/{their_rep}", json={"phone": "0401"}, headers=me
        )
    ).status_code == 403
    assert (
        await client.delete(f"/associations/{theirs['id']}/representatives/{their_rep}", headers=me)
    ).status_code == 403
    # Reaching their representative through my own association does not work either.
    assert (
        await client.patch(
            f"/associations/{mine['id']}/representatives/{their_rep}", json={"phone": "0401"}, headers=me
        )
    ).status_code == 404
    assert (
        await client.patch(f"/associations/{theirs['id']}", json={"description": "x"}, headers=me)
    ).status_code == 403
    assert (await client.post(f"/associations/{theirs['id']}/deactivate", headers=me)).status_code == 403
    # Nothing of theirs changed.
    reps = (await client.get(f"/associations/{theirs['id']}/representatives", headers=staff)).json()
    assert [(r["id"], r["phone"]) for r in reps] == [(their_rep, REP["phone"])]


async def test_representatives_are_for_staff_and_the_association_itself(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    mine = await api.register()
    me = tokens.association(uuid.UUID(mine["id"]))
    created = await client.post(f"/associations/{mine['id']}/representatives", json=REP, headers=me)
    assert created.status_code == 201
    assert (await client.get(f"/associations/{mine['id']}/representatives")).status_code == 401
    assert len((await client.get(f"/associations/{mine['id']}/representatives", headers=me)).json()) == 1
    assert (
        len((await client.get(f"/associations/{mine['id']}/representatives", headers=tokens.staff("sports"))).json())
        == 1
    )
    # Representatives never appear in the public association record.
    assert "matti" not in (await client.get(f"/associations/{mine['id']}")).text.lower()


async def test_a_private_persons_record_is_hidden_even_from_other_applicants(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    person = await api.register(kind="private_person", name="Maija Meikäläinen", business_id=None, register_number=None)
    other = tokens.association(uuid.uuid4())
    assert (await client.get(f"/associations/{person['id']}", headers=other)).status_code == 404
    themselves = tokens.association(uuid.UUID(person["id"]))
    assert (await client.get(f"/associations/{person['id']}", headers=themselves)).status_code == 200


async def test_staff_keep_only_their_own_departments_liaison_contacts(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    culture, sports = await api.department(), await api.department()
    contact = {"kind": "department_contact", "name": "Liisa", "email": "liisa@pori.fi", "department_id": culture["id"]}
    assert (await client.post("/liaisons", json=contact, headers=tokens.staff(sports["code"]))).status_code == 403
    made = await client.post("/liaisons", json=contact, headers=tokens.staff(culture["code"]))
    assert made.status_code == 201
    moved = await client.patch(
        f"/liaisons/{made.json()['id']}", json={"department_id": sports["id"]}, headers=tokens.staff(culture["code"])
    )
    assert moved.status_code == 403  # cannot hand a contact to another department
    coordinator = {"kind": "coordinator", "name": "Kaisa", "email": "kaisa@pori.fi"}
    assert (await client.post("/liaisons", json=coordinator, headers=tokens.staff(culture["code"]))).status_code == 403
    assert (await client.post("/liaisons", json=coordinator, headers=tokens.admin())).status_code == 201
    assert (await client.post("/liaisons", json=contact, headers=tokens.association(uuid.uuid4()))).status_code == 403


async def test_departments_and_personal_data_requests_are_for_admins(client: httpx.AsyncClient, tokens: Tokens) -> None:
    assert (
        await client.post("/departments", json={"code": "x-dept", "name": "X"}, headers=tokens.staff("culture"))
    ).status_code == 403
    for path in ("/privacy/exports", "/privacy/erasures"):
        assert (await client.post(path, json={"email": "a@b.fi"}, headers=tokens.staff("culture"))).status_code == 403
        assert (await client.post(path, json={"email": "a@b.fi"})).status_code == 401
