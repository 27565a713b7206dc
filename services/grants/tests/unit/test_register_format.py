"""The register's pseudonyms and file formats, review scores and the default usage-report deadline."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from grants.adapters.applications import ReviewScore
from grants.config import Settings
from grants.domain.round import Round
from grants.entrypoints.http.schemas.register import to_360giving, to_csv
from grants.service_layer.decisions import usage_report_due
from grants.service_layer.register import RegisterEntry, pseudonym, pseudonym_key
from grants.service_layer.reviews import check_scores, criterion_averages
from shared.contracts.directory import ApplicantKind
from shared.errors import InvalidInput

NOW = datetime(2027, 5, 2, 9, tzinfo=UTC)


def entry(**overrides: Any) -> RegisterEntry:
    fields: dict[str, Any] = {
        "application_id": uuid.uuid4(), "round_id": uuid.uuid4(), "programme_id": uuid.uuid4(),
        "programme_name": "Toiminta-avustus", "year": 2027, "recipient_kind": ApplicantKind.REGISTERED_ASSOCIATION,
        "recipient_id": uuid.uuid4(), "recipient_name": "Porin Soutajat ry", "recipient_pseudonym": None,
        "purpose": "Soutukerho", "approved_cents": 123_456, "decided_on": date(2027, 5, 2), "published_at": NOW,
    }  # fmt: skip
    return RegisterEntry(**(fields | overrides))


def test_a_pseudonym_is_stable_keyed_and_says_nothing() -> None:
    person = uuid.uuid4()
    name = pseudonym(b"key-one", person)
    assert re.fullmatch(r"Yksityishenkilö [0-9A-F]{4}", name)
    assert pseudonym(b"key-one", person) == name
    others = {pseudonym(b"key-two", person), *(pseudonym(b"key-one", uuid.uuid4()) for _ in range(5))}
    assert len(others - {name}) >= 5  # another key or person reads differently (16 bits: a clash is rare)
    assert person.hex[:4].upper() not in name


def test_the_key_is_the_configured_secret() -> None:
    assert pseudonym_key(Settings(register_pseudonym_key="production-secret")) == b"production-secret"
    assert pseudonym_key(Settings()) != pseudonym_key(Settings(register_pseudonym_key="production-secret"))


def test_csv_is_excel_friendly_and_formula_safe() -> None:
    text = to_csv([entry(recipient_name="=HYPERLINK(1)", purpose="+ leiri"), entry(approved_cents=5)])
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "year" and len(rows) == 3
    assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][4] == "'+ leiri"
    assert rows[1][5] == "1234,56" and rows[1][6] == "123456" and rows[2][5] == "0,05"


def test_360giving_names_organisations_and_hides_individuals() -> None:
    person = entry(
        recipient_kind=ApplicantKind.PRIVATE_PERSON, recipient_id=None, recipient_name="Yksityishenkilö 3F9A",
        recipient_pseudonym="3F9A00112233AABB", approved_cents=30_000,
    )  # fmt: skip
    org, refused = entry(), entry(approved_cents=0)
    grants = to_360giving([org, person, refused])["grants"]
    assert [g["id"] for g in grants] == [f"360G-pori-{org.application_id}", f"360G-pori-{person.application_id}"]
    assert grants[0]["amountAwarded"] == 1234.56 and grants[1]["amountAwarded"] == 300
    assert grants[0]["recipientOrganization"] == [
        {"id": f"360G-pori-applicant-{org.recipient_id}", "name": "Porin Soutajat ry"}
    ]
    assert grants[1]["recipientIndividual"] == {
        "id": "360G-pori-individual-3F9A00112233AABB",
        "name": "Yksityishenkilö 3F9A",
    }
    assert grants[0]["fundingOrganization"] == [{"id": "FI-YTJ-0204819-8", "name": "Porin kaupunki"}]
    assert grants[0]["currency"] == "EUR" and grants[0]["awardDate"] == "2027-05-02"


def test_scores_are_whole_numbers_from_zero_to_five() -> None:
    assert check_scores({" Vaikuttavuus ": 5, "talous": 0}) == {"vaikuttavuus": 5, "talous": 0}
    for bad in ({"talous": 6}, {"talous": -1}, {" ": 3}, {}):
        with pytest.raises(InvalidInput):
            check_scores(bad)


def test_averages_per_criterion_over_reviewers() -> None:
    a = uuid.uuid4()
    scores = [
        ReviewScore(a, "anna", "talous", 4),
        ReviewScore(a, "ville", "talous", 1),
        ReviewScore(a, "anna", "vaikutus", 5),
    ]
    assert criterion_averages(scores) == {"talous": 2.5, "vaikutus": 5.0}


def test_usage_reports_fall_due_at_the_end_of_next_june_unless_the_round_says() -> None:
    round_ = Round(uuid.uuid4(), uuid.uuid4(), 2027, uuid.uuid4(), NOW, NOW + timedelta(days=30), 1_000)
    assert usage_report_due(round_) == date(2028, 6, 30)
    round_.usage_report_deadline = date(2028, 3, 31)
    assert usage_report_due(round_) == date(2028, 3, 31)
