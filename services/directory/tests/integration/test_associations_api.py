"""Associations over HTTP against the real database: register, read, search, change, deactivate."""

from __future__ import annotations

import uuid

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api, association


async def test_staff_register_an_association_and_the_public_reads_it(api: Api, client: httpx.AsyncClient) -> None:
    created = await api.register()
    assert created["revision"] == 1 and created["active"]
    public = await client.get(f"/associations/{created['id']}")
    assert public.status_code == 200 and public.json()["name"] == created["name"]


async def test_bad_input_is_a_problem_naming_the_field_and_leaves_nothing_behind(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    name = f"Virheellinen {uuid.uuid4().hex[:6]} ry"
    before = await api.scalar("SELECT count(*) FROM outbox_message")
    cases = [
        (association(name=name, business_id="0112038-8"), "business_id"),  # wrong check digit
        (association(name=name, fields_of_activity=["sprots"]), "fields_of_activity"),
        (association(name=name, public_email="not-an-email"), "public_email"),
        (association(name=name, kind="corporation"), "kind"),
        (association(name=name, register_number=None), "register_number"),
        (association(name=name, unexpected="x"), "unexpected"),
        (association(name=""), "name"),
    ]
    for body, field in cases:
        response = await client.post("/associations", json=body, headers=tokens.staff("culture"))
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 422 and problem["title"]
        assert field in [e["field"] for e in problem["errors"]], (field, problem)
    assert await api.scalar("SELECT count(*) FROM applicant WHERE name = :n", n=name) == 0
    assert await api.scalar("SELECT count(*) FROM outbox_message") == before


async def test_a_business_id_can_be_registered_once(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    first = await api.register()
    again = await client.post(
        "/associations", json=association(business_id=first["business_id"]), headers=tokens.staff("culture")
    )
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "business_id"


async def test_search_filters_by_field_district_language_and_kind_with_pagination(
    api: Api, client: httpx.AsyncClient
) -> None:
    district = f"Kylä-{uuid.uuid4().hex[:6]}"
    for i in range(3):
        await api.register(
            name=f"Kyläyhdistys {district} {i}",
            district=district,
            fields_of_activity=["residents_and_villages"],
            languages=["fi"],
        )
    await api.register(
        name=f"Urheiluseura {district}", district=district, fields_of_activity=["sports"], languages=["sv"]
    )
    page = (await client.get("/associations", params={"district": district, "limit": 2})).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["limit"] == 2
    rest = (await client.get("/associations", params={"district": district, "limit": 2, "offset": 2})).json()
    assert {a["id"] for a in page["items"]}.isdisjoint({a["id"] for a in rest["items"]})
    villages = (
        await client.get("/associations", params={"district": district, "field": "residents_and_villages"})
    ).json()
    assert villages["total"] == 3
    swedish = (await client.get("/associations", params={"district": district, "language": "sv"})).json()
    assert swedish["total"] == 1
    by_name = (await client.get("/associations", params={"q": f"urheiluseura {district}"})).json()
    assert by_name["total"] == 1


async def test_page_size_is_bounded(client: httpx.AsyncClient) -> None:
    response = await client.get("/associations", params={"limit": 101})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.limit"


async def test_the_public_never_sees_private_persons_or_inactive_associations(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    marker = uuid.uuid4().hex[:8]
    person = await api.register(kind="private_person", name=f"Maija {marker}", business_id=None, register_number=None)
    gone = await api.register(name=f"Lakannut {marker} ry")
    assert (
        await client.post(f"/associations/{gone['id']}/deactivate", headers=tokens.staff("culture"))
    ).status_code == 200
    public = (await client.get("/associations", params={"q": marker})).json()
    assert public["total"] == 0
    assert (await client.get(f"/associations/{person['id']}")).status_code == 404
    assert (await client.get(f"/associations/{gone['id']}")).status_code == 404
    staff = (
        await client.get(
            "/associations", params={"q": marker, "include_inactive": True}, headers=tokens.staff("culture")
        )
    ).json()
    assert staff["total"] == 2


async def test_deactivation_and_reactivation_are_state_transitions(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    a = await api.register()
    staff = tokens.staff("culture")
    assert (await client.post(f"/associations/{a['id']}/deactivate", headers=staff)).json()["revision"] == 2
    twice = await client.post(f"/associations/{a['id']}/deactivate", headers=staff)
    assert twice.status_code == 409 and twice.headers["content-type"] == "application/problem+json"
    assert (await client.post(f"/associations/{a['id']}/reactivate", headers=staff)).json()["active"] is True


async def test_a_representative_edits_the_public_profile_but_not_the_identity(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    a = await api.register()
    own = tokens.association(uuid.UUID(a["id"]))
    changed = await client.patch(f"/associations/{a['id']}", json={"description": "Soutua ja melontaa"}, headers=own)
    assert changed.status_code == 200 and changed.json()["revision"] == 2
    identity = await client.patch(f"/associations/{a['id']}", json={"business_id": "0112038-9"}, headers=own)
    assert identity.status_code == 422 and identity.json()["errors"][0]["field"] == "business_id"
    null_name = await client.patch(f"/associations/{a['id']}", json={"name": None}, headers=own)
    assert null_name.status_code == 422
    assert (await client.get(f"/associations/{a['id']}")).json()["revision"] == 2
