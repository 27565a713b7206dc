"""The public annual clock page: the wheel, its legend, the same content as a list, and the upcoming schedule."""

from __future__ import annotations

from datetime import date
from html import escape

from calendar_service.domain.annual_clock import MONTHS_FI, Category
from calendar_service.domain.schedule import EntryState
from calendar_service.entrypoints.http.pages.style import (
    AUDIENCE_LABELS_FI,
    CATEGORY_COLOURS,
    CATEGORY_LABELS_FI,
    STYLE,
    scrolling,
)
from calendar_service.entrypoints.http.pages.wheel import wheel_svg
from calendar_service.service_layer.clock_picture import ClockPicture, PlacedEntry
from calendar_service.service_layer.schedule import ShownEntry

STATE_LABELS_FI = {
    EntryState.PLANNED: "suunniteltu", EntryState.SCHEDULED: "aikataulutettu", EntryState.OPEN: "avoinna",
    EntryState.CLOSED: "päättynyt", EntryState.DONE: "toteutunut", EntryState.CANCELLED: "peruttu",
}  # fmt: skip


def _day(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def _span(start: date | None, end: date | None) -> str:
    if start is None:
        return ""
    return _day(start) if end is None or end == start else f"{_day(start)}–{_day(end)}"


def legend() -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{CATEGORY_COLOURS[c]}" aria-hidden="true"></span>'
        f"{escape(CATEGORY_LABELS_FI[c])}</li>"
        for c in Category
    )
    return f'<ul class="legend" aria-label="Värien selitteet">{items}</ul>'


def _list_item(p: PlacedEntry) -> str:
    e = p.entry
    who = e.responsible_department or "yhteyshenkilö"
    return (
        f'<li id="entry-{e.id}" data-entry-id="{e.id}"><details><summary>'
        f'<span class="swatch" style="background:{CATEGORY_COLOURS[e.category]}" aria-hidden="true"></span> '
        f"{escape(e.title_fi)} <small>({escape(_span(p.starts_on, p.ends_on))})</small></summary>"
        f"<p>{escape(CATEGORY_LABELS_FI[e.category])}, {escape(AUDIENCE_LABELS_FI[e.audience])}; "
        f"{escape(e.rule.describe_fi())}. Vastuu: {escape(who)}.</p>"
        f"<p>{escape(e.description_fi)}</p></details></li>"
    )


def _months(entries: list[PlacedEntry]) -> str:
    sections = []
    for month in range(1, 13):
        of_month = [p for p in entries if p.starts_on.month == month]
        items = "".join(_list_item(p) for p in of_month) or "<li>Ei merkintöjä.</li>"
        sections.append(f"<section><h3>{escape(MONTHS_FI[month - 1].capitalize())}</h3><ul>{items}</ul></section>")
    return "".join(sections)


def _upcoming_row(s: ShownEntry) -> str:
    e = s.entry
    category = CATEGORY_LABELS_FI[e.category] if e.category else ""
    state = STATE_LABELS_FI[e.state] if e.state else ""
    return (
        f'<tr><td>{escape(_span(e.starts_on, e.ends_on))}</td><th scope="row">{escape(s.title_fi)}</th>'
        f"<td>{escape(category)}</td><td>{escape(state)}</td></tr>"
    )


def render_clock_page(picture: ClockPicture) -> str:
    year = picture.year
    rows = "".join(_upcoming_row(s) for s in picture.upcoming) or '<tr><td colspan="4">Ei tulevia merkintöjä.</td></tr>'
    nav = (
        f'<a href="clock.html?year={year - 1}">← {year - 1}</a> · <a href="clock.html?year={year + 1}">{year + 1} →</a>'
    )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Päivä", "Merkintä", "Luokka", "Tila"))
    upcoming = (
        f"<table><caption>Aikataulun seuraavat {len(picture.upcoming)} merkintää</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
    return f"""<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vuosikello {year} – Porin yhdistysyhteistyö</title><style>{STYLE}</style></head>
<body>
<a class="skip" href="#clock-list">Siirry vuosikelloon luettelona</a>
<header><h1>Vuosikello {year}</h1>
<p>Porin kaupungin ja yhdistysten yhteistyön vuosi: avustushaut, käyttöselvitykset, yhdistysillat, Yhdistysuutiset,
kumppanuuskeskustelut ja arviointi. Tänään on {_day(picture.today)}.</p><nav aria-label="Vuodet">{nav}</nav></header>
<main>
<div class="wheel"><figure>{wheel_svg(year, picture.today, picture.entries)}
<figcaption>Vuosikello kuvana: kuukaudet kiertävät myötäpäivään tammikuusta alkaen; musta viiva on tämä päivä.
</figcaption></figure>
<section aria-labelledby="legend-title"><h2 id="legend-title">Selitteet</h2>{legend()}</section></div>
<section id="clock-list" aria-labelledby="list-title"><h2 id="list-title">Vuosikello luettelona</h2>
<div class="month-list">{_months(picture.entries)}</div></section>
<section id="upcoming" aria-labelledby="upcoming-title"><h2 id="upcoming-title">Tulossa</h2>
{scrolling(upcoming, "Tulevat merkinnät")}</section>
</main>
</body>
</html>"""
