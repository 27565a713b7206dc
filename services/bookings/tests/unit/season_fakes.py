"""Bookings' unit of work without a database for the seasonal rounds' use cases (``tests/unit``).

As in grants' fakes: each fake repository keeps copies of dataclasses and answers the custom queries the use
cases ask the way the SQL does; it subclasses the real repository only so the use cases type-check. The rest
(facilities, the directory's copies, the rollback) is ``fakes.FakeBookingsUnitOfWork``'s.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, time

from bookings.adapters.season_rounds import (
    SeasonApplicationRepository,
    SeasonProposalRepository,
    SeasonRoundRepository,
    held_of,
)
from bookings.domain.season_continuity import HeldSlot
from bookings.domain.season_proposal import SeasonProposal
from bookings.domain.season_round import ApplicationState, SeasonApplication, SeasonRound, SeasonRoundState
from shared.errors import Conflict
from shared.testing.uow import InMemoryRepository

from ..fakes import FakeBookingsUnitOfWork


class FakeApplications(InMemoryRepository[SeasonApplication], SeasonApplicationRepository):
    async def add(self, obj: SeasonApplication) -> None:
        live = [a for a in self.rows.values() if a.state is not ApplicationState.WITHDRAWN]
        if any(a.round_id == obj.round_id and a.applicant_id == obj.applicant_id for a in live):
            raise Conflict("The association already has an application in this round.", field="applicant_id")
        await super().add(obj)

    async def of_round(self, round_id: uuid.UUID, *, state: ApplicationState) -> list[SeasonApplication]:
        return [copy.deepcopy(a) for a in self.rows.values() if a.round_id == round_id and a.state is state]


class FakeRounds(InMemoryRepository[SeasonRound], SeasonRoundRepository):
    applications: FakeApplications
    proposals: FakeProposals

    def __init__(self) -> None:
        super().__init__()
        self.principles: dict[tuple[uuid.UUID, int], str] = {}

    async def claim(self, *, state: SeasonRoundState, due_column: str, now: datetime) -> list[SeasonRound]:
        due = [r for r in self.rows.values() if r.state is state and getattr(r, due_column) <= now]
        if state is SeasonRoundState.DRAFT:
            due = [r for r in due if r.facility_ids]
        return [copy.deepcopy(r) for r in sorted(due, key=lambda r: getattr(r, due_column))]

    async def add_principles(self, round_: SeasonRound) -> None:
        self.principles.setdefault((round_.id, round_.principles_version), round_.principles)

    async def submitted_applications(self, round_id: uuid.UUID) -> int:
        return len(await self.applications.of_round(round_id, state=ApplicationState.SUBMITTED))

    async def weekly_series(self, round_: SeasonRound) -> list[tuple[uuid.UUID, int, time, time]]:
        return []

    async def held_last_season(self, round_: SeasonRound) -> list[HeldSlot]:
        earlier = [
            r for r in self.rows.values()
            if r.department_code == round_.department_code and r.state is SeasonRoundState.PUBLISHED
            and r.id != round_.id and r.season_starts_on < round_.season_starts_on
            and set(r.facility_ids) & set(round_.facility_ids) and r.id in self.proposals.rows
        ]  # fmt: skip
        if not earlier:
            return []
        last = max(earlier, key=lambda r: r.season_starts_on)
        return held_of(last.id, self.proposals.rows[last.id].slots, set(round_.facility_ids))


class FakeProposals(InMemoryRepository[SeasonProposal], SeasonProposalRepository):
    """Keyed by the round (one proposal a round), so the unit of work's rollback covers it too."""

    async def put(self, proposal: SeasonProposal) -> None:
        self.rows[proposal.round_id] = copy.deepcopy(proposal)

    async def get(self, id_: uuid.UUID, *, for_update: bool = False) -> SeasonProposal | None:
        return copy.deepcopy(self.rows.get(id_))


class FakeSeasonUnitOfWork(FakeBookingsUnitOfWork):  # type: ignore[misc]  # mypy sees `..fakes` as Any here
    """Bookings' fake unit of work (its facilities, copies, rollback) with the seasonal rounds' repositories."""

    season_rounds: FakeRounds
    season_applications: FakeApplications
    season_proposals: FakeProposals

    def _open_fakes(self) -> None:
        super()._open_fakes()
        self.season_rounds = FakeRounds()
        self.season_applications = FakeApplications()
        self.season_proposals = FakeProposals()
        self.season_rounds.applications = self.season_applications
        self.season_rounds.proposals = self.season_proposals
