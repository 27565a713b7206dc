"""The grants HTTP API: ``create_app(container)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from grants.bootstrap import Grants, subscriptions
from grants.entrypoints.http.routes import (
    applications,
    audiences,
    partnerships,
    programmes,
    register,
    rounds,
    usage_reports,
)
from shared.http.app import create_base_app

DESCRIPTION = """
Grants (avustukset) and partnership agreements (kumppanuussopimukset) of the City of Pori's association
cooperation: programmes with versioned principles, yearly rounds within the appropriation that open and close
on time, applications, reviews and transparent decisions, usage reports, and partnership agreements with their
yearly discussions. The public reads published decisions, valid agreements and the remaining appropriation.
"""

ROUTERS = [
    programmes.router,
    rounds.router,
    applications.router,
    register.router,
    usage_reports.router,
    partnerships.router,
    audiences.router,
]


def create_app(container: Grants) -> FastAPI:
    app = create_base_app(
        container,
        title="Grants and partnerships (avustukset ja kumppanuudet)",
        description=DESCRIPTION,
        consumes=[s.contract for s in subscriptions(container)],
    )
    for router in ROUTERS:
        app.include_router(router)
    return app
