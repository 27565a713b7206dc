"""The notifier's HTTP API: ``create_app(container)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from notifier.bootstrap import Notifier, subscriptions
from notifier.entrypoints.http.routes import archive as archive_routes
from notifier.entrypoints.http.routes import deliveries as delivery_routes
from notifier.entrypoints.http.routes import issues as issue_routes
from notifier.entrypoints.http.routes import link_pages
from notifier.entrypoints.http.routes import newsletter_dates as newsletter_date_routes
from notifier.entrypoints.http.routes import privacy as privacy_routes
from notifier.entrypoints.http.routes import subscriptions as subscription_routes
from shared.http.app import create_base_app

DESCRIPTION = """
The newsletter Yhdistysuutiset of the City of Pori's association cooperation and the emails that tell
associations when something happens to them. Anyone may subscribe an address (double opt-in); every mail
carries a one-click unsubscribe link; staff compose, schedule and send issues; sent issues form a public
archive with an Atom feed.
"""


def create_app(container: Notifier) -> FastAPI:
    app = create_base_app(
        container,
        title="Notifier (Yhdistysuutiset ja ilmoitukset)",
        description=DESCRIPTION,
        consumes=[s.contract for s in subscriptions(container)],
    )
    for module in (
        subscription_routes, link_pages, issue_routes, newsletter_date_routes, delivery_routes, archive_routes,
        privacy_routes,
    ):  # fmt: skip
        app.include_router(module.router)
    return app
