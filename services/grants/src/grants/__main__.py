"""``grants api | worker | relay | migrate``: one entry point, one role per process.

The worker consumes the directory's events and runs the jobs that act on time (rounds opening and closing,
report and discussion reminders); several workers may run, each job claims its rows.
"""

from __future__ import annotations

from typing import Any

from grants.bootstrap import MIGRATIONS, jobs, subscriptions
from grants.config import Settings
from shared.cli import ServiceRoles, run


def _create_app(settings: Settings) -> Any:
    from grants.entrypoints.http.app import create_app

    return create_app(settings)


def main(argv: list[str] | None = None) -> None:
    run(
        ServiceRoles(
            name="grants",
            description="The grants and partnerships service.",
            settings=Settings,
            migrations=MIGRATIONS,
            create_app=_create_app,
            subscriptions=subscriptions,
            jobs=jobs,
            job_interval_seconds=lambda settings: settings.scheduler_interval_seconds,
        ),
        argv,
    )


if __name__ == "__main__":
    main()
