"""The HTTP conventions every service's API follows, installed by ``create_base_app`` in one call."""

from __future__ import annotations

from fastapi import FastAPI

from shared.http.guards import install_request_guards
from shared.http.openapi import install_openapi


def install_conventions(app: FastAPI) -> None:
    """Request guards (405/413/415/400, no U+0000) and an OpenAPI document that lists every error answered.

    Problem+json for every error, database refusals included, comes with ``install_problem_handlers``.
    """
    install_request_guards(app)
    install_openapi(app)
