"""Set-up the application, decision and register tests share: light programmes, drafts, submissions."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from shared.contracts.directory import ApplicantKind

from ..conftest import Api, Clock

BUDGET = [
    {"kind": "expense", "description": "Tilavuokra", "amount_cents": 60_000},
    {"kind": "expense", "description": "Tarvikkeet", "amount_cents": 10_000},
    {"kind": "income", "description": "Osallistumismaksut", "amount_cents": 20_000},
]  # 700 € of expenses less 200 € of income: 500 € applied for
REQUESTED = 50_000
ALL_KINDS = [k.value for k in ApplicantKind]


def body(round_id: str, applicant_id: uuid.UUID, /, **overrides: Any) -> dict[str, Any]:
    return {
        "round_id": round_id,
        "applicant_id": str(applicant_id),
        "purpose": "Kesäleiri nuorille",
        "planned_activity": "Viikon leiri Yyterissä kesäkuussa",
        "requested_cents": REQUESTED,
        "budget": BUDGET,
        "attachments": [{"name": "talousarvio.pdf", "content_type": "application/pdf", "size_bytes": 120_000}],
    } | overrides


def light_budget(cents: int) -> list[dict[str, Any]]:
    return [{"kind": "expense", "description": "Tarvikkeet", "amount_cents": cents}]


async def light_programme(api: Api, *, fixed_cents: int | None = 30_000, **overrides: Any) -> dict[str, Any]:
    """A light grant (kevytavustus): continuous intake, open to groups and private persons too."""
    amount = {"fixed_amount_cents": fixed_cents} if fixed_cents else {"max_amount_cents": 100_000}
    made: dict[str, Any] = await api.programme(
        name=f"Kevytavustus {uuid.uuid4().hex[:4]}",
        kind="light",
        intake="continuous",
        eligible_kinds=ALL_KINDS,
        **amount,
        **overrides,
    )
    return made


async def draft(api: Api, round_: dict[str, Any], applicant_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    made = await api.client.post(
        "/applications",
        json=body(round_["id"], applicant_id, **overrides),
        headers=api.tokens.association(applicant_id),
    )
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


async def submitted(api: Api, round_: dict[str, Any], applicant_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    made = await draft(api, round_, applicant_id, **overrides)
    sent = await api.client.post(f"/applications/{made['id']}/submit", headers=api.tokens.association(applicant_id))
    assert sent.status_code == 200, sent.text
    return sent.json()  # type: ignore[no-any-return]


async def light_application(api: Api, round_: dict[str, Any], cents: int = 30_000, **kw: Any) -> dict[str, Any]:
    applicant_id = await api.applicant(**kw)
    return await submitted(api, round_, applicant_id, requested_cents=cents, budget=light_budget(cents))


async def close(api: Api, clock: Clock, round_: dict[str, Any]) -> None:
    """Let the round's application period pass; the scheduler closes it."""
    clock.now = max(clock.now, datetime.fromisoformat(round_["closes_at"])) + timedelta(minutes=1)
    await api.run_jobs(clock)
    assert (await api.client.get(f"/rounds/{round_['id']}")).json()["state"] == "closed"


async def decide(api: Api, application: dict[str, Any], cents: int, department: str, **extra: Any) -> Any:
    return await api.client.put(
        f"/applications/{application['id']}/decision",
        json={"approved_cents": cents, "rationale": "Toiminta vastaa avustusperiaatteita."} | extra,
        headers=api.staff(department),
    )
