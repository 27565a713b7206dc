"""``bookings api | worker | relay | migrate``: one entry point, one role per process."""

from __future__ import annotations

from bookings.bootstrap import SERVICE
from shared.cli import run


def main(argv: list[str] | None = None) -> None:
    run(SERVICE, argv)


if __name__ == "__main__":
    main()
