"""``calendar api | worker | relay | migrate | sync-directory``: one entry point, one role per process.

The worker consumes grants' events that put dates on the schedule and keeps the schedule of the current and
next year generated from the annual clock.
"""

from __future__ import annotations

from calendar_service.bootstrap import SERVICE
from shared.cli import run


def main(argv: list[str] | None = None) -> None:
    run(SERVICE, argv)


if __name__ == "__main__":
    main()
