"""/issues: the staff's newsletter issues. Compose, change while editable, preview and test-mail to oneself,
schedule (``NewsletterScheduled``) or send now, cancel a scheduled one; the worker fans out, delivers and
closes the issue (``NewsletterSent``). Staff or admin tokens only."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from notifier.domain.issue import IssueState
from notifier.domain.subscriber import Language
from notifier.entrypoints.http.deps import NotifierSettings, Now, Uow
from notifier.entrypoints.http.issue_schemas import (
    IssueCreate,
    IssueRead,
    IssueSchedule,
    IssueUpdate,
    Preview,
    TestMailAccepted,
    TestMailCreate,
)
from notifier.service_layer import issues
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import Staff

router = APIRouter(tags=["issues"])


@router.post("/issues", status_code=201, response_model=IssueRead)
async def compose(body: IssueCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """A draft issue of the staff member's department (an admin names the department)."""
    return await idem.created(uow, lambda: issues.compose(uow, actor=actor, fields=body.domain()), IssueRead.of)


@router.get("/issues", response_model=Page[IssueRead])
async def search(
    uow: Uow, actor: Staff, paging: Paging, state: Annotated[list[IssueState] | None, Query()] = None
) -> Page[IssueRead]:
    """The issues, newest first, optionally only those in the given states."""
    items, total = await issues.search(uow, actor=actor, states=state, limit=paging.limit, offset=paging.offset)
    return Page(items=[IssueRead.of(i) for i in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/issues/{issue_id}", response_model=IssueRead)
async def get(issue_id: uuid.UUID, uow: Uow, actor: Staff) -> IssueRead:
    """The issue and the progress of its sending: deliveries pending, sent and failed."""
    return IssueRead.of(await issues.get(uow, actor=actor, issue_id=issue_id))


@router.patch("/issues/{issue_id}", response_model=IssueRead)
async def update(issue_id: uuid.UUID, body: IssueUpdate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Change a draft or scheduled issue (the fields given replace the earlier ones)."""
    changes = body.domain()
    return await idem.run(
        uow, lambda: issues.update(uow, actor=actor, issue_id=issue_id, changes=changes), IssueRead.of
    )


@router.get("/issues/{issue_id}/preview", response_model=Preview)
async def preview(
    issue_id: uuid.UUID, uow: Uow, actor: Staff, settings: NotifierSettings, language: Language = Language.FI
) -> Preview:
    """The mail in ``language`` as HTML (sanitised) and plain text; Finnish where the issue has no such version."""
    lang, mail = await issues.preview(uow, actor=actor, settings=settings, issue_id=issue_id, language=language)
    return Preview(language=lang, subject=mail.subject, html=mail.html, text=mail.text)


@router.post("/issues/{issue_id}/test", status_code=202, response_model=TestMailAccepted)
async def test_mail(
    issue_id: uuid.UUID, body: TestMailCreate, uow: Uow, actor: Staff, settings: NotifierSettings, now: Now,
    idem: Idempotent,
) -> JSONResponse:  # fmt: skip
    """Mail the issue, marked as a test, to the staff member's own address (not part of the issue's sending)."""
    return await idem.run(
        uow,
        lambda: issues.send_test(
            uow, actor=actor, settings=settings, issue_id=issue_id, email=body.email, language=body.language, now=now
        ),
        lambda issue: TestMailAccepted(issue_id=issue.id),
        status_code=202,
    )


@router.post("/issues/{issue_id}/schedule", response_model=IssueRead)
async def schedule(
    issue_id: uuid.UUID, body: IssueSchedule, uow: Uow, actor: Staff, now: Now, settings: NotifierSettings,
    idem: Idempotent,
) -> JSONResponse:  # fmt: skip
    """Send the issue at ``send_at`` (in the future), or on one of the annual clock's planned dates
    (``newsletter_date_id``) at the sending hour, Helsinki time; scheduling again moves it."""
    use_case = partial(
        issues.schedule, uow, actor=actor, issue_id=issue_id, now=now, send_at=body.send_at,
        newsletter_date_id=body.newsletter_date_id, send_hour=settings.newsletter_send_hour,
    )  # fmt: skip
    return await idem.run(uow, use_case, IssueRead.of)


@router.post("/issues/{issue_id}/send", response_model=IssueRead)
async def send_now(issue_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Send the issue now: the worker's next fan-out takes it."""
    return await idem.run(uow, lambda: issues.send_now(uow, actor=actor, issue_id=issue_id, now=now), IssueRead.of)


@router.post("/issues/{issue_id}/cancel", response_model=IssueRead)
async def cancel(issue_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Cancel a scheduled issue before its fan-out."""
    return await idem.run(uow, lambda: issues.cancel(uow, actor=actor, issue_id=issue_id), IssueRead.of)
