"""The development mail catcher of `make up`: a real SMTP server on 127.0.0.1:1025 keeping each mail in .run/mail/.

.venv/bin/python scripts/mail-catcher.py [--port 1025] [--folder .run/mail]
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from shared.testing.mail import MailCatcher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--folder", type=Path, default=Path(".run/mail"))
    args = parser.parse_args()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with MailCatcher(args.host, args.port, folder=args.folder):
        stop.wait()


if __name__ == "__main__":
    main()
