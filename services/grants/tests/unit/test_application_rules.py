"""Rules of applications and decisions: the budget adds up, states move one way, amounts stay in bounds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from grants.domain.application import Application, ApplicationState, Decision, check_round_takes_drafts
from grants.domain.budget import Attachment, BudgetLine, LineKind, check_balance
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from shared.contracts.directory import ApplicantKind
from shared.contracts.grants import GrantKind, Intake
from shared.errors import Conflict, InvalidInput

NOW = datetime(2027, 2, 1, 12, tzinfo=UTC)


def line(kind: str, cents: int, description: str = "Tilavuokra") -> dict[str, Any]:
    return {"kind": kind, "description": description, "amount_cents": cents}


def application(**overrides: Any) -> Application:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(), "round_id": uuid.uuid4(), "applicant_id": uuid.uuid4(), "purpose": "Kesäleiri",
        "requested_cents": 50_000, "created_by": "rep", "budget": [line("expense", 70_000), line("income", 20_000)],
    }  # fmt: skip
    app = Application(**(fields | overrides))
    app.validate()
    return app


# -- the budget -----------------------------------------------------------------------------------------------
def test_expenses_less_income_is_the_amount_applied_for() -> None:
    app = application()
    assert all(isinstance(b, BudgetLine) for b in app.budget) and app.budget[1].kind is LineKind.INCOME


@pytest.mark.parametrize("requested", [49_999, 50_001, 70_000])
def test_a_budget_that_does_not_add_up_is_refused(requested: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        application(requested_cents=requested)
    assert caught.value.field == "budget" and "700.00 EUR" in caught.value.message


def test_income_alone_cannot_fund_a_request() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_balance([BudgetLine(LineKind.INCOME, "Myyntitulot", 10_000)], 10_000)
    assert caught.value.field == "budget"


@pytest.mark.parametrize(
    ("bad", "field"),
    [(line("expense", 0), "budget.1.amount_cents"), (line("expense", -5), "budget.1.amount_cents"),
     (line("expense", 5, "  "), "budget.1.description")],
)  # fmt: skip
def test_every_budget_line_is_named_and_positive(bad: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        application(budget=[line("expense", 50_000), bad])
    assert caught.value.field == field


def test_an_empty_budget_does_not_add_up() -> None:
    with pytest.raises(InvalidInput) as caught:
        application(budget=[])
    assert caught.value.field == "budget"


def test_attachments_are_at_most_20_megabytes() -> None:
    ok = {"name": "liite.pdf", "content_type": "Application/PDF", "size_bytes": 20 * 1024 * 1024}
    app = application(attachments=[ok])
    assert isinstance(app.attachments[0], Attachment) and app.attachments[0].content_type == "application/pdf"
    with pytest.raises(InvalidInput) as caught:
        application(attachments=[ok, ok | {"size_bytes": 20 * 1024 * 1024 + 1}])
    assert caught.value.field == "attachments.1.size_bytes"
    with pytest.raises(InvalidInput) as caught:
        application(attachments=[ok | {"content_type": "pdf"}])
    assert caught.value.field == "attachments.0.content_type"


def test_purpose_and_amount_are_required() -> None:
    with pytest.raises(InvalidInput) as caught:
        application(purpose="   ")
    assert caught.value.field == "purpose"
    with pytest.raises(InvalidInput) as caught:
        application(requested_cents=0, budget=[])
    assert caught.value.field == "requested_cents"


# -- states ---------------------------------------------------------------------------------------------------
def test_a_draft_is_edited_then_submitted_and_then_no_longer_edited() -> None:
    app = application()
    app.edit({"purpose": "Syysleiri"})
    app.submit(NOW)
    assert app.state is ApplicationState.SUBMITTED and app.submitted_at == NOW and app.was_submitted
    with pytest.raises(Conflict):
        app.edit({"purpose": "Talvileiri"})
    with pytest.raises(Conflict):
        app.submit(NOW)


def test_only_content_fields_can_be_edited() -> None:
    with pytest.raises(InvalidInput) as caught:
        application().edit({"applicant_id": uuid.uuid4()})
    assert caught.value.field == "applicant_id"


def test_an_edit_that_breaks_the_budget_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        application().edit({"requested_cents": 1})
    assert caught.value.field == "budget"


def test_a_returned_application_is_completed_and_keeps_its_place() -> None:
    app = application()
    app.submit(NOW)
    with pytest.raises(InvalidInput):
        app.return_for_completion("  ")
    app.return_for_completion("Liitä toimintasuunnitelma.")
    assert app.state is ApplicationState.RETURNED and app.completion_request == "Liitä toimintasuunnitelma."
    with pytest.raises(Conflict):
        app.return_for_completion("Taas")
    app.edit({"planned_activity": "Tarkennettu suunnitelma"})
    app.submit(NOW + timedelta(days=3))
    assert app.submitted_at == NOW


def test_withdrawal_before_the_decision_only() -> None:
    app = application()
    app.submit(NOW)
    app.withdraw()
    assert app.state is ApplicationState.WITHDRAWN
    with pytest.raises(Conflict):
        app.withdraw()
    with pytest.raises(Conflict):
        app.ensure_decidable()
    decided = application()
    decided.submit(NOW)
    decided.mark_decided()
    with pytest.raises(Conflict):
        decided.withdraw()
    decided.mark_decided()  # re-deciding stays decided


def test_a_draft_cannot_be_decided_or_returned() -> None:
    with pytest.raises(Conflict):
        application().mark_decided()
    with pytest.raises(Conflict):
        application().return_for_completion("x")


@pytest.mark.parametrize(
    ("state", "continuous", "approved", "held"),
    [
        (ApplicationState.DRAFT, True, None, 0), (ApplicationState.SUBMITTED, True, None, 50_000),
        (ApplicationState.RETURNED, True, None, 50_000), (ApplicationState.SUBMITTED, False, None, 0),
        (ApplicationState.DECIDED, True, 20_000, 20_000), (ApplicationState.DECIDED, False, 20_000, 20_000),
        (ApplicationState.WITHDRAWN, True, None, 0),
    ],
)  # fmt: skip
def test_what_an_application_holds_of_the_appropriation(
    state: ApplicationState, continuous: bool, approved: int | None, held: int
) -> None:
    app = application(state=state)
    assert app.held_cents(continuous=continuous, approved_cents=approved) == held


# -- decisions ------------------------------------------------------------------------------------------------
def decision(approved: int, rationale: str = "Perusteltu.") -> Decision:
    return Decision(uuid.uuid4(), uuid.uuid4(), approved, rationale, decided_by="staff", decided_at=NOW)


@pytest.mark.parametrize("approved", [0, 1, 50_000])
def test_approved_from_zero_to_the_amount_applied_for(approved: int) -> None:
    decision(approved).validate(50_000)


@pytest.mark.parametrize("approved", [-1, 50_001])
def test_approved_outside_the_bounds_is_refused(approved: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        decision(approved).validate(50_000)
    assert caught.value.field == "approved_cents"


def test_a_decision_needs_its_rationale() -> None:
    with pytest.raises(InvalidInput) as caught:
        decision(1, " ").validate(50_000)
    assert caught.value.field == "rationale"


def test_a_decision_is_public_once_a_publication_covers_it() -> None:
    made = decision(1)
    assert not made.is_public(round_published=False, published_at=None)
    assert not made.is_public(round_published=False, published_at=NOW - timedelta(seconds=1))
    assert made.is_public(round_published=False, published_at=NOW)
    assert made.is_public(round_published=True, published_at=None)


# -- programme amounts and the round's period ---------------------------------------------------------------
def programme(**overrides: Any) -> Programme:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(), "name": "Kevytavustus", "kind": GrantKind.LIGHT, "intake": Intake.CONTINUOUS,
        "department_code": "culture", "eligible_kinds": list(ApplicantKind), "fixed_amount_cents": 30_000,
    }  # fmt: skip
    made = Programme(**(fields | overrides))
    made.validate()
    return made


def test_a_fixed_light_grant_is_exactly_its_amount() -> None:
    programme().check_amount(30_000)
    for wrong in (29_999, 30_001):
        with pytest.raises(InvalidInput) as caught:
            programme().check_amount(wrong)
        assert caught.value.field == "requested_cents"


def test_a_maximum_is_a_ceiling() -> None:
    capped = programme(fixed_amount_cents=None, max_amount_cents=100_000)
    capped.check_amount(100_000)
    with pytest.raises(InvalidInput):
        capped.check_amount(100_001)


def test_only_eligible_kinds_apply() -> None:
    yearly = programme(kind=GrantKind.OPERATING, intake=Intake.YEARLY_ROUND, fixed_amount_cents=None,
                       eligible_kinds=[ApplicantKind.REGISTERED_ASSOCIATION])  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        yearly.check_eligible(ApplicantKind.UNREGISTERED_GROUP)
    assert caught.value.field == "applicant_id"


@pytest.mark.parametrize(
    ("state", "now_offset", "ok"),
    [(RoundState.SCHEDULED, -1, True), (RoundState.OPEN, 0, True), (RoundState.OPEN, 11, False),
     (RoundState.DRAFT, 0, False), (RoundState.CLOSED, 0, False), (RoundState.PUBLISHED, 0, False)],
)  # fmt: skip
def test_drafts_are_started_from_announcement_until_closing(state: RoundState, now_offset: int, ok: bool) -> None:
    round_ = Round(uuid.uuid4(), uuid.uuid4(), 2027, uuid.uuid4(), NOW, NOW + timedelta(days=10), 1_000, state=state)
    when = NOW + timedelta(days=now_offset)
    if ok:
        check_round_takes_drafts(round_, when)
    else:
        with pytest.raises(Conflict) as caught:
            check_round_takes_drafts(round_, when)
        assert caught.value.field == "round_id"
