"""``notifier api | worker | relay | migrate``: one entry point, one role per process.

The worker consumes the other services' events that someone should hear of by email, and sends what is due:
newsletter fan-outs, confirmations and notifications (the ``deliver`` job).
"""

from __future__ import annotations

from notifier.bootstrap import SERVICE
from shared.cli import run


def main(argv: list[str] | None = None) -> None:
    run(SERVICE, argv)


if __name__ == "__main__":
    main()
