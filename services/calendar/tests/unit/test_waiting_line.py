"""The waiting line's rules: the head is promoted while it fits, nobody jumps it, capacity is never exceeded."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from calendar_service.domain.event import Event, EventState
from calendar_service.domain.registration import Registration, RegistrationState, fits, promotions
from shared.contracts.calendar import EventKind
from shared.errors import Conflict

START = datetime(2027, 3, 9, 16, tzinfo=UTC)


def event(capacity: int | None, taken: int) -> Event:
    return Event(
        id=uuid.uuid4(), kind=EventKind.INFO, title_fi="Info", department_code="culture", starts_at=START,
        ends_at=START + timedelta(hours=2), capacity=capacity, seats_taken=taken, state=EventState.PUBLISHED,
        address="Hallituskatu 12",
    )  # fmt: skip


def waiting(*sizes: int) -> list[Registration]:
    return [
        Registration(
            uuid.uuid4(),
            uuid.uuid4(),
            uuid.uuid4(),
            n,
            RegistrationState.WAITLISTED,
            "x",
            "x@example.org",
            queue_number=i,
        )
        for i, n in enumerate(sizes)
    ]


@pytest.mark.parametrize(
    ("capacity", "taken", "sizes", "promoted"),
    [
        (20, 19, (1, 1), 1),  # one seat freed: the head only
        (20, 17, (1, 2, 1), 2),  # three seats: the head and the next, then it is full
        (20, 18, (3, 1), 0),  # the head needs three: nobody behind it jumps the line
        (20, 0, (5, 5, 5, 5, 5), 4),
        (None, 100, (50, 50), 2),  # no limit: everyone
    ],
)
def test_the_head_of_the_line_is_promoted_while_it_fits(
    capacity: int | None, taken: int, sizes: tuple[int, ...], promoted: int
) -> None:
    e, line = event(capacity, taken), waiting(*sizes)
    chosen = promotions(e, line)
    assert chosen == line[:promoted]
    if capacity is not None:
        assert taken + sum(r.participants for r in chosen) <= capacity


def test_fits_and_cancelling_before_and_after_the_cutoff() -> None:
    e = event(3, 2)
    assert fits(e, 1) and not fits(e, 2)
    [r] = waiting(1)
    r.state = RegistrationState.CONFIRMED
    assert r.cancel(e, START - timedelta(minutes=1)) is True and r.state is RegistrationState.CANCELLED
    with pytest.raises(Conflict):
        r.cancel(e, START - timedelta(minutes=1))  # twice
    [late] = waiting(1)
    with pytest.raises(Conflict):
        late.cancel(e, START)
    e.cancellation_cutoff_at = START - timedelta(days=1)
    with pytest.raises(Conflict):
        waiting(1)[0].cancel(e, START - timedelta(hours=1))


def test_registration_opens_and_closes_with_its_window_and_only_when_published() -> None:
    e = event(10, 0)
    e.registration_opens_at, e.registration_closes_at = START - timedelta(days=7), START - timedelta(days=1)
    with pytest.raises(Conflict):
        e.ensure_registration_open(START - timedelta(days=8))
    e.ensure_registration_open(START - timedelta(days=2))
    with pytest.raises(Conflict):
        e.ensure_registration_open(START - timedelta(days=1))
    e.state = EventState.DRAFT
    with pytest.raises(Conflict):
        e.ensure_registration_open(START - timedelta(days=2))
