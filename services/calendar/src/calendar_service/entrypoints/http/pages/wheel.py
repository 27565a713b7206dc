"""The annual clock drawn as a wheel (SVG): twelve month sectors around the circle, each entry an arc (a period)
or a mark (a day) on its category's ring, today a line from the centre.

The year runs clockwise from the top; a day's angle is its share of the year, so months have their real widths.
The SVG is a picture with a text alternative (``role="img"``, its title and description); the page repeats the
same content as a list for screen readers and keyboards.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

from calendar_service.domain.annual_clock import MONTHS_FI, Category
from calendar_service.entrypoints.http.pages.style import CATEGORY_COLOURS
from calendar_service.service_layer.clock_picture import PlacedEntry

SIZE = 640
CENTRE = SIZE / 2
MONTH_INNER, MONTH_OUTER = 250.0, 305.0
RING_FIRST, RING_STEP = 100.0, 17.0  # the categories' rings, inside the months
RING_OF = {category: RING_FIRST + RING_STEP * i for i, category in enumerate(Category)}


def _year_days(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _angle(year: int, day: date, *, end: bool = False) -> float:
    """Radians clockwise from the top: the start of ``day`` (or its end)."""
    offset = (day - date(year, 1, 1)).days + (1 if end else 0)
    return 2 * math.pi * offset / _year_days(year)


def _point(radius: float, angle: float) -> str:
    return f"{CENTRE + radius * math.sin(angle):.2f} {CENTRE - radius * math.cos(angle):.2f}"


def _arc(radius: float, start: float, stop: float) -> str:
    large = 1 if stop - start > math.pi else 0
    return f"M {_point(radius, start)} A {radius} {radius} 0 {large} 1 {_point(radius, stop)}"


def _sector(year: int, month: int) -> str:
    start = _angle(year, date(year, month, 1))
    stop = 2 * math.pi if month == 12 else _angle(year, date(year, month + 1, 1))
    label = _point((MONTH_INNER + MONTH_OUTER) / 2, (start + stop) / 2).split()
    fill = "#f2f2f2" if month % 2 else "#e3e3e3"
    return (
        f'<g class="month" data-month="{month}">'
        f'<path d="{_arc(MONTH_OUTER, start, stop)} L {_point(MONTH_INNER, stop)} '
        f'A {MONTH_INNER} {MONTH_INNER} 0 0 0 {_point(MONTH_INNER, start)} Z" fill="{fill}" stroke="#767676"/>'
        f'<text x="{label[0]}" y="{label[1]}" text-anchor="middle" dominant-baseline="middle" font-size="13" '
        f'fill="#1a1a1a">{escape(MONTHS_FI[month - 1].capitalize())}</text></g>'
    )


def _mark(year: int, placed: PlacedEntry) -> str:
    entry = placed.entry
    colour, radius = CATEGORY_COLOURS[entry.category], RING_OF[entry.category]
    start, stop = _angle(year, placed.starts_on), _angle(year, placed.ends_on, end=True)
    title = f"<title>{escape(entry.title_fi)}: {escape(entry.rule.describe_fi())}</title>"
    attributes = f'class="entry" data-entry-id="{entry.id}" data-category="{entry.category.value}"'
    if placed.ends_on > placed.starts_on:
        shape = f'<path d="{_arc(radius, start, stop)}" fill="none" stroke="{colour}" stroke-width="11"/>'
    else:
        cx, cy = _point(radius, (start + stop) / 2).split()
        shape = f'<circle cx="{cx}" cy="{cy}" r="7" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
    return f"<g {attributes}>{title}{shape}</g>"


def _today(year: int, today: date) -> str:
    if today.year != year:
        return ""
    middle = (_angle(year, today) + _angle(year, today, end=True)) / 2
    x, y = _point(MONTH_OUTER + 4, middle).split()
    x0, y0 = _point(40, middle).split()
    return (
        f'<g class="today" data-date="{today.isoformat()}"><title>Tänään {today.day}.{today.month}.</title>'
        f'<line x1="{x0}" y1="{y0}" x2="{x}" y2="{y}" stroke="#1a1a1a" stroke-width="3"/>'
        f'<circle cx="{x}" cy="{y}" r="6" fill="#1a1a1a"/></g>'
    )


def wheel_svg(year: int, today: date, entries: list[PlacedEntry]) -> str:
    sectors = "".join(_sector(year, m) for m in range(1, 13))
    rings = "".join(
        f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{r}" fill="none" stroke="#d0d0d0" stroke-width="1"/>'
        for r in RING_OF.values()
    )
    marks = "".join(_mark(year, p) for p in entries)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        'role="img" aria-labelledby="wheel-title wheel-desc" id="wheel">'
        f'<title id="wheel-title">Vuosikello {year}</title>'
        f'<desc id="wheel-desc">Vuoden {year} kaksitoista kuukautta ympyränä, {len(entries)} merkintää '
        "luokittain väritettyinä renkaina; sama sisältö on luettelona kuvan alla.</desc>"
        f'<rect width="{SIZE}" height="{SIZE}" fill="#fff"/>{sectors}{rings}'
        f'<text x="{CENTRE}" y="{CENTRE}" text-anchor="middle" dominant-baseline="middle" font-size="28" '
        f'font-weight="bold" fill="#1a1a1a">{year}</text>'
        f"{marks}{_today(year, today)}</svg>"
    )
