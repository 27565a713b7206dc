"""An issue's own rules: each language both or neither, no text a database cannot hold, editable until sent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from notifier.domain.issue import Issue, IssueState
from shared.errors import Conflict, InvalidInput

pytestmark = pytest.mark.unit
NOW = datetime(2027, 3, 1, 10, tzinfo=UTC)


def issue(**fields: object) -> Issue:
    made = Issue(uuid.uuid4(), "Uutiset", "Teksti.", "culture", "staff")
    for name, value in fields.items():
        setattr(made, name, value)
    return made


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject_sv": "Nyheter"}, "body_sv"),
        ({"subject_fi": "Uutiset \ud800"}, "subject_fi"),
        ({"body_en": "x\udfff", "subject_en": "News"}, "body_en"),
        ({"districts": ["keskusta\ud800"]}, "districts"),
    ],
)
def test_invalid_content_is_refused_naming_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(**fields).validate()
    assert refused.value.field == field


def test_schedule_in_the_future_only_and_cancel_only_a_scheduled_one() -> None:
    i = issue()
    with pytest.raises(InvalidInput):
        i.schedule(NOW, NOW)
    i.schedule(NOW + timedelta(days=1), NOW)
    assert i.state is IssueState.SCHEDULED
    i.cancel()
    with pytest.raises(Conflict):
        i.cancel()
    with pytest.raises(Conflict):
        i.send_now(NOW)


@pytest.mark.parametrize("subject", ["Uutiset\nBcc: x@example.org", "Uutiset\r", "Uutiset\u2028", "Uu\x00tiset"])
def test_a_subject_is_one_line_without_control_characters(subject: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(subject_fi=subject).validate()
    assert refused.value.field == "subject_fi"
