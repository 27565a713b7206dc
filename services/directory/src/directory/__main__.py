"""``directory api | worker | relay | migrate``: one entry point, one role per process."""

from __future__ import annotations

from typing import Any

from directory.bootstrap import MIGRATIONS, SUBSCRIPTIONS, jobs
from directory.config import Settings
from shared.cli import ServiceRoles, run


def _create_app(settings: Settings) -> Any:
    from directory.entrypoints.http.app import create_app

    return create_app(settings)


def main(argv: list[str] | None = None) -> None:
    run(
        ServiceRoles(
            name="directory",
            description="The liaison directory service.",
            settings=Settings,
            migrations=MIGRATIONS,
            create_app=_create_app,
            subscriptions=lambda: SUBSCRIPTIONS,
            jobs=jobs,
        ),
        argv,
    )


if __name__ == "__main__":
    main()
