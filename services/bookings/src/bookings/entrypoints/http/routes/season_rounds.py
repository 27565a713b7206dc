"""/season-rounds and /season-applications: the season's call for regular weekly slots (vakiovuorot)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from bookings.domain.season_proposal import SeasonProposal
from bookings.domain.season_round import SeasonApplication, SeasonRound, Wish
from bookings.entrypoints.http.deps import Now, Uow
from bookings.entrypoints.http.season_round_schemas import (
    AssociationHoursRead,
    GridCellRead,
    GridWishRead,
    HeldSlotRead,
    ProposalRead,
    ProposedSlotRead,
    SeasonApplicationCreate,
    SeasonApplicationRead,
    SeasonApplicationUpdate,
    SeasonGridRead,
    SeasonRoundCreate,
    SeasonRoundRead,
    SeasonRoundUpdate,
    UnmetWishRead,
    WeightsRead,
    WeightsUpdate,
    WishRead,
)
from bookings.service_layer import season_applications, season_proposals, season_rounds
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, SignedIn, Staff

router = APIRouter(tags=["season rounds"])


def round_read(r: SeasonRound) -> SeasonRoundRead:
    return SeasonRoundRead(
        id=r.id,
        department_code=r.department_code,
        name=r.name,
        state=r.state.value,
        opens_at=r.opens_at,
        closes_at=r.closes_at,
        season_starts_on=r.season_starts_on,
        season_ends_on=r.season_ends_on,
        facility_ids=r.facility_ids,
        principles=r.principles,
        principles_version=r.principles_version,
        opened_principles_version=r.opened_principles_version,
        free_use=r.free_use,
        weights=WeightsRead(**asdict(r.weights)),
        opened_at=r.opened_at,
        closed_at=r.closed_at,
    )


def wish_read(w: Wish) -> WishRead:
    return WishRead(
        id=w.id,
        priority=w.priority,
        facility_id=w.facility_id,
        facility_kind=w.facility_kind,
        weekdays=list(w.weekdays),
        earliest=w.earliest.isoformat("minutes"),
        latest=w.latest.isoformat("minutes"),
        duration_minutes=w.duration_minutes,
        weekly_count=w.weekly_count,
        age_group=w.age_group.value,
        participants=w.participants,
        purpose=w.purpose,
    )


def application_read(a: SeasonApplication) -> SeasonApplicationRead:
    return SeasonApplicationRead(
        id=a.id,
        round_id=a.round_id,
        applicant_id=a.applicant_id,
        state=a.state.value,
        wishes=[wish_read(w) for w in a.wishes],
        submitted_at=a.submitted_at,
        withdrawn_at=a.withdrawn_at,
    )


@router.post("/season-rounds", status_code=201, response_model=SeasonRoundRead)
async def create(body: SeasonRoundCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Staff make a draft round of their department; it opens by itself at ``opens_at`` once it names facilities."""
    fields = body.fields()
    return await idem.created(
        uow, lambda: season_rounds.create_season_round(uow, actor=actor, fields=fields), round_read
    )


@router.get("/season-rounds", response_model=Page[SeasonRoundRead])
async def list_(
    uow: Uow,
    actor: CurrentPrincipal,
    paging: Paging,
    department_code: Annotated[str | None, Query(max_length=60)] = None,
) -> Page[SeasonRoundRead]:
    """Rounds past their draft for everyone; drafts only to their department's staff."""
    items, total = await season_rounds.list_season_rounds(
        uow, actor=actor, department_code=department_code, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[round_read(r) for r in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/season-rounds/{round_id}", response_model=SeasonRoundRead)
async def get(round_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> SeasonRoundRead:
    return round_read(await season_rounds.get_season_round(uow, actor=actor, round_id=round_id))


@router.patch("/season-rounds/{round_id}", response_model=SeasonRoundRead)
async def update(
    round_id: uuid.UUID, body: SeasonRoundUpdate, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    changes = body.fields()
    return await idem.run(
        uow,
        lambda: season_rounds.update_season_round(uow, actor=actor, round_id=round_id, changes=changes),
        round_read,
    )


@router.patch("/season-rounds/{round_id}/weights", response_model=SeasonRoundRead)
async def change_weights(
    round_id: uuid.UUID, body: WeightsUpdate, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    """Tune the weights the proposal weighs by, until the round is published (compute the proposal again to
    apply them)."""
    changes = body.fields()
    return await idem.run(
        uow,
        lambda: season_rounds.change_weights(uow, actor=actor, round_id=round_id, changes=changes),
        round_read,
    )


@router.post("/season-rounds/{round_id}/open", response_model=SeasonRoundRead)
async def open_(round_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Open the draft now, before its time."""
    return await idem.run(
        uow, lambda: season_rounds.open_season_round(uow, actor=actor, round_id=round_id, now=now), round_read
    )


@router.post("/season-rounds/{round_id}/close", response_model=SeasonRoundRead)
async def close(round_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Close the application period now, before its time."""
    return await idem.run(
        uow, lambda: season_rounds.close_season_round(uow, actor=actor, round_id=round_id, now=now), round_read
    )


@router.get("/season-rounds/{round_id}/grid", response_model=SeasonGridRead)
async def grid(round_id: uuid.UUID, uow: Uow, actor: Staff) -> SeasonGridRead:
    """Every submitted wish per facility and weekday, for the round's department's staff."""
    cells = await season_applications.season_grid(uow, actor=actor, round_id=round_id)
    return SeasonGridRead(
        round_id=round_id,
        cells=[
            GridCellRead(
                facility_id=c.facility_id,
                weekday=c.weekday,
                wishes=[
                    GridWishRead(
                        application_id=g.application_id,
                        applicant_id=g.applicant_id,
                        wish=wish_read(g.wish),
                        continues_last_season=g.held_last_season is not None,
                        held_last_season=None
                        if g.held_last_season is None
                        else HeldSlotRead(
                            round_id=g.held_last_season.round_id,
                            starts=_clock(g.held_last_season.start),
                            ends=_clock(g.held_last_season.end),
                        ),
                    )
                    for g in c.wishes
                ],
            )
            for c in cells
        ],
    )


@router.post("/season-applications", status_code=201, response_model=SeasonApplicationRead)
async def apply(body: SeasonApplicationCreate, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    """A representative drafts its association's application, its wishes in priority order."""
    wishes = body.wish_fields()
    return await idem.created(
        uow,
        lambda: season_applications.create_application(
            uow, actor=actor, round_id=body.round_id, applicant_id=body.applicant_id, wishes=wishes, now=now
        ),
        application_read,
    )


@router.get("/season-applications/{application_id}", response_model=SeasonApplicationRead)
async def get_application(application_id: uuid.UUID, uow: Uow, actor: SignedIn) -> SeasonApplicationRead:
    return application_read(await season_applications.get_application(uow, actor=actor, application_id=application_id))


@router.put("/season-applications/{application_id}/wishes", response_model=SeasonApplicationRead)
async def replace_wishes(
    application_id: uuid.UUID, body: SeasonApplicationUpdate, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent
) -> JSONResponse:
    """Replace a draft's wishes, in priority order."""
    wishes = body.wish_fields()
    return await idem.run(
        uow,
        lambda: season_applications.update_application(
            uow, actor=actor, application_id=application_id, wishes=wishes, now=now
        ),
        application_read,
    )


@router.post("/season-applications/{application_id}/submit", response_model=SeasonApplicationRead)
async def submit(application_id: uuid.UUID, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    return await idem.run(
        uow,
        lambda: season_applications.submit_application(uow, actor=actor, application_id=application_id, now=now),
        application_read,
    )


@router.post("/season-applications/{application_id}/withdraw", response_model=SeasonApplicationRead)
async def withdraw(application_id: uuid.UUID, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    return await idem.run(
        uow,
        lambda: season_applications.withdraw_application(uow, actor=actor, application_id=application_id, now=now),
        application_read,
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def proposal_read(p: SeasonProposal) -> ProposalRead:
    return ProposalRead(
        round_id=p.round_id,
        computed_at=p.computed_at,
        status=p.status,
        seconds=p.seconds,
        share_of_weighted_demand_met=round(p.share_met, 4),
        slots_met=p.slots_met,
        slots_wished=p.slots_wished,
        wishes_met=p.wishes_met,
        wishes_total=p.wishes_total,
        weights=p.weights,
        objective=p.objective,
        notes=p.notes,
        hours_per_association=[
            AssociationHoursRead(applicant_id=a, hours_per_week=h) for a, h in p.hours_per_association().items()
        ],
        slots=[
            ProposedSlotRead(
                id=s.id,
                wish_id=s.wish_id,
                application_id=s.application_id,
                applicant_id=s.applicant_id,
                facility_id=s.facility_id,
                weekday=s.weekday,
                starts=_clock(s.start),
                ends=_clock(s.end),
                booking_id=s.booking_id,
                declined=s.declined,
            )
            for s in p.slots
        ],
        unmet=[UnmetWishRead.model_validate(u, from_attributes=True) for u in p.unmet],
        published_at=p.published_at,
    )


@router.post("/season-rounds/{round_id}/proposal", response_model=ProposalRead)
async def propose(round_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Compute the allocation proposal of a closed round (again: it replaces the earlier one)."""
    return await idem.run(
        uow,
        lambda: season_proposals.compute_proposal(uow, actor=actor, round_id=round_id, now=now),
        proposal_read,
    )


@router.get("/season-rounds/{round_id}/proposal", response_model=ProposalRead)
async def get_proposal(round_id: uuid.UUID, uow: Uow, actor: Staff) -> ProposalRead:
    """The proposal with its report: wishes met of all, hours per association, unmet wishes with the reason."""
    return proposal_read(await season_proposals.get_proposal(uow, actor=actor, round_id=round_id))
