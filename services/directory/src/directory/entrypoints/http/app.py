"""The directory's HTTP API: ``create_app(container)`` builds it; nothing is built at import time."""

from __future__ import annotations

from fastapi import FastAPI

from directory.bootstrap import Directory
from directory.entrypoints.http.routes import associations, departments, liaisons, privacy, recipients, representatives
from shared.http.app import create_base_app

DESCRIPTION = """
The liaison directory of the City of Pori's association cooperation (yhdistysyhteistyö): associations and
other applicants, their representatives, the city's departments and the liaison contacts associations can
turn to. The public reads active associations and every liaison contact; representatives are personal data,
seen only by city staff and the association itself.
"""


def create_app(container: Directory) -> FastAPI:
    app = create_base_app(container, title="Directory (yhdistys- ja yhteyshenkilöhakemisto)", description=DESCRIPTION)

    for module in (associations, representatives, departments, liaisons, privacy, recipients):
        app.include_router(module.router)
    return app
