"""Notifications on events on a unit of work without a database and a directory without a network.

The subscribers themselves are driven (``subscriptions(container)``, on a stand-in container holding the
settings and the fake directory), so these tests cover which notice an event makes and for whom, as well as
the use case: one delivery per representative who chose the topic, none again for a redelivered event,
nothing when the directory is down (the handler fails; the consumer retries), the association's language.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from notifier.adapters.calendar import CalendarUnavailable
from notifier.adapters.directory import DirectoryUnavailable, Recipient
from notifier.config import Settings
from notifier.entrypoints.messaging.subscribers import subscriptions
from notifier.service_layer import notifications
from notifier.service_layer.notifications import Notice
from shared.contracts.bookings import BookedSlot, BookingConfirmed
from shared.contracts.calendar import (
    FeedbackSurveyAudience,
    FeedbackSurveyOpened,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from shared.contracts.directory import ApplicantKind, MessageTopic
from shared.contracts.envelope import Envelope, EventData
from shared.contracts.grants import GrantRoundOpened
from shared.messaging.consumer import EventMeta

from ..fakes import FakeCalendar, FakeDirectory, FakeGrants, FakeNotifierUnitOfWork

pytestmark = pytest.mark.unit
SETTINGS = Settings(bookings_public_url="https://varaukset.example", grants_public_url="https://avustukset.example")
START = datetime(2027, 1, 11, 16, tzinfo=UTC)


async def handle(
    directory: FakeDirectory, uow: FakeNotifierUnitOfWork, envelope: Envelope[Any], calendar: FakeCalendar | None = None
) -> None:
    container: Any = SimpleNamespace(
        settings=SETTINGS, directory=directory, calendar=calendar or FakeCalendar(), grants=FakeGrants()
    )
    (sub,) = [s for s in subscriptions(container) if s.contract is type(envelope.data)]
    await sub.handler(uow, envelope.data, EventMeta.of(envelope))


def confirmed(association: uuid.UUID | None, weeks: int = 1) -> BookingConfirmed:
    return BookingConfirmed(
        booking_id=uuid.uuid4(), facility_id=uuid.uuid4(), department_code="culture", applicant_id=association,
        kind="series" if weeks > 1 else "single", price_cents=0, free_use_reason=None,
        occurrences=[
            BookedSlot(occurrence_id=uuid.uuid4(), starts_at=START + timedelta(weeks=w),
                       ends_at=START + timedelta(weeks=w, hours=2))
            for w in range(weeks)
        ],
    )  # fmt: skip


def wrap(data: EventData) -> Envelope[Any]:
    return Envelope.wrap(data)


async def test_a_booking_series_is_one_mail_to_each_representative_who_chose_bookings() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    chair = directory.add(club, topics={MessageTopic.BOOKINGS, MessageTopic.GRANTS})
    treasurer = directory.add(club, topics={MessageTopic.BOOKINGS})
    directory.add(club, topics={MessageTopic.GRANTS})  # chose grants only
    directory.add(uuid.uuid4(), topics={MessageTopic.BOOKINGS})  # another association
    event = confirmed(club, weeks=10)
    envelope = wrap(event)

    await handle(directory, uow, envelope)

    made = uow.deliveries.rows
    assert {ref for _, ref in made} == {chair.ref, treasurer.ref}
    mail = made[(f"BookingConfirmed:{envelope.event_id}", chair.ref)]
    assert mail.address == chair.email and mail.language == "fi" and mail.subject == "Varaus vahvistettu"
    assert f"https://varaukset.example/bookings/{event.booking_id}" in mail.text_body
    assert mail.text_body.count("18:00–20:00") == 10  # the series, each week, in Finnish time
    assert f'href="https://varaukset.example/bookings/{event.booking_id}"' in mail.html_body
    assert "/unsubscribe?token=" in mail.text_body
    assert directory.asked == [
        {"association_id": club, "topic": MessageTopic.BOOKINGS},
        {"contact": (f"bookings:facility:{event.facility_id}", "culture")},  # the facility's, else the department's
    ]


async def test_a_redelivered_event_adds_no_second_delivery() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS})
    envelope = wrap(confirmed(club))
    await handle(directory, uow, envelope)
    await handle(directory, uow, envelope)
    assert len(uow.deliveries.rows) == 1
    await handle(directory, uow, wrap(envelope.data))  # another event of the same booking: its own mail
    assert len(uow.deliveries.rows) == 2


async def test_a_directory_that_does_not_answer_fails_the_handler_and_makes_nothing() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS})
    directory.down = True
    envelope = wrap(confirmed(club))
    with pytest.raises(DirectoryUnavailable):
        await handle(directory, uow, envelope)
    assert uow.deliveries.rows == {} and uow.commits == 0
    directory.down = False  # the consumer's retry
    await handle(directory, uow, envelope)
    assert len(uow.deliveries.rows) == 1


async def test_the_city_s_own_block_tells_nobody() -> None:
    uow, directory = FakeNotifierUnitOfWork(), FakeDirectory()
    await handle(directory, uow, wrap(confirmed(None)))
    assert uow.deliveries.rows == {} and directory.asked == []


@pytest.mark.parametrize(
    ("languages", "expected", "subject"),
    [(("sv", "fi"), "sv", "Bokningen bekräftad"), (("en",), "en", "Booking confirmed"),
     (("de", "en"), "en", "Booking confirmed"), (("de",), "fi", "Varaus vahvistettu")],
)  # fmt: skip
async def test_the_mail_is_in_the_first_of_the_association_s_languages_the_notifier_writes(
    languages: tuple[str, ...], expected: str, subject: str
) -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS}, languages=languages)
    await handle(directory, uow, wrap(confirmed(club)))
    (mail,) = uow.deliveries.rows.values()
    assert (mail.language, mail.subject) == (expected, subject)
    assert f'<html lang="{expected}">' in mail.html_body


async def test_a_representative_who_unsubscribed_gets_none() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    gone = directory.add(club, topics={MessageTopic.BOOKINGS})
    stays = directory.add(club, topics={MessageTopic.BOOKINGS})
    await uow.opt_outs.add(gone.ref)
    await handle(directory, uow, wrap(confirmed(club)))
    assert {ref for _, ref in uow.deliveries.rows} == {stays.ref}


async def test_an_opened_round_tells_the_eligible_associations_representatives_who_chose_grants() -> None:
    uow, directory = FakeNotifierUnitOfWork(), FakeDirectory()
    sports = directory.add(uuid.uuid4(), topics={MessageTopic.GRANTS}, fields={"sports"})
    directory.add(uuid.uuid4(), topics={MessageTopic.GRANTS}, fields={"culture"})
    directory.add(uuid.uuid4(), topics={MessageTopic.GRANTS}, fields={"sports"}, kind="private_person")
    directory.add(uuid.uuid4(), topics={MessageTopic.BOOKINGS}, fields={"sports"})
    opened = GrantRoundOpened(
        round_id=uuid.uuid4(), programme_id=uuid.uuid4(), year=2027, opens_at=START,
        closes_at=datetime(2027, 2, 28, 14, tzinfo=UTC), appropriation_cents=5_000_000,
        eligible_kinds=[ApplicantKind.REGISTERED_ASSOCIATION, ApplicantKind.UNREGISTERED_GROUP],
        fields_of_activity=["sports"],
    )  # fmt: skip
    await handle(directory, uow, wrap(opened))
    (mail,) = uow.deliveries.rows.values()
    assert mail.recipient_ref == sports.ref and "2027" in mail.subject
    assert "Haku päättyy 28.02.2027 16:00." in mail.text_body
    assert f"https://avustukset.example/rounds/{opened.round_id}" in mail.text_body
    assert directory.asked == [{
        "topic": MessageTopic.GRANTS, "kinds": ["registered_association", "unregistered_group"],
        "fields_of_activity": ["sports"],
    }, {"contact": (f"grants:programme:{opened.programme_id}", None)}]  # fmt: skip


async def test_a_waitlisted_registration_says_its_place_to_the_registrant_not_the_representatives() -> None:
    uow, directory, calendar, club = FakeNotifierUnitOfWork(), FakeDirectory(), FakeCalendar(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.EVENTS})
    registration_id, contact = calendar.register(language="en")
    event = RegistrationWaitlisted(
        registration_id=registration_id, event_id=uuid.uuid4(), association_id=club, participants=4, position=2
    )
    await handle(directory, uow, wrap(event), calendar)
    (mail,) = uow.deliveries.rows.values()
    assert mail.recipient_ref == f"registration:{registration_id}" and mail.address == contact.email
    assert "number 2 on the waiting list" in mail.text_body and f"/events/{event.event_id}" in mail.text_body
    assert directory.asked == []  # the representatives are not asked


async def test_registration_notices_go_to_the_registrant_once_and_to_nobody_after_erasure() -> None:
    uow, directory, calendar, club = FakeNotifierUnitOfWork(), FakeDirectory(), FakeCalendar(), uuid.uuid4()
    registration_id, _ = calendar.register()
    facts = {"registration_id": registration_id, "event_id": uuid.uuid4(), "association_id": club, "participants": 3}
    confirmed = wrap(RegistrationConfirmed(**facts))
    await handle(directory, uow, confirmed, calendar)
    await handle(directory, uow, confirmed, calendar)  # redelivered: nothing more
    cancelled = wrap(RegistrationCancelled(**facts, was_confirmed=True))
    await handle(directory, uow, cancelled, calendar)
    subjects = sorted(d.subject for d in uow.deliveries.rows.values())
    assert subjects == ["Ilmoittautuminen peruttu", "Ilmoittautuminen vahvistettu"]
    del calendar.contacts[registration_id]  # erased in the calendar
    await handle(directory, uow, wrap(RegistrationPromoted(**facts)), calendar)
    assert len(uow.deliveries.rows) == 2
    calendar.down = True
    with pytest.raises(CalendarUnavailable):
        await handle(directory, uow, wrap(RegistrationPromoted(**facts)), calendar)


async def test_an_event_survey_mails_each_registrant_their_own_link_once() -> None:
    uow, directory, calendar = FakeNotifierUnitOfWork(), FakeDirectory(), FakeCalendar()
    survey_id = uuid.uuid4()
    people = [calendar.register(language) for language in ("fi", "sv")]
    links = {calendar.invite(survey_id, registration_id=r).answer_url: c for r, c in people}
    opened = wrap(FeedbackSurveyOpened(
        survey_id=survey_id, event_id=uuid.uuid4(), audience=FeedbackSurveyAudience.EVENT_PARTICIPANTS,
        closes_at=START + timedelta(days=14), invitations=2,
    ))  # fmt: skip
    await handle(directory, uow, opened, calendar)
    await handle(directory, uow, opened, calendar)  # redelivered
    mails = list(uow.deliveries.rows.values())
    assert len(mails) == 2
    for link, contact in links.items():
        (mail,) = [m for m in mails if m.address == contact.email]
        assert link in mail.text_body and mail.text_body.count("#token=") == 1
        assert mail.language == contact.language
        assert "25.01.2027 18:00" in mail.text_body  # closes, in Finnish time
    assert {m.subject for m in mails} == {"Palautekysely: miten tilaisuus onnistui?",
                                          "Responsenkät: hur lyckades evenemanget?"}  # fmt: skip


async def test_the_yearly_evaluation_mails_each_associations_representatives_who_chose_events() -> None:
    uow, directory, calendar = FakeNotifierUnitOfWork(), FakeDirectory(), FakeCalendar()
    survey_id, club, choir = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    chair = directory.add(club, topics={MessageTopic.EVENTS})
    directory.add(club, topics={MessageTopic.GRANTS})  # did not choose events
    both = Recipient(uuid.uuid4(), choir, "both@example.fi")  # represents the choir as well as the club
    directory.people.append((both, {MessageTopic.EVENTS}, "registered_association", set()))
    directory.people.append((dataclasses.replace(both, association_id=club), {MessageTopic.EVENTS},
                             "registered_association", set()))  # fmt: skip
    to_club, to_choir = (
        calendar.invite(survey_id, association_id=club),
        calendar.invite(survey_id, association_id=choir),
    )
    calendar.invite(survey_id, association_id=uuid.uuid4())  # nobody there wants events
    opened = wrap(FeedbackSurveyOpened(
        survey_id=survey_id, event_id=None, audience=FeedbackSurveyAudience.ALL_ASSOCIATIONS,
        closes_at=START + timedelta(days=14), invitations=3,
    ))  # fmt: skip
    await handle(directory, uow, opened, calendar)
    mails = list(uow.deliveries.rows.values())
    assert sorted(m.address for m in mails) == sorted([chair.email, "both@example.fi", "both@example.fi"])
    to_both = sorted(
        (m.text_body for m in mails if m.address == "both@example.fi"), key=lambda t: to_club.answer_url in t
    )
    assert to_choir.answer_url in to_both[0] and to_club.answer_url in to_both[1]  # both links, one mail each
    assert all(m.subject == "Arvioi vuoden yhdistysyhteistyötä" for m in mails)
    await handle(directory, uow, opened, calendar)
    assert len(uow.deliveries.rows) == 3
    calendar.down = True
    with pytest.raises(CalendarUnavailable):
        await handle(directory, FakeNotifierUnitOfWork(), opened, calendar)


async def test_the_responsible_liaison_contact_is_in_the_footer_when_named() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    rep = directory.add(club, topics={MessageTopic.BOOKINGS}, languages=("sv",))
    notice = Notice("booking_cancelled", "https://varaukset.example/bookings/1", {"slots": "- 1.1."},
                    contact="Liisa Yhteyshenkilö, 044 123")  # fmt: skip
    made = await notifications.notify(uow, settings=SETTINGS, source="Test:1", notice=notice, recipients=[rep, rep])
    assert made == 1
    (mail,) = uow.deliveries.rows.values()
    assert "Kontaktperson: Liisa Yhteyshenkilö, 044 123" in mail.text_body
    assert "Kontaktperson: Liisa Yhteyshenkilö, 044 123" in mail.html_body


async def test_values_are_escaped_in_the_html_part() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    rep = directory.add(club, topics={MessageTopic.BOOKINGS})
    notice = Notice("booking_cancelled", "https://x.example/b", {"slots": "x"}, contact="<script>alert(1)</script>")
    await notifications.notify(uow, settings=SETTINGS, source="Test:2", notice=notice, recipients=[rep])
    (mail,) = uow.deliveries.rows.values()
    assert "<script>" not in mail.html_body


async def test_a_long_series_lists_its_first_times_and_says_how_many_more() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS})
    await handle(directory, uow, wrap(confirmed(club, weeks=30)))
    (mail,) = uow.deliveries.rows.values()
    assert mail.text_body.count("\n- ") == notifications.MAX_SLOTS + 1 and "ja 10 muuta" in mail.text_body
