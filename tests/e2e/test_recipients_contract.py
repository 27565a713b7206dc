"""The notifier's directory client against the running directory: the recipients it resolves at send time."""

from __future__ import annotations

import uuid

import httpx

from notifier.adapters.directory import DirectoryClient
from notifier.config import Settings as NotifierSettings
from shared.contracts.directory import MessageTopic
from shared.testing.fixtures import TEST_JWT_SECRET, Tokens

from .conftest import RunningService


async def test_the_notifier_reads_the_representatives_who_chose_the_topic(
    directory_and_grants: tuple[RunningService, RunningService], tokens: Tokens
) -> None:
    # Not `directory_service`: the directory story stops that one to see each role shut down gracefully.
    directory_service, _ = directory_and_grants
    staff = tokens.staff("culture")
    async with httpx.AsyncClient(base_url=directory_service.base_url) as http:
        club = await http.post("/associations", headers=staff | {"Idempotency-Key": str(uuid.uuid4())}, json={
            "kind": "unregistered_group", "name": f"Porin Melojat {uuid.uuid4().hex[:4]}",
            "fields_of_activity": ["sports"], "languages": ["fi"],
        })  # fmt: skip
        assert club.status_code == 201, club.text
        ids = {}
        for name, topics in (("Kaikki", None), ("Vain varaukset", ["bookings"])):
            body = {"name": name, "role": "chair", "email": f"{uuid.uuid4().hex[:8]}@example.fi"}
            added = await http.post(
                f"/associations/{club.json()['id']}/representatives",
                headers=staff | {"Idempotency-Key": str(uuid.uuid4())},
                json=body | ({"notifications": topics} if topics else {}),
            )
            assert added.status_code == 201, added.text
            ids[name] = added.json()["id"]

    client = DirectoryClient(NotifierSettings(directory_url=directory_service.base_url, jwt_secret=TEST_JWT_SECRET))
    try:
        association = uuid.UUID(club.json()["id"])
        grants = await client.representatives(association, topic=MessageTopic.GRANTS)
        bookings = await client.representatives(association, topic=MessageTopic.BOOKINGS)
    finally:
        await client.close()
    assert [str(r.representative_id) for r in grants] == [ids["Kaikki"]]
    assert {str(r.representative_id) for r in bookings} == set(ids.values())
    assert all(r.association_id == association and "@" in r.email for r in bookings)


async def test_the_notifier_finds_the_responsible_liaison_contact_in_the_public_directory(
    directory_and_grants: tuple[RunningService, RunningService], tokens: Tokens
) -> None:
    directory_service, _ = directory_and_grants
    admin, code, programme = tokens.admin(), f"dept-{uuid.uuid4().hex[:6]}", uuid.uuid4()

    async def made(path: str, body: dict[str, object]) -> dict[str, object]:
        answer = await http.post(path, headers=admin | {"Idempotency-Key": str(uuid.uuid4())}, json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()  # type: ignore[no-any-return]

    async with httpx.AsyncClient(base_url=directory_service.base_url) as http:
        department = await made("/departments", {"code": code, "name": f"Toimiala {code}"})
        contacts: dict[str, dict[str, object]] = {}
        in_department: dict[str, object] = {"department_id": department["id"]}
        extras: tuple[tuple[str, dict[str, object]], ...] = (
            ("programme_contact", in_department | {"subject_ref": f"grants:programme:{programme}"}),
            ("department_contact", in_department),
            ("coordinator", {}),
        )
        for kind, extra in extras:
            body = {"kind": kind, "name": f"{kind.title()} Henkilö", "email": f"{uuid.uuid4().hex[:8]}@pori.example"}
            contacts[kind] = await made("/liaisons", body | extra)

    client = DirectoryClient(NotifierSettings(directory_url=directory_service.base_url, jwt_secret=TEST_JWT_SECRET))
    try:
        of_programme = await client.contact(subject_ref=f"grants:programme:{programme}", department_code=code)
        of_department = await client.contact(subject_ref=f"grants:programme:{uuid.uuid4()}", department_code=code)
        anyone = await client.contact(subject_ref=None, department_code=f"none-{uuid.uuid4().hex[:6]}")
    finally:
        await client.close()
    assert of_programme is not None and of_programme.email == contacts["programme_contact"]["email"]
    assert of_department is not None and of_department.email == contacts["department_contact"]["email"]
    assert anyone is not None  # a liaison coordinator: the single entry point when nobody else is named
