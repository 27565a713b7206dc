"""/audiences: who holds a grant and who is a partner, as applicant ids, for a ``service`` token only (ADR 0011,
ADR 0017). The database is shared with the other tests, so each test looks for its own applicants' ids."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from shared.contracts.directory import ApplicantKind
from shared.localtime import end_of_local_day, local_date
from shared.testing.fixtures import Tokens

from ..conftest import Api, Clock
from .applying import decide, light_application, light_programme
from .test_partnerships import _ok, proposal, signed

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


async def members(client: httpx.AsyncClient, tokens: Tokens, audience: str, limit: int = 100) -> list[str]:
    """Every applicant id of the audience, page by page as a client reads it."""
    found: list[str] = []
    while True:
        params = {"limit": str(limit), "offset": str(len(found))}
        answer = await client.get(f"/audiences/{audience}", params=params, headers=tokens.service())
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert set(page) == {"items", "total", "limit", "offset"} and len(page["items"]) <= limit
        assert all(set(item) == {"applicant_id"} for item in page["items"])  # ids, and nothing else
        found += [item["applicant_id"] for item in page["items"]]
        if not page["items"] or len(found) >= page["total"]:
            assert len(found) == page["total"]
            return found


async def granted_in_year(api: Api, clock: Clock, year: int, cents: int | None, *, publish: bool = True) -> str:
    """An applicant of a light round of ``year``, decided ``cents`` (None: not decided), published or not.
    The clock is left where it was."""
    now = clock.now
    if year != local_date(now).year:
        clock.set(datetime(year, 6, 1, 9, tzinfo=UTC))
    try:
        programme = await light_programme(api, fixed_cents=None)
        department = programme["department_code"]
        round_ = await api.round(programme, clock)
        application = await light_application(api, round_, 50_000, kind=ApplicantKind.UNREGISTERED_GROUP)
        if cents is not None:
            assert (await decide(api, application, cents, department)).status_code == 200
            if publish:
                published = await api.client.post(f"/rounds/{round_['id']}/publish", headers=api.staff(department))
                assert published.status_code == 200, published.text
        return str(application["applicant_id"])
    finally:
        clock.set(now)


async def test_grantees_hold_a_published_grant_of_this_year_or_last_year(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    year = local_date(clock.now).year
    this_year = await granted_in_year(api, clock, year, 30_000)
    last_year = await granted_in_year(api, clock, year - 1, 30_000)
    two_years_ago = await granted_in_year(api, clock, year - 2, 30_000)  # used and reported: held no longer
    declined = await granted_in_year(api, clock, year, 0)  # decided, 0 €: not granted
    unpublished = await granted_in_year(api, clock, year, 30_000, publish=False)  # may still change
    undecided = await granted_in_year(api, clock, year, None)

    found = await members(client, tokens, "grantees")
    assert len(found) == len(set(found))
    assert {this_year, last_year} <= set(found)
    assert not {two_years_ago, declined, unpublished, undecided} & set(found)


async def test_a_private_person_s_light_grant_makes_a_grantee_too(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    programme = await light_programme(api)
    round_ = await api.round(programme, clock)
    person = await light_application(api, round_, kind=ApplicantKind.PRIVATE_PERSON)
    assert (await decide(api, person, 30_000, programme["department_code"])).status_code == 200
    staff = api.staff(programme["department_code"])
    assert (await client.post(f"/rounds/{round_['id']}/publish", headers=staff)).status_code == 200
    assert person["applicant_id"] in await members(client, tokens, "grantees")


async def test_partners_have_an_agreement_in_force(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code = await api.department()
    staff = api.staff(code)
    active = await signed(api, clock, code=code)
    ended = await signed(api, clock, code=code)
    await _ok(await client.post(f"/partnerships/{ended['id']}/end", headers=staff))
    expiring = await signed(api, clock, code=code, years=1)

    async def proposed_by_staff() -> dict[str, Any]:
        body = proposal(await api.applicant(), department_code=code)
        made: dict[str, Any] = await _ok(await client.post("/partnerships", json=body, headers=staff), 201)
        return made

    rejected, proposed = await proposed_by_staff(), await proposed_by_staff()
    await _ok(await client.post(f"/partnerships/{rejected['id']}/reject", json={"reason": "Ei nyt."}, headers=staff))

    found = set(await members(client, tokens, "partners"))
    assert {active["applicant_id"], expiring["applicant_id"]} <= found
    assert not {ended["applicant_id"], rejected["applicant_id"], proposed["applicant_id"]} & found

    # The term's last day is still in force; the day after it is not, whether or not the job has ended it yet.
    last_day = date.fromisoformat(expiring["ends_on"])
    clock.set(end_of_local_day(last_day))
    assert expiring["applicant_id"] in await members(client, tokens, "partners")
    clock.advance(seconds=1)
    assert expiring["applicant_id"] not in await members(client, tokens, "partners")
    assert active["applicant_id"] in await members(client, tokens, "partners")


async def test_pages_are_bounded_ordered_and_together_are_the_whole_audience(
    api: Api, clock: Clock, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    code = await api.department()
    for _ in range(3):
        await signed(api, clock, code=code)
    whole = await members(client, tokens, "partners")
    assert whole == sorted(whole, key=uuid.UUID)  # ordered by id: offsets page over a stable order
    assert await members(client, tokens, "partners", limit=1) == whole
    past = await client.get("/audiences/partners", params={"offset": str(len(whole) + 5)}, headers=tokens.service())
    assert past.json() == {"items": [], "total": len(whole), "limit": 20, "offset": len(whole) + 5}


@pytest.mark.parametrize("audience", ["grantees", "partners"])
async def test_only_a_service_token_reads_an_audience(audience: str, client: httpx.AsyncClient, tokens: Tokens) -> None:
    url = f"/audiences/{audience}"
    assert (await client.get(url, headers=tokens.service())).status_code == 200
    for headers in (
        tokens.staff("culture"), tokens.admin(), tokens.association(uuid.uuid4()),
    ):  # fmt: skip
        refused = await client.get(url, headers=headers)
        assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM, refused.text
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        refused = await client.get(url, headers=headers)
        assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM, refused.text


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "0"}, "query.limit"), ({"limit": "101"}, "query.limit"), ({"limit": "many"}, "query.limit"),
     ({"offset": "-1"}, "query.offset"), ({"offset": "1.5"}, "query.offset"), ({"limit": "1\x00"}, "query.limit")],
)  # fmt: skip
async def test_a_bad_page_is_a_problem_naming_the_field(
    params: dict[str, str], field: str, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    for audience in ("grantees", "partners"):
        answer = await client.get(f"/audiences/{audience}", params=params, headers=tokens.service())
        assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == [field]


async def test_the_openapi_document_describes_the_audiences(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for audience in ("grantees", "partners"):
        operation = paths[f"/audiences/{audience}"]["get"]
        assert {"200", "401", "403", "422", "503"} <= operation["responses"].keys()
        assert operation["tags"] == ["audiences"]
        item = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert item.endswith("Page_AudienceMemberRead_")
