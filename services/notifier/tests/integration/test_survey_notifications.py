"""Survey invitations and registration notices end to end inside the notifier: a real calendar event on the
real broker, the worker's subscribers asking the calendar (and the directory) stood in for by
``httpx.MockTransport`` (``events.Calendar``, ``events.Directory``), the deliveries in real PostgreSQL, and
the mails through real SMTP into the catcher. The real calendar↔client contract is proven in
``tests/e2e/test_survey_story.py``.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from shared.contracts.calendar import (
    FeedbackSurveyAudience,
    FeedbackSurveyOpened,
    RegistrationCancelled,
    RegistrationConfirmed,
)
from shared.testing.mail import MailCatcher

from .events import Worker, deliver, deliveries, eventually, publish

pytestmark = pytest.mark.integration
CLOSES = datetime(2027, 2, 1, 14, tzinfo=UTC)


def text_of(mail: object) -> str:
    return mail.get_body(("plain",)).get_content()  # type: ignore[attr-defined, no-any-return]


def html_of(mail: object) -> str:
    return mail.get_body(("html",)).get_content()  # type: ignore[attr-defined, no-any-return]


async def test_an_event_survey_mails_each_registrant_their_link_once_also_when_redelivered(
    worker: Worker, catcher: MailCatcher
) -> None:
    survey_id = uuid.uuid4()
    people = [worker.calendar.register(language) for language in ("fi", "sv", "en")]
    links = {email: worker.calendar.invite(survey_id, registration_id=r) for r, email in people}
    opened = FeedbackSurveyOpened(
        survey_id=survey_id, event_id=uuid.uuid4(), audience=FeedbackSurveyAudience.EVENT_PARTICIPANTS,
        closes_at=CLOSES, invitations=3,
    )  # fmt: skip
    envelope = await publish(worker.exchange, opened)
    await eventually(deliveries(worker, envelope), 3)  # three invitations over two pages
    await publish(worker.exchange, envelope)  # redelivered
    await asyncio.sleep(0.3)
    await deliver(worker)
    subjects = {}
    for email, link in links.items():
        (mail,) = catcher.wait_for(1, to=email)
        assert link in text_of(mail) and f'href="{link}"' in html_of(mail)
        assert "01.02.2027 16:00" in text_of(mail)
        subjects[mail["Content-Language"]] = mail["Subject"]
    assert subjects == {
        "fi": "Palautekysely: miten tilaisuus onnistui?", "sv": "Responsenkät: hur lyckades evenemanget?",
        "en": "Feedback survey: how was the event?",
    }  # fmt: skip
    assert await deliveries(worker, envelope)() == 3


async def test_the_yearly_evaluation_reaches_the_representatives_who_chose_events(
    worker: Worker, catcher: MailCatcher
) -> None:
    survey_id, club, choir = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    chair = worker.directory.add(club, ["events"], ["sv"])
    grants_only = worker.directory.add(club, ["grants"])
    singer = worker.directory.add(choir, ["events", "bookings"])
    to_club = worker.calendar.invite(survey_id, association_id=str(club))
    to_choir = worker.calendar.invite(survey_id, association_id=str(choir))
    opened = FeedbackSurveyOpened(
        survey_id=survey_id, event_id=None, audience=FeedbackSurveyAudience.ALL_ASSOCIATIONS, closes_at=CLOSES,
        invitations=2,
    )  # fmt: skip
    envelope = await publish(worker.exchange, opened)
    await eventually(deliveries(worker, envelope), 2)
    await deliver(worker)
    (to_chair,) = catcher.wait_for(1, to=chair)
    (to_singer,) = catcher.wait_for(1, to=singer)
    assert to_club in text_of(to_chair) and to_choir not in text_of(to_chair)
    assert to_choir in text_of(to_singer)
    assert to_chair["Subject"] == "Utvärdera årets föreningssamarbete"
    assert to_singer["Subject"] == "Arvioi vuoden yhdistysyhteistyötä"
    assert catcher.to(grants_only) == []


async def test_a_calendar_down_then_up_sends_the_invitations_later(worker: Worker, catcher: MailCatcher) -> None:
    survey_id = uuid.uuid4()
    registration_id, email = worker.calendar.register()
    link = worker.calendar.invite(survey_id, registration_id=registration_id)
    worker.calendar.down = True
    opened = FeedbackSurveyOpened(
        survey_id=survey_id, event_id=uuid.uuid4(), audience=FeedbackSurveyAudience.EVENT_PARTICIPANTS,
        closes_at=CLOSES, invitations=1,
    )  # fmt: skip
    envelope = await publish(worker.exchange, opened)

    async def asked_again() -> bool:
        return worker.calendar.calls >= 2

    await eventually(asked_again, True)
    assert await deliveries(worker, envelope)() == 0
    worker.calendar.down = False
    await eventually(deliveries(worker, envelope), 1)
    await deliver(worker)
    (mail,) = catcher.wait_for(1, to=email)
    assert link in text_of(mail)


async def test_registration_notices_reach_the_registrant_not_the_representatives(
    worker: Worker, catcher: MailCatcher
) -> None:
    club = uuid.uuid4()
    representative = worker.directory.add(club, ["events"])
    registration_id, email = worker.calendar.register("en")
    facts = {
        "registration_id": uuid.UUID(registration_id), "event_id": uuid.uuid4(), "association_id": club,
        "participants": 2,
    }  # fmt: skip
    confirmed = await publish(worker.exchange, RegistrationConfirmed(**facts))
    cancelled = await publish(worker.exchange, RegistrationCancelled(**facts, was_confirmed=True))
    await eventually(deliveries(worker, confirmed), 1)
    await eventually(deliveries(worker, cancelled), 1)
    await deliver(worker)
    mails = catcher.wait_for(2, to=email)
    assert sorted(m["Subject"] for m in mails) == ["Registration cancelled", "Registration confirmed"]
    assert all(f"/events/{facts['event_id']}" in text_of(m) for m in mails)
    assert catcher.to(representative) == []
