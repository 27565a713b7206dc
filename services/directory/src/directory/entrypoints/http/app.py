"""The directory's HTTP API: ``create_app(settings)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from directory.bootstrap import bootstrap
from directory.config import Settings
from directory.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from directory.entrypoints.http.routes import associations, departments, liaisons, privacy, representatives
from shared.http.app import create_base_app
from shared.http.problems import Problem, problem_response

_STATUS = {
    InvalidInput: (422, "Invalid input"),
    NotFound: (404, "Not found"),
    Conflict: (409, "Conflict"),
    Forbidden: (403, "Forbidden"),
}

DESCRIPTION = """
The liaison directory of the City of Pori's association cooperation (yhdistysyhteistyö): associations and
other applicants, their representatives, the city's departments and the liaison contacts associations can
turn to. The public reads active associations and every liaison contact; representatives are personal data,
seen only by city staff and the association itself.
"""


def create_app(settings: Settings) -> FastAPI:
    directory = bootstrap(settings)
    app = create_base_app(
        settings,
        engine=directory.engine,
        title="Directory (yhdistys- ja yhteyshenkilöhakemisto)",
        description=DESCRIPTION,
    )
    app.state.directory = directory

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, exc: DomainError) -> JSONResponse:
        status, title = next(v for k, v in _STATUS.items() if isinstance(exc, k))
        return problem_response(Problem(status, title, exc.message, field=exc.field), request)

    for module in (associations, representatives, departments, liaisons, privacy):
        app.include_router(module.router)
    return app
