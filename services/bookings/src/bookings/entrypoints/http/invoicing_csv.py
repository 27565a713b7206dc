"""A month's invoicing basis as CSV (RFC 4180: comma-separated, a header row, CRLF line ends, UTF-8).

One row per charged occurrence, in Helsinki local dates and times; euros with two decimals and a full stop
(``37.50``), from the price recorded with the occurrence. Text a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io

from bookings.domain.reporting import InvoiceLine
from shared.localtime import as_local

MEDIA_TYPE = "text/csv; charset=utf-8"
COLUMNS = [
    "booker",
    "booker_kind",
    "booker_id",
    "facility",
    "date",
    "start",
    "end",
    "hours",
    "price_eur",
    "free_use_reason",
    "late_cancellation",
    "booking_id",
    "occurrence_id",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """The value as text, quoted with a leading apostrophe where a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def invoicing_csv(lines: list[InvoiceLine]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in lines:
        starts, ends = as_local(line.starts_at), as_local(line.ends_at)
        writer.writerow(
            cell(v)
            for v in (
                line.booker_name,
                line.booker_kind,
                line.booker_id,
                line.facility_name,
                starts.date().isoformat(),
                f"{starts:%H:%M}",
                f"{ends:%H:%M}",
                f"{line.minutes / 60:.2f}",
                euros(line.price_cents),
                line.free_use_reason,
                "yes" if line.late_cancellation else "no",
                line.booking_id,
                line.occurrence_id,
            )
        )
    return out.getvalue().encode("utf-8")
