"""Plain-text tables for a terminal: a header row, aligned columns, long cells shortened."""

from __future__ import annotations

from collections.abc import Sequence

MAX_CELL = 72


def _cell(value: object, *, bounded: bool = True) -> str:
    text = "-" if value is None else str(value).replace("\n", " ")
    return text if not bounded or len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Every cell on one line; long ones are shortened, except in the last column, which may run on."""
    last = len(headers) - 1
    cells = [[_cell(v, bounded=i < last) for i, v in enumerate(row)] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) if i < last else 0 for i, h in enumerate(headers)]
    lines = [[h.upper() for h in headers], *cells]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    return f"{s // 86400}d {s % 86400 // 3600:02d}h"
