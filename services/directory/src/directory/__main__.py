"""``directory api | worker | relay | migrate``: one entry point, one role per process."""

from __future__ import annotations

import argparse
import asyncio

import uvicorn

from directory.bootstrap import MIGRATIONS, SUBSCRIPTIONS
from directory.config import Settings
from shared.db.migrations import upgrade
from shared.observability.logging import configure_logging
from shared.runtime import run_relay, run_worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="directory", description="The liaison directory service.")
    parser.add_argument("role", choices=["api", "worker", "relay", "migrate"])
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    if args.role == "migrate":
        asyncio.run(upgrade(MIGRATIONS, settings.database_url))
    elif args.role == "relay":
        asyncio.run(run_relay(settings))
    elif args.role == "worker":
        asyncio.run(run_worker(settings, SUBSCRIPTIONS))
    else:
        from directory.entrypoints.http.app import create_app

        uvicorn.run(
            create_app(settings),
            host=settings.http_host,
            port=settings.http_port,
            log_level="warning",
            timeout_graceful_shutdown=int(settings.graceful_timeout_seconds),
        )


if __name__ == "__main__":
    main()
