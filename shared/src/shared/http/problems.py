"""RFC 9457 problem details: every error a client sees is ``application/problem+json``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.db.failures import is_infrastructure_failure
from shared.errors import DomainError
from shared.observability.logging import get_logger

log = get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
REQUEST_FIELDS = "shared.request_fields"
"""Scope key: the top-level fields of the request's JSON body (set by the request guard), to name a field."""
RETRY_AFTER_SECONDS = 5
"""What a 503 asks the client to wait: the database is back within seconds in an ordinary restart or failover."""


class Problem(Exception):
    """Raise from an entrypoint (or map a domain error to it) to answer with a problem document."""

    def __init__(
        self, status: int, title: str, detail: str | None = None, *, field: str | None = None, **extra: Any
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.field, self.extra = status, title, detail, field, extra

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "about:blank", "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if self.field:
            body["errors"] = [{"field": self.field, "message": self.detail or self.title}]
        body["instance"] = instance
        body.update(self.extra)
        return body


def problem_response(problem: Problem, request: Request, headers: Mapping[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if problem.status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(problem.body(request.url.path), problem.status, headers=headers, media_type=PROBLEM_JSON)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    """Pydantic's message, saying plainly when the fault is a ``null`` where a value must be."""
    message = str(error["msg"])
    if error.get("input", ...) is None and error.get("type") != "missing":
        return f"Must not be null: leave the field out to keep its value ({message[0].lower()}{message[1:]})."
    return message


def install_problem_handlers(app: FastAPI) -> None:
    """Problem+json for every error. An exception nothing handles is answered by :class:`AnswerUnhandled`
    (a 500, or a 503 when the database is out); Starlette's own ``Exception`` handler stays as the fallback."""
    app.user_middleware.append(Middleware(AnswerUnhandled))

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, exc: DomainError) -> JSONResponse:
        problem = Problem(exc.status, exc.title, exc.message, field=exc.field, **exc.extra)
        retry = {"Retry-After": str(RETRY_AFTER_SECONDS)} if exc.status == 503 else None
        return problem_response(problem, request, retry)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_name(tuple(e["loc"])), "message": _message(e)} for e in exc.errors()]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        problem = Problem(422, "Invalid request", f"Check these fields: {fields}", errors=errors)
        return problem_response(problem, request)

    @app.exception_handler(SQLAlchemyError)
    async def on_database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        return _database_problem(request, exc)

    @app.exception_handler(asyncpg.PostgresError)
    async def on_asyncpg_error(request: Request, exc: asyncpg.PostgresError) -> JSONResponse:
        return _database_problem(request, exc)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _internal_error(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(Problem(exc.status_code, str(exc.detail)), request, exc.headers)


class AnswerUnhandled:
    """Answers an unhandled exception itself instead of letting it reach the server.

    Starlette's ``ServerErrorMiddleware`` answers with the app's ``Exception`` handler and then re-raises, so the
    server logs a plain-text traceback and closes the connection: the client's next request on that keep-alive
    connection fails. Here the exception ends with the answer; only when the response has already begun (there
    is nothing left to answer with) does it go on up.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:
                raise
            request = Request(scope)
            answer = _database_problem(request, exc) if _is_database_error(exc) else _internal_error(request, exc)
            await answer(scope, receive, send)


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, SQLAlchemyError | asyncpg.PostgresError)


def _database_problem(request: Request, exc: Exception) -> JSONResponse:
    from shared.http.database_errors import DatabaseRefusal  # it builds Problems: imported here, not at the top

    refusal = DatabaseRefusal.of(exc)
    if refusal is None:
        return _internal_error(request, exc)
    return problem_response(refusal.problem(request.scope.get(REQUEST_FIELDS, frozenset())), request)


def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    """A 500, or a 503 with ``Retry-After`` when the database (or the network to it) is out: the request was
    fine and may be sent again. A database error's text holds the statement's parameters (personal data): log
    its kind, not its text."""
    if is_infrastructure_failure(exc):
        log.warning("http_database_unavailable", path=request.url.path, error=type(exc).__name__, cause=_cause(exc))
        problem = Problem(503, "Service unavailable", "The service cannot reach its database; try again shortly.")
        return problem_response(problem, request, {"Retry-After": str(RETRY_AFTER_SECONDS)})
    if _is_database_error(exc):
        orig = getattr(exc, "orig", None)
        log.error(
            "http_unhandled_error",
            path=request.url.path,
            error=type(exc).__name__,
            cause=_cause(exc),
            sqlstate=getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None),
        )
    else:
        log.exception("http_unhandled_error", path=request.url.path)
    return problem_response(Problem(500, "Internal error", "Something went wrong on our side."), request)


def _cause(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None) or exc.__cause__
    return type(orig).__name__ if orig is not None else None
