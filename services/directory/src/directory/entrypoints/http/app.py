"""The directory's HTTP API: ``create_app(settings)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from directory.bootstrap import bootstrap
from directory.config import Settings
from directory.entrypoints.http.routes import associations, departments, liaisons, privacy, representatives
from shared.http.app import create_base_app

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

    for module in (associations, representatives, departments, liaisons, privacy):
        app.include_router(module.router)
    return app
