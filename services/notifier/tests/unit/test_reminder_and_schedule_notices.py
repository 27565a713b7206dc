"""The notices of usage reports, partnership discussions, seasonal allocations and scheduled events, on the fake
unit of work and directory: which notice an event makes, for whom, with which link and liaison contact.

The subscribers themselves are driven, as in ``test_notification_use_cases``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from structlog.testing import capture_logs

from notifier.adapters.directory import Contact, DirectoryUnavailable
from notifier.adapters.grants import GrantsUnavailable
from notifier.config import Settings
from notifier.entrypoints.messaging.subscribers import subscriptions
from shared.contracts.bookings import BookedSlot, BookingConfirmed, SeasonAllocationPublished, SeasonSlot
from shared.contracts.calendar import EventAudience, EventKind, EventScheduled
from shared.contracts.directory import MessageTopic
from shared.contracts.envelope import Envelope, EventData
from shared.contracts.grants import (
    ApplicationReturnedForCompletion,
    ApplicationSubmitted,
    PartnershipDiscussionDue,
    UsageReportDue,
    UsageReportOverdue,
)
from shared.messaging.consumer import EventMeta

from ..fakes import FakeCalendar, FakeDirectory, FakeGrants, FakeNotifierUnitOfWork

pytestmark = pytest.mark.unit
SETTINGS = Settings(
    bookings_public_url="https://varaukset.example", grants_public_url="https://avustukset.example",
    calendar_public_url="https://tapahtumat.example",
)  # fmt: skip
COORDINATOR = Contact("Kaisa Koordinaattori", "koordinaattori@pori.example", "yhteyskoordinaattori")


async def handle(
    directory: FakeDirectory, uow: FakeNotifierUnitOfWork, event: EventData | Envelope[Any],
    grants: FakeGrants | None = None,
) -> Envelope[Any]:  # fmt: skip
    """The event's subscriber, on a new envelope of ``event`` (or on this envelope again, as a redelivery)."""
    envelope = event if isinstance(event, Envelope) else Envelope.wrap(event)
    data = envelope.data
    container: Any = SimpleNamespace(
        settings=SETTINGS, directory=directory, calendar=FakeCalendar(), grants=grants or FakeGrants()
    )
    (sub,) = [s for s in subscriptions(container) if s.contract is type(data)]
    await sub.handler(uow, data, EventMeta.of(envelope))
    return envelope


def usage_report(association: uuid.UUID, programme: uuid.UUID | None, *, overdue: bool = False) -> Any:
    contract = UsageReportOverdue if overdue else UsageReportDue
    return contract(
        report_id=uuid.uuid4(), application_id=uuid.uuid4(), applicant_id=association, programme_id=programme,
        department_code="culture" if programme else None, due_date=date(2027, 3, 31),
    )  # fmt: skip


async def test_a_usage_report_due_reminds_those_who_chose_grants_naming_the_programme_s_contact() -> None:
    uow, directory, club, programme = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4(), uuid.uuid4()
    rep = directory.add(club, topics={MessageTopic.GRANTS})
    directory.add(club, topics={MessageTopic.BOOKINGS})
    directory.contacts[f"grants:programme:{programme}"] = Contact("Pia Ohjelma", "pia@pori.example", None, "044 1")
    directory.contacts["coordinator"] = COORDINATOR
    event = usage_report(club, programme)
    await handle(directory, uow, event)
    (mail,) = uow.deliveries.rows.values()
    assert mail.recipient_ref == rep.ref and mail.subject == "Muistutus: avustuksen käyttöselvitys"
    assert "viimeistään 31.03.2027" in mail.text_body
    assert f"https://avustukset.example/usage-reports/{event.report_id}" in mail.text_body
    assert "Yhteyshenkilö: Pia Ohjelma, pia@pori.example, 044 1" in mail.text_body
    assert {"contact": (f"grants:programme:{programme}", "culture")} in directory.asked


async def test_an_overdue_report_follows_up_and_falls_back_to_the_coordinator() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.GRANTS}, languages=("en",))
    directory.contacts["coordinator"] = COORDINATOR
    await handle(directory, uow, usage_report(club, None, overdue=True))  # an older message: no programme
    (mail,) = uow.deliveries.rows.values()
    assert mail.subject == "The usage report is overdue" and "due by 31.03.2027" in mail.text_body
    assert "Contact: Kaisa Koordinaattori (yhteyskoordinaattori), koordinaattori@pori.example" in mail.text_body


async def test_nobody_to_tell_asks_no_contact() -> None:
    uow, directory = FakeNotifierUnitOfWork(), FakeDirectory()
    await handle(directory, uow, usage_report(uuid.uuid4(), uuid.uuid4()))
    assert uow.deliveries.rows == {} and not any("contact" in a for a in directory.asked)


async def test_a_partnership_discussion_due_tells_the_partner_s_representatives_who_chose_partnership() -> None:
    uow, directory, partner = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    rep = directory.add(partner, topics={MessageTopic.PARTNERSHIP}, languages=("sv",))
    directory.add(partner, topics={MessageTopic.GRANTS})
    event = PartnershipDiscussionDue(
        agreement_id=uuid.uuid4(), discussion_id=uuid.uuid4(), applicant_id=partner, due_on=date(2027, 6, 30),
        department_code="sports",
    )  # fmt: skip
    directory.contacts["department:sports"] = Contact("Sami Liikunta", "sami@pori.example")
    await handle(directory, uow, event)
    (mail,) = uow.deliveries.rows.values()
    assert mail.recipient_ref == rep.ref and mail.subject == "Dags för partnerskapssamtalet"
    link = f"https://avustukset.example/partnerships/{event.agreement_id}/discussions/{event.discussion_id}"
    assert link in mail.text_body and "senast 30.06.2027" in mail.text_body
    assert "Kontaktperson: Sami Liikunta, sami@pori.example" in mail.html_body
    assert {"contact": (f"grants:partnership:{event.agreement_id}", "sports")} in directory.asked


def season_slot(weekday: str, starts: str, ends: str, facility: str | None = "Itätuulen sali") -> SeasonSlot:
    return SeasonSlot(
        slot_id=uuid.uuid4(), booking_id=uuid.uuid4(), facility_id=uuid.uuid4(), weekday=weekday, starts=starts,
        ends=ends, first_day=date(2027, 9, 6), last_day=date(2028, 5, 29), facility_name=facility,
    )  # fmt: skip


async def test_a_published_allocation_is_one_mail_listing_all_the_applicant_s_slots() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS})
    event = SeasonAllocationPublished(
        round_id=uuid.uuid4(), department_code="sports", applicant_id=club,
        slots=[season_slot("thu", "18:00", "20:00"), season_slot("mon", "17:00", "18:30", None)],
    )  # fmt: skip
    await handle(directory, uow, event)
    (mail,) = uow.deliveries.rows.values()
    assert mail.subject == "Vakiovuorot on jaettu"
    assert "- ma 17:00–18:30 (06.09.2027–29.05.2028)\n- to 18:00–20:00, Itätuulen sali (06.09.2027" in mail.text_body
    assert f"https://varaukset.example/season-rounds/{event.round_id}/results" in mail.text_body


async def test_an_allocation_with_no_slot_says_the_wishes_went_unmet() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS}, languages=("en",))
    event = SeasonAllocationPublished(round_id=uuid.uuid4(), department_code="sports", applicant_id=club, slots=[])
    await handle(directory, uow, event)
    (mail,) = uow.deliveries.rows.values()
    assert "could not be met this time" in mail.text_body


async def test_a_season_series_confirmed_is_not_mailed_on_its_own() -> None:
    uow, directory, club = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.BOOKINGS})
    at = datetime(2027, 9, 6, 14, tzinfo=UTC)
    series = BookingConfirmed(
        booking_id=uuid.uuid4(), facility_id=uuid.uuid4(), department_code="sports", applicant_id=club,
        kind="series", price_cents=0, free_use_reason=None, season_round_id=uuid.uuid4(),
        occurrences=[BookedSlot(occurrence_id=uuid.uuid4(), starts_at=at, ends_at=at.replace(hour=16))],
    )  # fmt: skip
    await handle(directory, uow, series)
    assert uow.deliveries.rows == {} and directory.asked == []


def scheduled(audience: EventAudience | None, *, online: bool = False) -> EventScheduled:
    return EventScheduled(
        event_id=uuid.uuid4(), kind=EventKind.WORKSHOP, title="Avustushakemus kuntoon", online=online,
        starts_at=datetime(2027, 2, 3, 15, tzinfo=UTC), ends_at=datetime(2027, 2, 3, 17, tzinfo=UTC),
        facility_id=None, capacity=30, department_code="culture", revision=2, audience=audience,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("audience", "kinds"),
    [(EventAudience.ASSOCIATIONS, ["registered_association", "unregistered_group"]),
     (None, ["registered_association", "unregistered_group"]), (EventAudience.EVERYONE, [])],
)  # fmt: skip
async def test_a_scheduled_event_tells_its_audience_who_chose_events(
    audience: EventAudience | None, kinds: list[str]
) -> None:
    uow, directory = FakeNotifierUnitOfWork(), FakeDirectory()
    association = directory.add(uuid.uuid4(), topics={MessageTopic.EVENTS})
    person = directory.add(uuid.uuid4(), topics={MessageTopic.EVENTS}, kind="private_person")
    directory.add(uuid.uuid4(), topics={MessageTopic.GRANTS})
    directory.contacts["department:culture"] = Contact("Kalle Kulttuuri", "kalle@pori.example")
    event = scheduled(audience)
    await handle(directory, uow, event)
    told = {ref for _, ref in uow.deliveries.rows}
    assert told == ({association.ref} if kinds else {association.ref, person.ref})
    assert {"topic": MessageTopic.EVENTS, "kinds": kinds, "fields_of_activity": []} in directory.asked
    mail = next(d for (_, ref), d in uow.deliveries.rows.items() if ref == association.ref)
    assert mail.subject == "Uusi tilaisuus: Avustushakemus kuntoon"
    assert "Työpaja: Avustushakemus kuntoon, 03.02.2027 17:00–19:00." in mail.text_body
    assert f"https://tapahtumat.example/events/{event.event_id}" in mail.text_body
    assert "Yhteyshenkilö: Kalle Kulttuuri, kalle@pori.example" in mail.text_body


@pytest.mark.parametrize(
    ("audience", "asked"), [(EventAudience.GRANTEES, "grantees"), (EventAudience.PARTNERS, "partners")]
)
async def test_an_event_for_grantees_or_partners_tells_those_grants_names_who_chose_events(
    audience: EventAudience, asked: str
) -> None:
    uow, directory, grants = FakeNotifierUnitOfWork(), FakeDirectory(), FakeGrants()
    club, choir, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    chair, singer = (
        directory.add(club, topics={MessageTopic.EVENTS}),
        directory.add(choir, topics={MessageTopic.EVENTS}),
    )
    directory.add(club, topics={MessageTopic.GRANTS})  # did not choose events
    directory.add(other, topics={MessageTopic.EVENTS})  # neither a grantee nor a partner
    named = [club, choir, club]  # an association twice (it holds two grants): its people are told once
    grants.holding_grants = grants.in_partnership = named
    directory.contacts["department:culture"] = Contact("Kalle Kulttuuri", "kalle@pori.example")
    event = scheduled(audience)

    envelope = await handle(directory, uow, event, grants)
    await handle(directory, uow, envelope, grants)  # the same event delivered again: nothing more

    assert grants.asked == [asked, asked]
    assert {ref for _, ref in uow.deliveries.rows} == {chair.ref, singer.ref}
    mail = uow.deliveries.rows[(f"EventScheduled:{envelope.event_id}", chair.ref)]
    assert mail.subject == "Uusi tilaisuus: Avustushakemus kuntoon" and mail.address == chair.email
    assert "Yhteyshenkilö: Kalle Kulttuuri, kalle@pori.example" in mail.text_body
    assert {"association_id": club, "topic": MessageTopic.EVENTS} in directory.asked
    assert not any(a.get("association_id") == other for a in directory.asked)


async def test_an_event_for_grantees_when_grants_is_down_fails_and_makes_nothing_until_retried() -> None:
    uow, directory, grants, club = FakeNotifierUnitOfWork(), FakeDirectory(), FakeGrants(), uuid.uuid4()
    rep = directory.add(club, topics={MessageTopic.EVENTS})
    grants.holding_grants, grants.down = [club], True
    event = Envelope.wrap(scheduled(EventAudience.GRANTEES))
    with pytest.raises(GrantsUnavailable):
        await handle(directory, uow, event, grants)
    assert uow.deliveries.rows == {} and uow.commits == 0 and directory.asked == []
    grants.down, directory.down = False, True  # grants is back, the directory is not: still nothing
    with pytest.raises(DirectoryUnavailable):
        await handle(directory, uow, event, grants)
    assert uow.deliveries.rows == {} and uow.commits == 0
    directory.down = False  # the consumer's retry
    await handle(directory, uow, event, grants)
    assert {ref for _, ref in uow.deliveries.rows} == {rep.ref}


async def test_an_event_for_grantees_when_nobody_holds_a_grant_tells_nobody() -> None:
    uow, directory, grants = FakeNotifierUnitOfWork(), FakeDirectory(), FakeGrants()
    directory.add(uuid.uuid4(), topics={MessageTopic.EVENTS})
    await handle(directory, uow, scheduled(EventAudience.PARTNERS), grants)
    assert uow.deliveries.rows == {} and directory.asked == [] and grants.asked == ["partners"]


async def test_an_event_for_the_city_s_staff_tells_no_association_and_asks_nobody() -> None:
    uow, directory, grants = FakeNotifierUnitOfWork(), FakeDirectory(), FakeGrants()
    directory.add(uuid.uuid4(), topics={MessageTopic.EVENTS})
    directory.contacts["coordinator"] = COORDINATOR
    grants.holding_grants = grants.in_partnership = [uuid.uuid4()]
    with capture_logs() as logs:
        await handle(directory, uow, scheduled(EventAudience.STAFF), grants)
    assert uow.deliveries.rows == {} and directory.asked == [] and grants.asked == []
    [logged] = [e for e in logs if e["event"] == "event_audience_not_told"]
    assert logged["audience"] == "staff" and logged["reason"] == "city_staff_are_not_mailed"


async def test_an_online_event_says_so_in_the_reader_s_language() -> None:
    uow, directory = FakeNotifierUnitOfWork(), FakeDirectory()
    directory.add(uuid.uuid4(), topics={MessageTopic.EVENTS}, languages=("sv",))
    await handle(directory, uow, scheduled(EventAudience.EVERYONE, online=True))
    (mail,) = uow.deliveries.rows.values()
    assert mail.subject == "Nytt evenemang: Avustushakemus kuntoon"
    assert "Workshop: Avustushakemus kuntoon, 03.02.2027 17:00–19:00 (på nätet)." in mail.text_body


async def test_the_earlier_grant_and_booking_notices_name_their_responsible_contact_too() -> None:
    uow, directory, club, programme = FakeNotifierUnitOfWork(), FakeDirectory(), uuid.uuid4(), uuid.uuid4()
    directory.add(club, topics={MessageTopic.GRANTS, MessageTopic.BOOKINGS})
    facility = uuid.uuid4()
    directory.contacts[f"grants:programme:{programme}"] = Contact("Pia Ohjelma", "pia@pori.example")
    directory.contacts[f"bookings:facility:{facility}"] = Contact("Tero Tila", "tero@pori.example")
    directory.contacts["coordinator"] = COORDINATOR
    at = datetime(2027, 9, 6, 14, tzinfo=UTC)
    events: list[EventData] = [
        ApplicationSubmitted(application_id=uuid.uuid4(), round_id=uuid.uuid4(), programme_id=programme,
                             applicant_id=club, requested_cents=100_000),
        ApplicationReturnedForCompletion(application_id=uuid.uuid4(), applicant_id=club, round_id=uuid.uuid4()),
        BookingConfirmed(booking_id=uuid.uuid4(), facility_id=facility, department_code="sports", applicant_id=club,
                         kind="single", price_cents=0, free_use_reason=None,
                         occurrences=[BookedSlot(occurrence_id=uuid.uuid4(), starts_at=at, ends_at=at)]),
    ]  # fmt: skip
    footers = []
    for event in events:
        envelope = await handle(directory, uow, event)
        (mail,) = [d for (source, _), d in uow.deliveries.rows.items() if source.endswith(str(envelope.event_id))]
        footers.append(mail.text_body.split("--")[-1])
    assert "Pia Ohjelma, pia@pori.example" in footers[0]
    assert "Kaisa Koordinaattori" in footers[1]  # no programme in the event: the coordinator answers
    assert "Tero Tila, tero@pori.example" in footers[2]
