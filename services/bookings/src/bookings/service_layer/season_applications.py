"""Associations' applications to a seasonal round, and the staff's grid of every wish per facility and weekday.

A representative makes, changes, submits and withdraws its own association's application while the round is
open, as long as the association is active in the directory (bookings' copy of it). The round's department's
staff see every application; anyone else's application is answered as missing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bookings.domain.allocation_model import WEEKDAYS
from bookings.domain.season_continuity import HeldSlot, LastSeason
from bookings.domain.season_round import ApplicationState, SeasonApplication, SeasonRound, SeasonRoundState, Wish
from bookings.service_layer.access import manages, represents
from bookings.service_layer.season_rounds import round_for_staff
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, InvalidInput, NotFound


def build_wishes(plain: list[dict[str, Any]]) -> list[Wish]:
    """Wishes from the request's plain values, in the order given (their priority)."""
    return [Wish(id=uuid.uuid4(), priority=i + 1, **w) for i, w in enumerate(plain)]


async def _ensure_active(uow: BookingsUnitOfWork, applicant_id: uuid.UUID) -> None:
    applicant = await uow.applicants.get(applicant_id)
    if applicant is None or not applicant.may_book:
        raise InvalidInput("The association is not active in the directory.", field="applicant_id")


async def _check_kinds(uow: BookingsUnitOfWork, round_: SeasonRound, wishes: list[Wish]) -> None:
    facilities = await uow.facilities.by_ids(set(round_.facility_ids))
    kinds = {p for f in facilities.values() for p in f.purposes}
    for index, wish in enumerate(wishes):
        if wish.facility_kind is not None and wish.facility_kind not in kinds:
            raise InvalidInput("No facility of the round is of this kind.", field=f"wishes.{index}.facility_kind")


async def _open_round(uow: BookingsUnitOfWork, round_id: uuid.UUID) -> SeasonRound:
    round_ = await uow.season_rounds.get(round_id)
    if round_ is None or round_.state is SeasonRoundState.DRAFT:
        raise NotFound("No such round.", field="round_id")
    return round_


async def create_application(
    uow: BookingsUnitOfWork,
    *,
    actor: Principal,
    round_id: uuid.UUID,
    applicant_id: uuid.UUID,
    wishes: list[dict[str, Any]],
    now: datetime,
) -> SeasonApplication:
    """A draft application of the actor's own association, with its wishes in priority order."""
    if not represents(actor, applicant_id):
        raise Forbidden("Only the association's representatives apply for it.")
    async with uow:
        round_ = await _open_round(uow, round_id)
        await _ensure_active(uow, applicant_id)
        application = SeasonApplication(id=uuid.uuid4(), round_id=round_.id, applicant_id=applicant_id)
        built = build_wishes(wishes)
        application.replace_wishes(built, round_, now)
        await _check_kinds(uow, round_, built)
        await uow.season_applications.add(application)
        await uow.commit()
    return application


def _sees(actor: Principal, application: SeasonApplication, round_: SeasonRound) -> bool:
    return represents(actor, application.applicant_id) or manages(actor, round_.department_code)


async def _load(
    uow: BookingsUnitOfWork, actor: Principal, application_id: uuid.UUID, *, for_update: bool = False
) -> tuple[SeasonApplication, SeasonRound]:
    application = await uow.season_applications.get(application_id, for_update=for_update)
    round_ = await uow.season_rounds.get(application.round_id) if application else None
    if application is None or round_ is None or not _sees(actor, application, round_):
        raise NotFound("No such application.", field="application_id")
    return application, round_


async def _own(
    uow: BookingsUnitOfWork, actor: Principal, application_id: uuid.UUID
) -> tuple[SeasonApplication, SeasonRound]:
    application, round_ = await _load(uow, actor, application_id, for_update=True)
    if not represents(actor, application.applicant_id):
        raise Forbidden("Only the association's representatives change its application.")
    return application, round_


async def get_application(uow: BookingsUnitOfWork, *, actor: Principal, application_id: uuid.UUID) -> SeasonApplication:
    async with uow:
        application, _ = await _load(uow, actor, application_id)
        return application


async def update_application(
    uow: BookingsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, wishes: list[dict[str, Any]], now: datetime
) -> SeasonApplication:
    """Replace a draft's wishes (their order is their priority)."""
    async with uow:
        application, round_ = await _own(uow, actor, application_id)
        built = build_wishes(wishes)
        application.replace_wishes(built, round_, now)
        await _check_kinds(uow, round_, built)
        await uow.season_applications.save(application)
        await uow.commit()
    return application


async def submit_application(
    uow: BookingsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, now: datetime
) -> SeasonApplication:
    async with uow:
        application, round_ = await _own(uow, actor, application_id)
        await _ensure_active(uow, application.applicant_id)
        application.submit(round_, now)
        await uow.season_applications.save(application)
        await uow.commit()
    return application


async def withdraw_application(
    uow: BookingsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, now: datetime
) -> SeasonApplication:
    async with uow:
        application, round_ = await _own(uow, actor, application_id)
        application.withdraw(round_, now)
        await uow.season_applications.save(application)
        await uow.commit()
    return application


# -- the staff's grid ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GridWish:
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    wish: Wish
    held_last_season: HeldSlot | None = None  # the association held this facility and weekday last season


@dataclass
class GridCell:
    facility_id: uuid.UUID
    weekday: str
    wishes: list[GridWish] = field(default_factory=list)


async def season_grid(uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID) -> list[GridCell]:
    """Every submitted wish on each facility and weekday it could have (a wish for a kind of facility on every
    facility of the round of that kind), by facility in the round's order, then weekday, then earliest start;
    each with the slot its association held there last season, when the wish continues it."""
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id, for_update=False)
        facilities = await uow.facilities.by_ids(set(round_.facility_ids))
        applications = await uow.season_applications.of_round(round_.id, state=ApplicationState.SUBMITTED)
        last_season = LastSeason(await uow.season_rounds.held_last_season(round_))
    cells = {(f, d): GridCell(f, d) for f in round_.facility_ids for d in WEEKDAYS}
    for application in applications:
        for wish in application.wishes:
            if wish.facility_id is not None:
                targets = [wish.facility_id]
            else:
                targets = [
                    f for f in round_.facility_ids if f in facilities and wish.facility_kind in facilities[f].purposes
                ]
            for facility_id in targets:
                for day in wish.weekdays:
                    if (facility_id, day) in cells:
                        held = last_season.held(application.applicant_id, wish, facility_id, day)
                        grid_wish = GridWish(application.id, application.applicant_id, wish, held)
                        cells[facility_id, day].wishes.append(grid_wish)
    for cell in cells.values():
        cell.wishes.sort(key=lambda g: (g.wish.earliest, g.wish.priority, str(g.application_id)))
    return list(cells.values())
