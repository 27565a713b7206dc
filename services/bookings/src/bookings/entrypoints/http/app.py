"""The bookings HTTP API: ``create_app(container)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from bookings.bootstrap import Bookings, subscriptions
from bookings.entrypoints.http.routes import bookings, facilities, feeds, invoicing, usage
from bookings.entrypoints.http.routes import season_allocation as season_allocation_routes
from bookings.entrypoints.http.routes import season_rounds as season_round_routes
from shared.http.app import create_base_app

DESCRIPTION = """
Bookings of the City of Pori's premises (tilat) by associations: facilities with their managing department,
opening hours (Finnish public holidays included), booking rules, rent and free use; single bookings and
weekly series for a season, approved by the managing department; availability for everyone, without who
booked. No two active bookings of a facility ever overlap: the database refuses it.
"""

ROUTERS = [facilities.router, bookings.router, feeds.router, invoicing.router, usage.router]
ROUTERS.append(season_round_routes.router)
ROUTERS.append(season_allocation_routes.router)


def create_app(container: Bookings) -> FastAPI:
    app = create_base_app(
        container,
        title="Bookings (tilavaraukset)",
        description=DESCRIPTION,
        consumes=[s.contract for s in subscriptions(container)],
    )
    for router in ROUTERS:
        app.include_router(router)
    return app
