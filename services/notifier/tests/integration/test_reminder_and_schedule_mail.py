"""Usage reports due and overdue, partnership discussions due, published season allocations and scheduled
events, from the real broker through the notifier's real PostgreSQL to real SMTP (the catcher): each mail's
language, content, link and the responsible liaison contact in its footer, and a redelivery that sends nothing.

The directory is stood in for as in ``test_event_notifications`` (``events.Directory``: ``/recipients`` and the
public ``/liaisons`` and ``/departments``).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import pytest

from shared.contracts.bookings import BookedSlot, BookingConfirmed, SeasonAllocationPublished, SeasonSlot
from shared.contracts.calendar import EventAudience, EventKind, EventScheduled
from shared.contracts.grants import PartnershipDiscussionDue, UsageReportDue, UsageReportOverdue
from shared.testing.mail import MailCatcher

from .events import Worker, count, deliver, deliveries, eventually, publish

pytestmark = pytest.mark.integration


def parts(mail: EmailMessage) -> tuple[str, str]:
    text, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content()


async def test_a_usage_report_reminder_and_follow_up_in_the_association_s_language_with_the_programme_s_contact(
    worker: Worker, catcher: MailCatcher
) -> None:
    club, programme = uuid.uuid4(), uuid.uuid4()
    rep = worker.directory.add(club, ["grants"])
    english = worker.directory.add(club, ["grants"], ["en", "fi"])
    bookings_only = worker.directory.add(club, ["bookings"])
    contact = worker.directory.add_liaison("Pia Ohjelmavastaava", "programme_contact",
                                           subject_ref=f"grants:programme:{programme}", department="culture")  # fmt: skip
    worker.directory.add_liaison("Kaisa Koordinaattori", "coordinator")
    facts = {"application_id": uuid.uuid4(), "applicant_id": club, "programme_id": programme,
             "department_code": "culture", "due_date": date(2027, 3, 31)}  # fmt: skip
    report = uuid.uuid4()
    due = await publish(worker.exchange, UsageReportDue(report_id=report, **facts))
    await eventually(deliveries(worker, due), 2)
    overdue = await publish(worker.exchange, UsageReportOverdue(report_id=report, **facts))
    await eventually(deliveries(worker, overdue), 2)
    await deliver(worker)

    reminder, follow_up = sorted(catcher.wait_for(2, to=rep), key=lambda m: "myöhässä" in str(m["Subject"]))
    assert reminder["Subject"] == "Muistutus: avustuksen käyttöselvitys" and reminder["Content-Language"] == "fi"
    assert follow_up["Subject"] == "Käyttöselvitys on myöhässä"
    text, html = parts(reminder)
    assert "palautettava viimeistään 31.03.2027" in text
    assert f"http://127.0.0.1:8002/usage-reports/{report}" in text
    assert f'href="http://127.0.0.1:8002/usage-reports/{report}"' in html
    assert f"Yhteyshenkilö: Pia Ohjelmavastaava, {contact}" in text and f"Pia Ohjelmavastaava, {contact}" in html
    in_english = catcher.wait_for(2, to=english)
    assert {m["Subject"] for m in in_english} == {"Reminder: the grant's usage report", "The usage report is overdue"}
    assert all(m["Content-Language"] == "en" and f"Contact: Pia Ohjelmavastaava, {contact}" in parts(m)[0]
               for m in in_english)  # fmt: skip
    assert catcher.to(bookings_only) == []


async def test_a_partnership_discussion_due_reaches_the_partner_in_swedish_with_the_department_s_contact(
    worker: Worker, catcher: MailCatcher
) -> None:
    partner = uuid.uuid4()
    rep = worker.directory.add(partner, ["partnership"], ["sv"])
    grants_only = worker.directory.add(partner, ["grants"])
    contact = worker.directory.add_liaison("Sami Liikuntatoimi", "department_contact", department="sports")
    event = PartnershipDiscussionDue(
        agreement_id=uuid.uuid4(), discussion_id=uuid.uuid4(), applicant_id=partner, due_on=date(2027, 6, 30),
        department_code="sports",
    )  # fmt: skip
    envelope = await publish(worker.exchange, event)
    await eventually(deliveries(worker, envelope), 1)
    await deliver(worker)

    (mail,) = catcher.wait_for(1, to=rep)
    assert mail["Subject"] == "Dags för partnerskapssamtalet" and mail["Content-Language"] == "sv"
    text, html = parts(mail)
    link = f"http://127.0.0.1:8002/partnerships/{event.agreement_id}/discussions/{event.discussion_id}"
    assert link in text and f'href="{link}"' in html
    assert "ska hållas senast 30.06.2027" in text
    assert f"Kontaktperson: Sami Liikuntatoimi, {contact}" in text
    assert catcher.to(grants_only) == []


def weekly(weekday: str, starts: str, ends: str, facility: str) -> SeasonSlot:
    return SeasonSlot(
        slot_id=uuid.uuid4(), booking_id=uuid.uuid4(), facility_id=uuid.uuid4(), weekday=weekday, starts=starts,
        ends=ends, first_day=date(2027, 9, 6), last_day=date(2028, 5, 29), facility_name=facility,
    )  # fmt: skip


async def test_a_published_season_allocation_is_one_mail_listing_every_slot_and_its_series_send_none(
    worker: Worker, catcher: MailCatcher
) -> None:
    club, round_ = uuid.uuid4(), uuid.uuid4()
    rep = worker.directory.add(club, ["bookings"], ["en"])
    contact = worker.directory.add_liaison("Tiina Tilavaraus", "department_contact", department="sports")
    slots = [weekly("wed", "18:00", "19:30", "Herralahden koulu, sali"), weekly("mon", "17:00", "19:00", "Isomäki")]
    at = datetime(2027, 9, 6, 14, tzinfo=UTC)
    series = [
        BookingConfirmed(
            booking_id=s.booking_id, facility_id=s.facility_id, department_code="sports", applicant_id=club,
            kind="series", price_cents=0, free_use_reason=None, season_round_id=round_,
            occurrences=[BookedSlot(occurrence_id=uuid.uuid4(), starts_at=at, ends_at=at + timedelta(hours=2))],
        )
        for s in slots
    ]  # fmt: skip
    confirmed = [await publish(worker.exchange, b) for b in series]
    allocation = SeasonAllocationPublished(round_id=round_, department_code="sports", applicant_id=club, slots=slots)
    envelope = await publish(worker.exchange, allocation)
    await eventually(deliveries(worker, envelope), 1)
    await deliver(worker)

    (mail,) = catcher.wait_for(1, to=rep)
    assert mail["Subject"] == "The season's regular slots are allocated"
    text, html = parts(mail)
    assert (
        "- Mon 17:00–19:00, Isomäki (06.09.2027–29.05.2028)\n"
        "- Wed 18:00–19:30, Herralahden koulu, sali (06.09.2027–29.05.2028)"
    ) in text
    link = f"http://127.0.0.1:8003/season-rounds/{round_}/results"
    assert link in text and f'href="{link}"' in html
    assert f"Contact: Tiina Tilavaraus, {contact}" in text

    async def handled() -> int:  # the series' confirmations were consumed …
        sql = "SELECT count(*) FROM inbox_message WHERE event_id = ANY(:ids)"
        return await count(worker, sql, ids=[c.event_id for c in confirmed])

    await eventually(handled, 2)
    assert [await deliveries(worker, c)() for c in confirmed] == [0, 0]  # … and made no mail
    await deliver(worker)
    assert len(catcher.to(rep)) == 1


async def test_a_scheduled_event_reaches_its_audience_once_even_when_redelivered(
    worker: Worker, catcher: MailCatcher
) -> None:
    association, group, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    chair = worker.directory.add(association, ["events"], ["fi"])
    organiser = worker.directory.add(group, ["events"], ["sv"], kind="unregistered_group")
    private = worker.directory.add(person, ["events"], kind="private_person")
    no_events = worker.directory.add(association, ["grants"])
    contact = worker.directory.add_liaison("Kalle Kulttuuri", "department_contact", department="culture")
    event = EventScheduled(
        event_id=uuid.uuid4(), kind=EventKind.ASSOCIATION_EVENING, title="Yhdistysilta: avustukset 2028",
        starts_at=datetime(2027, 11, 4, 15, tzinfo=UTC), ends_at=datetime(2027, 11, 4, 17, 30, tzinfo=UTC),
        facility_id=None, online=False, capacity=80, department_code="culture", revision=2,
        audience=EventAudience.ASSOCIATIONS,
    )  # fmt: skip
    envelope = await publish(worker.exchange, event)
    await eventually(deliveries(worker, envelope), 2)
    await deliver(worker)
    (to_chair,) = catcher.wait_for(1, to=chair)
    (to_organiser,) = catcher.wait_for(1, to=organiser)

    await publish(worker.exchange, envelope)  # the same event again, as a redelivery is
    later = await publish(worker.exchange, event.model_copy(update={"event_id": uuid.uuid4()}))  # behind it
    await eventually(deliveries(worker, later), 2)
    await deliver(worker)
    catcher.wait_for(2, to=chair)
    await asyncio.sleep(0.3)
    assert await deliveries(worker, envelope)() == 2
    about_first = [m for m in catcher.to(chair) if str(event.event_id) in parts(m)[0]]
    assert len(about_first) == 1
    assert catcher.to(private) == [] and catcher.to(no_events) == []  # associations only; those who chose events

    assert to_chair["Subject"] == "Uusi tilaisuus: Yhdistysilta: avustukset 2028"
    text, html = parts(to_chair)
    assert "Yhdistysilta: Yhdistysilta: avustukset 2028, 04.11.2027 17:00–19:30." in text
    link = f"http://127.0.0.1:8004/events/{event.event_id}"
    assert link in text and f'href="{link}"' in html
    assert f"Yhteyshenkilö: Kalle Kulttuuri, {contact}" in text
    assert to_organiser["Subject"] == "Nytt evenemang: Yhdistysilta: avustukset 2028"
    assert to_organiser["Content-Language"] == "sv" and "Föreningskväll:" in parts(to_organiser)[0]
    sql = "SELECT count(*) FROM delivery WHERE source = :s AND state = 'sent'"
    assert await count(worker, sql, s=f"EventScheduled:{envelope.event_id}") == 2
