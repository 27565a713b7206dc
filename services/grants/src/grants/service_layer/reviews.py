"""Use cases of the reviewers: staff of the programme's department (or admins).

They list a round's applications, read each with internal comments and scores (never shown to the
applicant), ask the applicant to complete an application, and score it per criterion (0–5, one score per
reviewer and criterion, averaged). An applicant who owes an overdue usage report is flagged to them.

``for_reviewer`` and ``round_for_staff`` run inside a use case's unit of work (the decisions use them too).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from grants.adapters.applications import ReviewComment as ReviewComment  # re-exported: the routes map them
from grants.adapters.applications import ReviewScore as ReviewScore
from grants.adapters.repository import ApplicantCopy
from grants.domain.application import Application, ApplicationState, Decision
from grants.domain.programme import Programme
from grants.domain.round import Round, RoundState
from grants.service_layer.access import ensure_department_staff, hidden
from grants.service_layer.applications import Dossier, load
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from grants.service_layer.usage_reports import applicants_owing_reports, has_overdue_report
from shared.auth import Principal
from shared.contracts.grants import ApplicationReturnedForCompletion
from shared.errors import Conflict, InvalidInput, NotFound
from shared.localtime import local_date

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


async def for_reviewer(
    uow: GrantsUnitOfWork, actor: Principal, application_id: uuid.UUID, *, lock: bool = False
) -> Dossier:
    """Drafts are the applicant's own (404); other departments' staff get 403."""
    dossier = await load(uow, application_id, for_update=lock)
    if not dossier.application.was_submitted:
        raise hidden("application")
    ensure_department_staff(actor, dossier.programme.department_code)
    return dossier


async def round_for_staff(
    uow: GrantsUnitOfWork, actor: Principal, round_id: uuid.UUID, *, lock: bool = False
) -> tuple[Round, Programme]:
    round_ = await uow.rounds.get(round_id, for_update=lock)
    if round_ is None:
        raise NotFound("No such round.", field="round_id")
    programme = await uow.programmes.get(round_.programme_id)
    assert programme is not None
    ensure_department_staff(actor, programme.department_code)
    return round_, programme


async def list_round_applications(
    uow: GrantsUnitOfWork,
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
    async with uow:
        await round_for_staff(uow, actor, round_id)
        apps, total = await uow.applications.in_round(
            round_id, states=states, applicant_id=applicant_id, limit=limit, offset=offset
        )
        ids = [a.id for a in apps]
        decisions = await uow.decisions.of_applications(ids)
        averages = await uow.scores.averages(ids)
        who = {a.applicant_id for a in apps}
        applicants = await uow.applicants.by_ids(who)
        owing = await applicants_owing_reports(uow, who, local_date(now))
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
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, now: datetime
) -> Reviewed:
    async with uow:
        dossier = await for_reviewer(uow, actor, application_id)
        app = dossier.application
        scores = await uow.scores.of_application(app.id)
        return Reviewed(
            application=app,
            applicant=await uow.applicants.get(app.applicant_id),
            overdue_usage_report=await has_overdue_report(uow, app.applicant_id, local_date(now)),
            decision=await uow.decisions.get(app.id),
            average_score=round(sum(s.score for s in scores) / len(scores), 2) if scores else None,
            scores=scores,
            comments=await uow.comments.of_application(app.id),
        )


async def return_for_completion(
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, message: str
) -> Application:
    """Ask the applicant to complete the application; the message stays in grants, the event says only that."""
    async with uow:
        dossier = await for_reviewer(uow, actor, application_id, lock=True)
        if dossier.round.state is RoundState.PUBLISHED:
            raise Conflict("The round's decisions are already published.", field="round_id")
        app = dossier.application
        app.return_for_completion(message)
        await uow.applications.save(app)
        uow.emit(
            ApplicationReturnedForCompletion(
                application_id=app.id, applicant_id=app.applicant_id, round_id=app.round_id
            )
        )
        await uow.commit()
    return app


async def add_comment(
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, body: str
) -> ReviewComment:
    async with uow:
        await for_reviewer(uow, actor, application_id)
        comment = ReviewComment(id=uuid.uuid4(), application_id=application_id, author=actor.subject, body=body.strip())
        if not comment.body:
            raise InvalidInput("A comment cannot be empty.", field="body")
        await uow.comments.add(comment)
        await uow.commit()
    return comment


async def list_comments(uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID) -> list[ReviewComment]:
    async with uow:
        await for_reviewer(uow, actor, application_id)
        return await uow.comments.of_application(application_id)


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
    uow: GrantsUnitOfWork, *, actor: Principal, application_id: uuid.UUID, scores: dict[str, int]
) -> list[ReviewScore]:
    """Record the caller's scores; a criterion scored again replaces the caller's earlier score."""
    cleaned = check_scores(scores)
    async with uow:
        dossier = await for_reviewer(uow, actor, application_id)
        if dossier.application.state is ApplicationState.WITHDRAWN:
            raise Conflict("A withdrawn application is not scored.", field="state")
        await uow.scores.upsert(application_id, actor.subject, cleaned)
        found = await uow.scores.of_application(application_id)
        await uow.commit()
    return found


def criterion_averages(scores: list[ReviewScore]) -> dict[str, float]:
    """Each criterion's mean over the reviewers who scored it."""
    by_criterion: dict[str, list[int]] = {}
    for s in scores:
        by_criterion.setdefault(s.criterion, []).append(s.score)
    return {c: round(sum(v) / len(v), 2) for c, v in sorted(by_criterion.items())}
