"""Use cases of the reviewers: staff of the programme's department (or admins).

They list a round's applications, read each with internal comments and scores (never shown to the
applicant), ask the applicant to complete an application, and score it per criterion (0–5, one score per
reviewer and criterion, averaged). An applicant who owes an overdue usage report is flagged to them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from grants.adapters.applications import (
    ApplicationRepository,
    DecisionRepository,
    ReviewComment,
    ReviewCommentRepository,
    ReviewScore,
    ReviewScoreRepository,
)
from grants.adapters.repository import ApplicantCopy, ApplicantCopyRepository, ProgrammeRepository, RoundRepository
from grants.domain.application import Application, ApplicationState, Decision
from grants.domain.clock import local_date
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.service_layer.access import ensure_department_staff, hidden
from grants.service_layer.applications import Dossier, load
from grants.service_layer.usage_reports import applicants_owing_reports, has_overdue_report
from shared.auth import Principal
from shared.contracts.grants import ApplicationReturnedForCompletion
from shared.db.uow import UnitOfWork
from shared.errors import Conflict, InvalidInput, NotFound

SCORE_RANGE = range(0, 6)


@dataclass
class Reviewed:
    """An application as reviewers see it."""

    application: Application
    applicant: ApplicantCopy | None
    overdue_usage_report: bool
    decision: Decision | None
    average_score: float | None = None
    scores: list[ReviewScore] | None = None
    comments: list[ReviewComment] | None = None


async def for_reviewer(uow: UnitOfWork, actor: Principal, application_id: uuid.UUID, *, lock: bool = False) -> Dossier:
    """Drafts are the applicant's own (404); other departments' staff get 403."""
    dossier = await load(uow, application_id, for_update=lock)
    if not dossier.application.was_submitted:
        raise hidden("application")
    ensure_department_staff(actor, dossier.programme.department_code)
    return dossier


async def round_for_staff(
    uow: UnitOfWork, actor: Principal, round_id: uuid.UUID, *, lock: bool = False
) -> tuple[Round, Programme]:
    round_ = await RoundRepository(uow.session).get(round_id, for_update=lock)
    if round_ is None:
        raise NotFound("No such round.", field="round_id")
    programme = await ProgrammeRepository(uow.session).get(round_.programme_id)
    assert programme is not None
    ensure_department_staff(actor, programme.department_code)
    return round_, programme


async def list_round_applications(
    uow: UnitOfWork,
    *,
    actor: Principal,
    round_id: uuid.UUID,
    now: datetime,
    states: list[ApplicationState] | None,
    applicant_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[Reviewed], int]:
    """A round's submitted applications, first come first, with flags, average scores and decisions."""
    await round_for_staff(uow, actor, round_id)
    apps, total = await ApplicationRepository(uow.session).in_round(
        round_id, states=states, applicant_id=applicant_id, limit=limit, offset=offset
    )
    ids = [a.id for a in apps]
    decisions = await DecisionRepository(uow.session).of_applications(ids)
    averages = await ReviewScoreRepository(uow.session).averages(ids)
    who = {a.applicant_id for a in apps}
    applicants = await ApplicantCopyRepository(uow.session).by_ids(who)
    owing = await applicants_owing_reports(uow.session, who, local_date(now))
    items = [
        Reviewed(
            application=a,
            applicant=applicants.get(a.applicant_id),
            overdue_usage_report=a.applicant_id in owing,
            decision=decisions.get(a.id),
            average_score=averages.get(a.id),
        )
        for a in apps
    ]
    return items, total


async def review_application(
    uow: UnitOfWork, *, actor: Principal, application_id: uuid.UUID, now: datetime
) -> Reviewed:
    dossier = await for_reviewer(uow, actor, application_id)
    app = dossier.application
    scores = await ReviewScoreRepository(uow.session).of_application(app.id)
    return Reviewed(
        application=app,
        applicant=await ApplicantCopyRepository(uow.session).get(app.applicant_id),
        overdue_usage_report=await has_overdue_report(uow.session, app.applicant_id, local_date(now)),
        decision=await DecisionRepository(uow.session).get(app.id),
        average_score=round(sum(s.score for s in scores) / len(scores), 2) if scores else None,
        scores=scores,
        comments=await ReviewCommentRepository(uow.session).of_application(app.id),
    )


async def return_for_completion(
    uow: UnitOfWork, *, actor: Principal, application_id: uuid.UUID, message: str
) -> Application:
    """Ask the applicant to complete the application; the message stays in grants, the event says only that."""
    dossier = await for_reviewer(uow, actor, application_id, lock=True)
    if dossier.round.state is RoundState.PUBLISHED:
        raise Conflict("The round's decisions are already published.", field="round_id")
    app = dossier.application
    app.return_for_completion(message)
    await ApplicationRepository(uow.session).save(app)
    uow.emit(
        ApplicationReturnedForCompletion(application_id=app.id, applicant_id=app.applicant_id, round_id=app.round_id)
    )
    return app


async def add_comment(uow: UnitOfWork, *, actor: Principal, application_id: uuid.UUID, body: str) -> ReviewComment:
    await for_reviewer(uow, actor, application_id)
    comment = ReviewComment(id=uuid.uuid4(), application_id=application_id, author=actor.subject, body=body.strip())
    if not comment.body:
        raise InvalidInput("A comment cannot be empty.", field="body")
    await ReviewCommentRepository(uow.session).add(comment)
    return comment


async def list_comments(uow: UnitOfWork, *, actor: Principal, application_id: uuid.UUID) -> list[ReviewComment]:
    await for_reviewer(uow, actor, application_id)
    return await ReviewCommentRepository(uow.session).of_application(application_id)


def check_scores(scores: dict[str, int]) -> dict[str, int]:
    """Criteria are short names (trimmed, lower case); every score is a whole number 0–5."""
    cleaned: dict[str, int] = {}
    for criterion, score in scores.items():
        name = criterion.strip().lower()
        if not name or len(name) > 60:
            raise InvalidInput("Name each criterion in 1–60 characters.", field="scores")
        if score not in SCORE_RANGE:
            raise InvalidInput(f"Score {name!r} from 0 to 5.", field=f"scores.{criterion}")
        cleaned[name] = score
    if not cleaned:
        raise InvalidInput("Give at least one score.", field="scores")
    return cleaned


async def score_application(
    uow: UnitOfWork, *, actor: Principal, application_id: uuid.UUID, scores: dict[str, int]
) -> list[ReviewScore]:
    """Record the caller's scores; a criterion scored again replaces the caller's earlier score."""
    cleaned = check_scores(scores)
    dossier = await for_reviewer(uow, actor, application_id)
    if dossier.application.state is ApplicationState.WITHDRAWN:
        raise Conflict("A withdrawn application is not scored.", field="state")
    repo = ReviewScoreRepository(uow.session)
    await repo.upsert(application_id, actor.subject, cleaned)
    return await repo.of_application(application_id)


def criterion_averages(scores: list[ReviewScore]) -> dict[str, float]:
    """Each criterion's mean over the reviewers who scored it."""
    by_criterion: dict[str, list[int]] = {}
    for s in scores:
        by_criterion.setdefault(s.criterion, []).append(s.score)
    return {c: round(sum(v) / len(v), 2) for c, v in sorted(by_criterion.items())}
