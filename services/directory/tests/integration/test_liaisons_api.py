"""The public liaison directory: JSON search and the accessible HTML page."""

from __future__ import annotations

import uuid

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api


async def test_the_public_finds_contacts_by_topic_kind_and_department(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    dept = await api.department()
    staff = tokens.staff(dept["code"])
    topic = f"nuorisotyö-{uuid.uuid4().hex[:6]}"
    programme = f"grants:programme:{uuid.uuid4()}"
    made = [
        await client.post("/liaisons", headers=staff, json={
            "kind": "department_contact", "name": "Liisa Nuoriso", "title": "Nuorisosihteeri", "email": "liisa@pori.fi",
            "phone": "+358 44 701 0000", "department_id": dept["id"], "topics": [topic, "Avustukset"],
        }),
        await client.post("/liaisons", headers=staff, json={
            "kind": "programme_contact", "name": "Pekka Avustus", "email": "pekka@pori.fi", "department_id": dept["id"],
            "topics": [topic], "subject_ref": programme,
        }),
    ]  # fmt: skip
    assert [m.status_code for m in made] == [201, 201]
    found = (await client.get("/liaisons", params={"topic": topic})).json()
    assert found["total"] == 2 and {c["department_name"] for c in found["items"]} == {dept["name"]}
    assert (await client.get("/liaisons", params={"q": "nuorisosihteeri", "department_id": dept["id"]})).json()[
        "total"
    ] == 1
    by_subject = (await client.get("/liaisons", params={"subject_ref": programme})).json()
    assert [c["name"] for c in by_subject["items"]] == ["Pekka Avustus"]
    single = await client.get(f"/liaisons/{made[0].json()['id']}")
    assert single.json()["topics"] == [topic, "avustukset"]


async def test_the_html_page_is_accessible_and_escapes_what_it_shows(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    dept = await api.department()
    name = f"Olli <script>alert(1)</script> {uuid.uuid4().hex[:4]}"
    made = await client.post("/liaisons", headers=tokens.staff(dept["code"]), json={
        "kind": "department_contact", "name": name, "email": "olli@pori.fi", "department_id": dept["id"],
    })  # fmt: skip
    assert made.status_code == 201
    page = await client.get("/liaisons.html", params={"department_id": dept["id"]})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="fi">' in html and "<caption>" in html and '<th scope="col">' in html
    assert '<label for="q">' in html and "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="mailto:olli@pori.fi"' in html


async def test_a_removed_contact_disappears_and_a_changed_one_is_updated(
    api: Api, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    dept = await api.department()
    staff = tokens.staff(dept["code"])
    made = (await client.post("/liaisons", headers=staff, json={
        "kind": "department_contact", "name": "Vaihtuva", "email": "v@pori.fi", "department_id": dept["id"],
    })).json()  # fmt: skip
    changed = await client.patch(f"/liaisons/{made['id']}", json={"title": "Tilasihteeri"}, headers=staff)
    assert changed.status_code == 200 and changed.json()["title"] == "Tilasihteeri"
    assert (await client.delete(f"/liaisons/{made['id']}", headers=staff)).status_code == 204
    assert (await client.get(f"/liaisons/{made['id']}")).status_code == 404
    assert await api.scalar("SELECT count(*) FROM liaison_contact WHERE id = :i", i=made["id"]) == 0


async def test_the_coordinator_is_listed_first(api: Api, client: httpx.AsyncClient, tokens: Tokens) -> None:
    dept = await api.department()
    topic = f"aloittavat-{uuid.uuid4().hex[:6]}"
    await client.post("/liaisons", headers=tokens.staff(dept["code"]), json={
        "kind": "department_contact", "name": "Aaro Alku", "email": "aaro@pori.fi", "department_id": dept["id"], "topics": [topic],
    })  # fmt: skip
    await client.post("/liaisons", headers=tokens.admin(), json={
        "kind": "coordinator", "name": "Östen Koordinaattori", "email": "osten@pori.fi", "topics": [topic],
    })  # fmt: skip
    items = (await client.get("/liaisons", params={"topic": topic})).json()["items"]
    assert [c["kind"] for c in items] == ["coordinator", "department_contact"]
