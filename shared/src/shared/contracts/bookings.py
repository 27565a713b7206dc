"""Events published by the bookings service: ids, slots and prices (public facts), no personal data.

A booking is one unit whether it is a single slot or a weekly series for a season: one event carries all its
occurrences, so its consumers (the notifier's one email, the calendar) see the series, not forty bookings.
Reasons typed by staff stay in bookings, for the parties.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.envelope import EventData, contract


class BookedSlot(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    occurrence_id: uuid.UUID
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class _BookingFacts(EventData):
    booking_id: uuid.UUID
    facility_id: uuid.UUID
    department_code: str
    applicant_id: uuid.UUID | None = Field(description="The booking association; None for the city's own block.")
    kind: str = Field(description="single, series or block")
    occurrences: list[BookedSlot]
    price_cents: int
    free_use_reason: str | None


@contract("bookings", "FacilityRegistered", 1)
class FacilityRegistered(EventData):
    facility_id: uuid.UUID
    name: str
    department_code: str
    address: str
    capacity: int
    contact_id: uuid.UUID | None


@contract("bookings", "BookingRequested", 1)
class BookingRequested(_BookingFacts):
    """An association asked for a slot or a season; the managing department decides."""


@contract("bookings", "BookingConfirmed", 1)
class BookingConfirmed(_BookingFacts):
    """The time is the association's (confirmed by staff, or at once where no approval is needed)."""

    # Added after version 1 was published (optional, so older messages still read).
    season_round_id: uuid.UUID | None = Field(
        default=None,
        description="The seasonal round whose published allocation made this series; None for other bookings. "
        "The applicant hears of it in the round's SeasonAllocationPublished, with all its slots at once.",
    )


@contract("bookings", "BookingRejected", 1)
class BookingRejected(_BookingFacts):
    """The managing department turned the request down; its reason stays in bookings."""


@contract("bookings", "BookingCancelled", 1)
class BookingCancelled(_BookingFacts):
    """The booking, or some occurrences of a series (``occurrences`` lists those cancelled), was cancelled."""

    whole: bool = Field(description="True when the whole booking is cancelled, False for single occurrences.")


@contract("bookings", "SeasonRoundOpened", 1)
class SeasonRoundOpened(EventData):
    """A seasonal round of regular weekly slots (vakiovuorot) takes associations' applications until it closes."""

    round_id: uuid.UUID
    department_code: str
    name: str
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    season_starts_on: date
    season_ends_on: date
    facility_ids: list[uuid.UUID]
    principles_version: int = Field(description="The version of the allocation principles the round opened with.")
    free_use: bool


@contract("bookings", "SeasonRoundClosed", 1)
class SeasonRoundClosed(EventData):
    """The round's application period is over; staff allocate the slots next."""

    round_id: uuid.UUID
    department_code: str
    closed_at: AwareDatetime
    applications_submitted: int


class SeasonSlot(BaseModel):
    """One weekly slot of a published seasonal allocation: its confirmed series at a facility."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    slot_id: uuid.UUID
    booking_id: uuid.UUID = Field(description="The confirmed weekly series the slot became.")
    facility_id: uuid.UUID
    weekday: str = Field(description="mon … sun")
    starts: str = Field(description="Local (Europe/Helsinki) wall-clock time, HH:MM, every week of the season.")
    ends: str
    first_day: date
    last_day: date
    # Added after version 1 was published (optional, so older messages still read).
    facility_name: str | None = Field(default=None, description="The facility's public name.")


@contract("bookings", "SeasonAllocationPublished", 1)
class SeasonAllocationPublished(EventData):
    """A seasonal round's results were published: one event per applicant with all the slots it was given (none
    when every wish went unmet); each slot is a confirmed weekly series."""

    round_id: uuid.UUID
    department_code: str
    applicant_id: uuid.UUID
    slots: list[SeasonSlot]
