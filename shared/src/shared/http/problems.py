"""RFC 9457 problem details: every error a client sees is ``application/problem+json``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import DomainError
from shared.observability.logging import get_logger

log = get_logger(__name__)
PROBLEM_JSON = "application/problem+json"


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


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
    return JSONResponse(problem.body(request.url.path), problem.status, headers=headers, media_type=PROBLEM_JSON)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(Problem(exc.status, exc.title, exc.message, field=exc.field), request)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_name(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        problem = Problem(422, "Invalid request", f"Check these fields: {fields}", errors=errors)
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http_unhandled_error", path=request.url.path)
        return problem_response(Problem(500, "Internal error", "Something went wrong on our side."), request)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(Problem(exc.status_code, str(exc.detail)), request)
