"""``grants api | worker | relay | migrate | sync-directory``: one entry point, one role per process.

The worker consumes the directory's events and runs the jobs that act on time (rounds opening and closing,
report and discussion reminders); several workers may run, each job claims its rows.
"""

from __future__ import annotations

from grants.bootstrap import SERVICE
from shared.cli import run


def main(argv: list[str] | None = None) -> None:
    run(SERVICE, argv)


if __name__ == "__main__":
    main()
