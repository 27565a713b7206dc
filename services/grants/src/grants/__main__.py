"""``grants api | worker | relay | migrate``: one entry point, one role per process.

The worker consumes the directory's events and runs the jobs that act on time (rounds opening and closing,
report and discussion reminders); several workers may run, each job claims its rows.
"""

from __future__ import annotations

import argparse
import asyncio

import uvicorn

from grants.bootstrap import MIGRATIONS, jobs, subscriptions
from grants.config import Settings
from shared.db.migrations import upgrade
from shared.observability.logging import configure_logging
from shared.runtime import run_relay, run_worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="grants", description="The grants and partnerships service.")
    parser.add_argument("role", choices=["api", "worker", "relay", "migrate"])
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    if args.role == "migrate":
        asyncio.run(upgrade(MIGRATIONS, settings.database_url))
    elif args.role == "relay":
        asyncio.run(run_relay(settings))
    elif args.role == "worker":
        asyncio.run(run_worker(settings, subscriptions(), jobs(settings), settings.scheduler_interval_seconds))
    else:
        from grants.entrypoints.http.app import create_app

        uvicorn.run(
            create_app(settings),
            host=settings.http_host,
            port=settings.http_port,
            log_level="warning",
            timeout_graceful_shutdown=int(settings.graceful_timeout_seconds),
        )


if __name__ == "__main__":
    main()
