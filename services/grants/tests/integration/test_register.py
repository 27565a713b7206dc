"""The public decision register: published decisions only; JSON, CSV and 360Giving; private persons hidden."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx

from shared.contracts.directory import ApplicantKind

from ..conftest import Api, Clock
from .applying import close, decide, light_application, light_programme, submitted


async def _published_yearly_round(api: Api, clock: Clock) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    programme = await api.programme(name=f"Toiminta-avustus {clock.now.microsecond}")
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    granted = await submitted(api, round_, await api.applicant(name="=Porin Soutajat ry"), purpose="Soutukerho")
    refused = await submitted(api, round_, await api.applicant(name="Ässät-kannattajat ry"))
    await close(api, clock, round_)
    await decide(api, granted, 40_050, department)
    await decide(api, refused, 0, department)
    await api.client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))
    return programme, {"granted": granted, "refused": refused}


async def test_only_published_decisions_are_public(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await api.programme()
    department = programme["department_code"]
    round_ = await api.round(programme, clock)
    sent = await submitted(api, round_, await api.applicant(name="Porin Soutajat ry"))
    await close(api, clock, round_)
    await decide(api, sent, 10_000, department)
    params = {"programme_id": programme["id"]}
    assert (await client.get("/register/decisions", params=params)).json()["total"] == 0
    assert (await client.get("/register/360giving.json", params=params)).json() == {"grants": []}

    await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))
    page = (await client.get("/register/decisions", params=params)).json()
    assert page["total"] == 1
    [entry] = page["items"]
    assert entry["recipient_name"] == "Porin Soutajat ry" and entry["approved_cents"] == 10_000
    assert entry["purpose"] == sent["purpose"] and entry["programme_name"] == programme["name"]
    assert entry["recipient_id"] == sent["applicant_id"] and entry["year"] == round_["year"]
    assert "rationale" not in entry and "decided_by" not in entry


async def test_private_persons_are_pseudonymised(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme = await light_programme(api, fixed_cents=30_000)
    department = programme["department_code"]
    round_ = await api.round(programme, clock, appropriation_cents=300_000)
    person = await api.applicant(ApplicantKind.PRIVATE_PERSON)
    group = await api.applicant(ApplicantKind.UNREGISTERED_GROUP, name="Kalaonnen talkooporukka")
    one = await submitted(api, round_, person, requested_cents=30_000, budget=[_line(30_000)])
    two = await submitted(api, round_, person, requested_cents=30_000, budget=[_line(30_000)], purpose="Toinen")
    three = await light_application(api, round_, kind=ApplicantKind.PRIVATE_PERSON)
    by_group = await submitted(api, round_, group, requested_cents=30_000, budget=[_line(30_000)])
    for application in (one, two, three, by_group):
        await decide(api, application, 30_000, department)
    await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))

    items = (await client.get("/register/decisions", params={"programme_id": programme["id"]})).json()["items"]
    names = {i["application_id"]: i["recipient_name"] for i in items}
    assert re.fullmatch(r"Yksityishenkilö [0-9A-F]{4}", names[one["id"]])
    assert names[one["id"]] == names[two["id"]]  # one person, one pseudonym
    assert names[by_group["id"]] == "Kalaonnen talkooporukka"
    private = [i for i in items if i["recipient_kind"] == "private_person"]
    assert len(private) == 3 and all(i["recipient_id"] is None for i in private)
    everything = (await client.get("/register/decisions.csv", params={"programme_id": programme["id"]})).text
    everything += (await client.get("/register/360giving.json", params={"programme_id": programme["id"]})).text
    assert str(person) not in everything and three["applicant_id"] not in everything

    giving = (await client.get("/register/360giving.json", params={"programme_id": programme["id"]})).json()
    individual = next(g for g in giving["grants"] if g["id"] == f"360G-pori-{one['id']}")
    assert "recipientOrganization" not in individual
    assert individual["recipientIndividual"]["name"] == names[one["id"]]
    assert individual["recipientIndividual"]["id"].startswith("360G-pori-individual-")


def _line(cents: int) -> dict[str, Any]:
    return {"kind": "expense", "description": "Tarvikkeet", "amount_cents": cents}


async def test_csv_for_spreadsheets(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme, apps = await _published_yearly_round(api, clock)
    response = await client.get("/register/decisions.csv", params={"programme_id": programme["id"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == [
        "year", "programme", "recipient", "recipient_kind", "purpose", "amount_eur", "amount_cents", "decided_on",
        "application_id",
    ]  # fmt: skip
    by_id = {r["application_id"]: r for r in rows}
    granted = by_id[apps["granted"]["id"]]
    assert granted["recipient"] == "'=Porin Soutajat ry"  # never a formula in a spreadsheet
    assert granted["amount_eur"] == "400,50" and granted["amount_cents"] == "40050"
    assert granted["purpose"] == "Soutukerho" and granted["programme"] == programme["name"]
    assert by_id[apps["refused"]["id"]]["recipient"] == "Ässät-kannattajat ry"
    assert by_id[apps["refused"]["id"]]["amount_eur"] == "0,00"


async def test_360giving_export(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme, apps = await _published_yearly_round(api, clock)
    response = await client.get("/register/360giving.json", params={"programme_id": programme["id"]})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    [grant] = response.json()["grants"]  # awards above zero only
    granted = apps["granted"]
    assert grant == {
        "id": f"360G-pori-{granted['id']}",
        "title": f"{programme['name']} {clock.now.year}",
        "description": "Soutukerho",
        "currency": "EUR",
        "amountAwarded": 400.5,
        "awardDate": grant["awardDate"],
        "recipientOrganization": [
            {"id": f"360G-pori-applicant-{granted['applicant_id']}", "name": "=Porin Soutajat ry"}
        ],
        "fundingOrganization": [{"id": "FI-YTJ-0204819-8", "name": "Porin kaupunki"}],
        "grantProgramme": [{"code": programme["id"], "title": programme["name"]}],
    }
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", grant["awardDate"])


async def test_filters_by_year_and_programme(api: Api, clock: Clock, client: httpx.AsyncClient) -> None:
    programme, _ = await _published_yearly_round(api, clock)
    params: dict[str, Any] = {"programme_id": programme["id"]}
    assert (await client.get("/register/decisions", params=params | {"year": clock.now.year})).json()["total"] == 2
    assert (await client.get("/register/decisions", params=params | {"year": 2001})).json()["total"] == 0
    assert len((await client.get("/register/decisions", params=params | {"limit": 1})).json()["items"]) == 1
    assert (await client.get("/register/decisions", params={"year": 1900})).status_code == 422
    csv_2001 = (await client.get("/register/decisions.csv", params=params | {"year": 2001})).text
    assert csv_2001.count("\r\n") == 1  # the header alone


async def test_a_continuous_round_shows_only_what_has_been_published(
    api: Api, clock: Clock, client: httpx.AsyncClient
) -> None:
    programme = await light_programme(api, fixed_cents=30_000)
    department = programme["department_code"]
    round_ = await api.round(programme, clock, appropriation_cents=90_000)
    first, second = await light_application(api, round_), await light_application(api, round_)
    await decide(api, first, 30_000, department)
    await client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))
    clock.advance(minutes=1)
    await decide(api, second, 30_000, department)
    listed = (await client.get("/register/decisions", params={"programme_id": programme["id"]})).json()
    assert [i["application_id"] for i in listed["items"]] == [first["id"]]
