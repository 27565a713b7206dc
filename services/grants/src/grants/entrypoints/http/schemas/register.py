"""The public decision register as JSON, as a CSV file for spreadsheets, and in the 360Giving data standard.

CSV: UTF-8 with a byte-order mark (so Excel reads ä and ö right), a header row, ``;`` between fields and
euros with a decimal comma as Finnish Excel expects, beside the exact ``amount_cents`` for machines. Cells
that a spreadsheet would run as a formula are prefixed with an apostrophe.

360Giving (https://standard.threesixtygiving.org): ``{"grants": [...]}``, awards above zero only. Grants have
ids ``360G-pori-<application id>``. Recipients have no identifier grants knows (it keeps no business IDs), so
organisations get ``360G-pori-applicant-<applicant id>`` (the standard's form for a publisher's own ids) and
private persons appear as ``recipientIndividual`` under their pseudonym, never their id.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from grants.service_layer.register import RegisterEntry
from shared.contracts.directory import ApplicantKind

FUNDER = {"id": "FI-YTJ-0204819-8", "name": "Porin kaupunki"}
CSV_COLUMNS = [
    "year", "programme", "recipient", "recipient_kind", "purpose", "amount_eur", "amount_cents", "decided_on",
    "application_id",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RegisterEntryRead(BaseModel):
    application_id: uuid.UUID
    round_id: uuid.UUID
    programme_id: uuid.UUID
    programme_name: str
    year: int
    recipient_name: str = Field(description="The association's name; a pseudonym for a private person.")
    recipient_kind: ApplicantKind | None
    recipient_id: uuid.UUID | None = Field(description="The applicant's id; None for a private person.")
    purpose: str
    approved_cents: int = Field(description="0 when the application was not granted.")
    decided_on: date
    published_at: datetime


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _finnish_euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def to_csv(entries: list[RegisterEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([
            e.year, _cell(e.programme_name), _cell(e.recipient_name), e.recipient_kind or "", _cell(e.purpose),
            _finnish_euros(e.approved_cents), e.approved_cents, e.decided_on.isoformat(), e.application_id,
        ])  # fmt: skip
    return "\ufeff" + out.getvalue()


def _euros(cents: int) -> int | float:
    return cents // 100 if cents % 100 == 0 else cents / 100


def _recipient(e: RegisterEntry) -> dict[str, Any]:
    if e.recipient_id is None:
        return {
            "recipientIndividual": {"id": f"360G-pori-individual-{e.recipient_pseudonym}", "name": e.recipient_name}
        }
    return {"recipientOrganization": [{"id": f"360G-pori-applicant-{e.recipient_id}", "name": e.recipient_name}]}


def to_360giving(entries: list[RegisterEntry]) -> dict[str, Any]:
    return {
        "grants": [
            {
                "id": f"360G-pori-{e.application_id}",
                "title": f"{e.programme_name} {e.year}",
                "description": e.purpose,
                "currency": "EUR",
                "amountAwarded": _euros(e.approved_cents),
                "awardDate": e.decided_on.isoformat(),
                **_recipient(e),
                "fundingOrganization": [FUNDER],
                "grantProgramme": [{"code": str(e.programme_id), "title": e.programme_name}],
            }
            for e in entries
            if e.approved_cents > 0
        ]
    }
