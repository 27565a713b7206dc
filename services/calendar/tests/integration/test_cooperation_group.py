"""The cooperation group's members over HTTP on real PostgreSQL: staff keep them, everyone reads the active
ones, the wellbeing services county is a cooperation partner, bad input names the field; its meetings are on
the calendar with an agenda and minutes in Markdown, shown sanitised."""

from __future__ import annotations

import uuid

import httpx

from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .test_registrations import published_event

PATH = "/cooperation-group/members"


async def test_staff_keep_the_members_and_everyone_reads_them(client: httpx.AsyncClient, tokens: Tokens) -> None:
    staff = tokens.staff("culture")
    county = await client.post(
        PATH, json={"organisation": "Satakunnan hyvinvointialue", "kind": "wellbeing_services_county",
                    "role_fi": "yhteistyökumppani", "representative": "Liisa Laine"}, headers=staff,
    )  # fmt: skip
    assert county.status_code == 201, county.text
    assert county.json()["cooperation_partner"] is True
    association = uuid.uuid4()
    member = await client.post(
        PATH, json={"organisation": "Porin Pelimannit ry", "kind": "association", "directory_id": str(association),
                    "role_fi": "jäsen"}, headers=staff,
    )  # fmt: skip
    assert member.status_code == 201 and member.json()["cooperation_partner"] is False

    rep = tokens.association(association)
    assert (
        await client.post(PATH, json={"organisation": "X", "kind": "city", "role_fi": "j"}, headers=rep)
    ).status_code == 403
    listed = (await client.get(PATH, params={"limit": 100})).json()["items"]
    assert {county.json()["id"], member.json()["id"]} <= {m["id"] for m in listed}

    left = await client.patch(f"{PATH}/{member.json()['id']}", json={"active": False}, headers=staff)
    assert left.status_code == 200 and left.json()["active"] is False
    assert member.json()["id"] not in {m["id"] for m in (await client.get(PATH, params={"limit": 100})).json()["items"]}
    with_former = await client.get(PATH, params={"limit": 100, "include_inactive": True}, headers=staff)
    assert member.json()["id"] in {m["id"] for m in with_former.json()["items"]}

    no_id = await client.post(
        PATH, json={"organisation": "Ry", "kind": "association", "role_fi": "jäsen"}, headers=staff
    )
    assert no_id.status_code == 422 and "directory_id" in no_id.text
    blank = await client.post(PATH, json={"organisation": " ", "kind": "city", "role_fi": "jäsen"}, headers=staff)
    assert blank.status_code == 422 and "organisation" in blank.text
    missing = await client.patch(f"{PATH}/{uuid.uuid4()}", json={"role_fi": "x"}, headers=staff)
    assert missing.status_code == 404


async def test_a_meeting_on_the_calendar_with_sanitised_agenda_and_minutes(
    api: Api, client: httpx.AsyncClient, tokens: Tokens, clock: Clock
) -> None:
    agenda = "# Esityslista\n\n1. **Avustukset** 2027\n2. <script>alert(1)</script>\n\n[linkki](javascript:alert(1))"
    meeting = await published_event(
        api, clock, "culture-cg", kind="cooperation_group_meeting", title_fi="Yhteistyöryhmän kokous",
        audience="everyone", agenda_md=agenda,
    )  # fmt: skip
    public = (await client.get(f"/events/{meeting['id']}")).json()
    assert "<strong>Avustukset</strong>" in public["agenda_html"] and "<h1>" in public["agenda_html"]
    assert "<script" not in public["agenda_html"] and "&lt;script&gt;" in public["agenda_html"]  # shown as text
    assert "href" not in public["agenda_html"]  # no javascript: link
    [entry] = [i for i in (await client.get("/schedule", params={"limit": 100, "category": "cooperation_group"})).json()[
        "items"] if i["source_id"] == meeting["id"]]  # fmt: skip
    assert entry["category"] == "cooperation_group"

    staff = tokens.staff("culture-cg")
    clock.advance(days=11)
    assert (await client.post(f"/events/{meeting['id']}/held", headers=staff)).status_code == 200
    minutes = await client.put(
        f"/events/{meeting['id']}/minutes", json={"minutes_md": "Päätettiin *jatkaa*. <img src=x onerror=alert(1)>"},
        headers=staff,
    )  # fmt: skip
    assert minutes.status_code == 200, minutes.text
    assert "<em>jatkaa</em>" in minutes.json()["minutes_html"] and "<img" not in minutes.json()["minutes_html"]
    other = tokens.staff("sports-cg")
    denied = await client.put(f"/events/{meeting['id']}/minutes", json={"minutes_md": "x"}, headers=other)
    assert denied.status_code == 403
    rep = tokens.association(uuid.uuid4())
    assert (
        await client.put(f"/events/{meeting['id']}/minutes", json={"minutes_md": "x"}, headers=rep)
    ).status_code == 403

    info = await published_event(api, clock, "culture-cg")
    refused = await client.put(f"/events/{info['id']}/minutes", json={"minutes_md": "x"}, headers=staff)
    assert refused.status_code == 422 and "minutes_md" in refused.text
    no_agenda = await client.patch(f"/events/{info['id']}", json={"agenda_md": "# x"}, headers=staff)
    assert no_agenda.status_code == 422 and "agenda_md" in no_agenda.text
