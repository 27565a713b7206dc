"""The calendar's HTTP API: ``create_app(container)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from calendar_service.bootstrap import Calendar, subscriptions
from calendar_service.entrypoints.http.routes import (
    annual_clock,
    cooperation_group,
    events,
    facilities,
    feeds,
    pages,
    privacy,
    realisation,
    registrations,
    schedule,
    survey_invitations,
    surveys,
)
from shared.http.app import create_base_app

DESCRIPTION = """
The annual clock (vuosikello) of the City of Pori's association cooperation: the permanent, planned-ahead
picture of the year (grant application periods, usage-report deadlines, association evenings, the newsletter's
issues, partnership discussions, the yearly evaluation), and the detailed schedule of each year generated from
it and filled with the real dates the grants service and the notifier announce. Everyone reads the clock and the public
schedule; an association's representatives also see its own deadlines; city staff keep the clock.
"""


def create_app(container: Calendar) -> FastAPI:
    app = create_base_app(
        container,
        title="Calendar (vuosikello ja tilaisuudet)",
        description=DESCRIPTION,
        consumes=[s.contract for s in subscriptions(container)],
    )
    for module in (
        annual_clock,
        feeds,
        schedule,
        events,
        facilities,
        registrations,
        surveys,
        survey_invitations,
        privacy,
        pages,
        realisation,
        cooperation_group,
    ):
        app.include_router(module.router)
    return app
