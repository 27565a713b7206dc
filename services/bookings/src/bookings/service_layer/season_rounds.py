"""Use cases for seasonal rounds (vakiovuorohaku), and the jobs that open and close them on time.

A department's staff make and edit a draft; it opens by itself when its time comes (``open_due_season_rounds``,
run by every worker: the row lock makes each opening happen once) or earlier by hand, and closes likewise.
Who sees a round: everyone once it is open; a draft only its department's staff (and admins); to anyone else
a draft is not there at all.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

from bookings.domain.allocation_model import Weights
from bookings.domain.season_round import SeasonRound, SeasonRoundState
from bookings.service_layer.access import manages
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.bookings import SeasonRoundClosed, SeasonRoundOpened
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.scheduling import PeriodicJob


async def _check_facilities(uow: BookingsUnitOfWork, round_: SeasonRound) -> None:
    found = await uow.facilities.by_ids(set(round_.facility_ids))
    for index, facility_id in enumerate(round_.facility_ids):
        facility = found.get(facility_id)
        if facility is None or not facility.active or facility.department_code != round_.department_code:
            raise InvalidInput("Not an active facility of the round's department.", field=f"facility_ids.{index}")


async def create_season_round(uow: BookingsUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> SeasonRound:
    """A draft round of the actor's department; ``opens_at``/``closes_at`` arrive in UTC (Helsinki if no zone)."""
    round_ = SeasonRound(id=uuid.uuid4(), **fields)
    if not manages(actor, round_.department_code):
        raise Forbidden("Staff make rounds of their own department.")
    round_.validate()
    async with uow:
        if not await uow.departments.known(round_.department_code):
            raise InvalidInput("No such department in the directory.", field="department_code")
        await _check_facilities(uow, round_)
        await uow.season_rounds.add(round_)
        await uow.season_rounds.add_principles(round_)
        await uow.commit()
    return round_


def _visible(actor: Principal, round_: SeasonRound | None) -> SeasonRound:
    if round_ is None or (round_.state is SeasonRoundState.DRAFT and not manages(actor, round_.department_code)):
        raise NotFound("No such round.", field="round_id")
    return round_


async def round_for_staff(
    uow: BookingsUnitOfWork, actor: Principal, round_id: uuid.UUID, *, for_update: bool = True
) -> SeasonRound:
    """The round (locked, to change it) for its department's staff; another department's draft is not there."""
    round_ = _visible(actor, await uow.season_rounds.get(round_id, for_update=for_update))
    if not manages(actor, round_.department_code):
        raise Forbidden("Only the round's department may do this.")
    return round_


async def get_season_round(uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID) -> SeasonRound:
    async with uow:
        return _visible(actor, await uow.season_rounds.get(round_id))


async def list_season_rounds(
    uow: BookingsUnitOfWork, *, actor: Principal, department_code: str | None, limit: int, offset: int
) -> tuple[list[SeasonRound], int]:
    async with uow:
        return await uow.season_rounds.search(
            department_code=department_code,
            drafts_of=actor.department if actor.role is Role.STAFF else None,
            everywhere=actor.role is Role.ADMIN,
            limit=limit,
            offset=offset,
        )


async def update_season_round(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, changes: dict[str, Any]
) -> SeasonRound:
    """Change a draft; new principles text becomes their next version."""
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id)
        round_.ensure_editable()
        principles = changes.pop("principles", None)
        for name, value in changes.items():
            setattr(round_, name, value)
        round_.validate()
        if "facility_ids" in changes:
            await _check_facilities(uow, round_)
        if principles is not None and round_.change_principles(principles):
            await uow.season_rounds.add_principles(round_)
        await uow.season_rounds.save(round_)
        await uow.commit()
    return round_


async def change_weights(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, changes: dict[str, Any]
) -> SeasonRound:
    """Change the round's weights until it is published; what is left out stays (age groups one by one)."""
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id)
        current = asdict(round_.weights)
        ages = current["age_group_percent"] | changes.pop("age_group_percent", {})
        round_.change_weights(Weights(**(current | changes | {"age_group_percent": ages})))
        await uow.season_rounds.save(round_)
        await uow.commit()
    return round_


def _opened(r: SeasonRound) -> SeasonRoundOpened:
    return SeasonRoundOpened(
        round_id=r.id,
        department_code=r.department_code,
        name=r.name,
        opens_at=r.opens_at,
        closes_at=r.closes_at,
        season_starts_on=r.season_starts_on,
        season_ends_on=r.season_ends_on,
        facility_ids=r.facility_ids,
        principles_version=r.principles_version,
        free_use=r.free_use,
    )


async def _closed(uow: BookingsUnitOfWork, r: SeasonRound, now: datetime) -> SeasonRoundClosed:
    submitted = await uow.season_rounds.submitted_applications(r.id)
    return SeasonRoundClosed(
        round_id=r.id, department_code=r.department_code, closed_at=now, applications_submitted=submitted
    )


async def open_season_round(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, now: datetime
) -> SeasonRound:
    """Open the draft now, before its time (the worker would otherwise open it at ``opens_at``)."""
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id)
        round_.open(now)
        await uow.season_rounds.save(round_)
        uow.emit(_opened(round_))
        await uow.commit()
    return round_


async def close_season_round(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, now: datetime
) -> SeasonRound:
    """Close the application period now, before its time."""
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id)
        round_.close(now)
        await uow.season_rounds.save(round_)
        uow.emit(await _closed(uow, round_, now))
        await uow.commit()
    return round_


# -- on time, by itself (docs/decisions/0006-acting-on-time.md) ----------------------------------------------
async def open_due_season_rounds(uow: BookingsUnitOfWork, now: datetime) -> int:
    """Open every complete draft whose time has come; the row lock makes each opening happen once."""
    async with uow:
        due = await uow.season_rounds.claim(state=SeasonRoundState.DRAFT, due_column="opens_at", now=now)
        opened = 0
        for round_ in due:
            if round_.closes_at <= now:
                continue  # its whole period passed as a draft: staff decide what to do with it
            round_.open(now)
            await uow.season_rounds.save(round_)
            uow.emit(_opened(round_))
            opened += 1
        await uow.commit()
    return opened


async def close_due_season_rounds(uow: BookingsUnitOfWork, now: datetime) -> int:
    async with uow:
        due = await uow.season_rounds.claim(state=SeasonRoundState.OPEN, due_column="closes_at", now=now)
        for round_ in due:
            round_.close(now)
            await uow.season_rounds.save(round_)
            uow.emit(await _closed(uow, round_, now))
        await uow.commit()
    return len(due)


JOBS = [
    PeriodicJob("open_due_season_rounds", open_due_season_rounds),
    PeriodicJob("close_due_season_rounds", close_due_season_rounds),
]
