"""Staff's hand allocation on top of the proposal: assign a wish to a slot, move a slot, reject a wish.

Every change is checked before it is kept: the slot lies within the facility's opening hours on its weekday,
overlaps no other allocated slot of the round nor the season's confirmed weekly series (the facility's
buffer after each included), and a wish has at most its weekly count of slots, one a day. After each change
the report is counted again (``recount``): slots and wishes met, the weighted demand met, the unmet wishes
with their reasons (a rejected wish's reason is the one staff gave).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace

from bookings.domain.allocation_model import WEEKDAYS, Busy, FacilitySpec, Weights
from bookings.domain.allocation_solver import COMPETED
from bookings.domain.season_proposal import ProposedSlot, RejectedWish, SeasonProposal, UnmetWish, wish_spec
from bookings.domain.season_round import SeasonApplication, Wish
from shared.errors import Conflict, InvalidInput, NotFound

NOT_PLACED = "not allocated by hand"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_place(
    slot: ProposedSlot, proposal: SeasonProposal, facilities: dict[uuid.UUID, FacilitySpec], busy: list[Busy]
) -> None:
    """Refuse a slot outside the opening hours or on time another slot or a confirmed series holds."""
    facility = facilities.get(slot.facility_id)
    if facility is None:
        raise InvalidInput("Not an active facility of the round.", field="facility_id")
    if slot.weekday not in WEEKDAYS:
        raise InvalidInput("Name the weekday (mon … sun).", field="weekday")
    day = WEEKDAYS.index(slot.weekday)
    if not 0 <= slot.start < slot.end <= 24 * 60:
        raise InvalidInput("The slot ends after it starts, the same day.", field="ends")
    hours = facility.hours.get(day)
    if hours is None or slot.start < hours[0] or slot.end > hours[1]:
        raise InvalidInput("The slot is outside the facility's opening hours.", field="starts")
    for other in proposal.slots:
        same_day = (other.facility_id, other.weekday) == (slot.facility_id, slot.weekday)
        if other.id == slot.id or other.declined or not same_day:
            continue
        if slot.start < other.end + facility.buffer and other.start < slot.end + facility.buffer:
            raise Conflict(
                f"Another slot holds the facility {slot.weekday} {_clock(other.start)}–{_clock(other.end)}, "
                "buffer included.",
                field="starts",
            )
    for b in busy:
        if (b.facility_id, b.weekday) != (slot.facility_id, day):
            continue
        if slot.start < b.end and b.start < slot.end + facility.buffer:
            raise Conflict(
                f"A confirmed series holds the facility {slot.weekday} {_clock(b.start)}–{_clock(b.end)}, "
                "buffer included.",
                field="starts",
            )


def _wish_fits(wish: Wish, slot: ProposedSlot, proposal: SeasonProposal) -> None:
    others = [s for s in proposal.slots if s.wish_id == wish.id and s.id != slot.id and not s.declined]
    if len(others) >= wish.weekly_count:
        raise Conflict(f"The wish already has its {wish.weekly_count} weekly slots.", field="wish_id")
    if any(s.weekday == slot.weekday for s in others):
        raise Conflict("The wish already has a slot on this weekday.", field="weekday")


def assign(
    proposal: SeasonProposal,
    application: SeasonApplication,
    wish: Wish,
    slot: ProposedSlot,
    facilities: dict[uuid.UUID, FacilitySpec],
    busy: list[Busy],
) -> ProposedSlot:
    """Give the wish the slot (a rejection of the wish is lifted)."""
    _wish_fits(wish, slot, proposal)
    check_place(slot, proposal, facilities, busy)
    proposal.slots.append(slot)
    proposal.rejected = [r for r in proposal.rejected if r.wish_id != wish.id]
    return slot


def move(
    proposal: SeasonProposal,
    slot_id: uuid.UUID,
    wish: Wish,
    *,
    facility_id: uuid.UUID,
    weekday: str,
    start: int,
    end: int,
    facilities: dict[uuid.UUID, FacilitySpec],
    busy: list[Busy],
) -> ProposedSlot:
    current = slot_of(proposal, slot_id)
    moved = replace(current, facility_id=facility_id, weekday=weekday, start=start, end=end)
    _wish_fits(wish, moved, proposal)
    check_place(moved, proposal, facilities, busy)
    proposal.slots = [moved if s.id == slot_id else s for s in proposal.slots]
    return moved


def reject(proposal: SeasonProposal, wish: Wish, reason: str) -> None:
    """Turn the wish down: its slots are freed and the reason is the one the report gives."""
    if not reason.strip():
        raise InvalidInput("A rejection gives its reason.", field="reason")
    proposal.slots = [s for s in proposal.slots if s.wish_id != wish.id]
    proposal.rejected = [*(r for r in proposal.rejected if r.wish_id != wish.id), RejectedWish(wish.id, reason.strip())]


def slot_of(proposal: SeasonProposal, slot_id: uuid.UUID) -> ProposedSlot:
    found = next((s for s in proposal.slots if s.id == slot_id), None)
    if found is None:
        raise NotFound("No such slot in the round's allocation.", field="slot_id")
    return found


def ensure_editable(proposal: SeasonProposal) -> None:
    if proposal.published_at is not None:
        raise Conflict("The allocation is published; it is no longer changed by hand.", field="round_id")


def recount(proposal: SeasonProposal, applications: list[SeasonApplication]) -> None:
    """The report again, from the slots as they now stand."""
    weights = Weights(**proposal.weights)  # type: ignore[arg-type]
    earlier = {u.wish_id: u.reason for u in proposal.unmet}
    rejected = {r.wish_id: r.reason for r in proposal.rejected}
    met: dict[uuid.UUID, int] = defaultdict(int)
    for s in proposal.slots:
        if not s.declined:
            met[s.wish_id] += 1
    demand = weighted = wished = 0
    unmet = []
    for a in applications:
        for w in a.wishes:
            value = weights.slot_value(wish_spec(a.applicant_id, w))
            demand += value * max(w.weekly_count, met[w.id])
            weighted += value * met[w.id]
            wished += max(w.weekly_count, met[w.id])
            if met[w.id] < w.weekly_count:
                reason = rejected.get(w.id) or earlier.get(w.id) or COMPETED
                unmet.append(UnmetWish(w.id, a.id, a.applicant_id, w.priority, met[w.id], w.weekly_count, reason))
    proposal.weighted_demand, proposal.weighted_met = demand, weighted
    proposal.slots_met, proposal.slots_wished = sum(met.values()), wished
    proposal.wishes_total = sum(len(a.wishes) for a in applications)
    proposal.wishes_met = proposal.wishes_total - len(unmet)
    proposal.unmet = sorted(unmet, key=lambda u: (str(u.applicant_id), u.priority))
    proposal.slots.sort(key=lambda s: (str(s.facility_id), WEEKDAYS.index(s.weekday), s.start))
