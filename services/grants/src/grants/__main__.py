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


async def sync_directory_command(settings: Settings) -> None:
    """``grants sync-directory``: the first fill of grants' copy from the directory's API."""
    import httpx

    from grants.bootstrap import bootstrap
    from grants.service_layer.directory_sync import sync_directory

    if not settings.directory_token:
        raise SystemExit("Set GRANTS_DIRECTORY_TOKEN to a staff or admin token of the directory.")
    grants = bootstrap(settings)
    headers = {"Authorization": f"Bearer {settings.directory_token}"}
    try:
        async with httpx.AsyncClient(base_url=settings.directory_url, headers=headers, timeout=30) as client:
            counts = await sync_directory(grants.sessionmaker, client)
    finally:
        await grants.engine.dispose()
    print(f"copied {counts['applicants']} applicants and {counts['departments']} departments")


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
            commands={"sync-directory": sync_directory_command},
        ),
        argv,
    )


if __name__ == "__main__":
    main()
