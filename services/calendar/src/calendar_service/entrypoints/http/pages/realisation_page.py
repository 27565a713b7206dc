"""The yearly realisation as a page for staff (Finnish): totals, then an accessible table of the planned
entries with their outcome and actual dates, and what happened without a plan."""

from __future__ import annotations

from datetime import date
from html import escape

from calendar_service.domain.realisation import Outcome
from calendar_service.entrypoints.http.pages.style import CATEGORY_LABELS_FI, STYLE, scrolling
from calendar_service.entrypoints.http.realisation_schemas import ActualRead, RealisationRead

OUTCOME_FI = {
    Outcome.REALISED: "toteutui", Outcome.MOVED: "toteutui siirtyneenä", Outcome.NOT_REALISED: "ei toteutunut",
    Outcome.PENDING: "ei vielä ajankohtainen", Outcome.NOT_TRACKED: "ei seurattavissa",
}  # fmt: skip
KIND_FI = {
    "grant_round": "avustushaku avattiin",
    "newsletter": "uutiskirje lähetettiin",
    "event": "tilaisuus pidettiin",
}


def _day(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def _period(starts_on: date, ends_on: date) -> str:
    return _day(starts_on) if starts_on == ends_on else f"{_day(starts_on)}–{_day(ends_on)}"


def _attendance(a: ActualRead | None) -> str:
    if a is None or a.registrations is None:
        return ""
    return f"{a.registrations} ilmoittautumista, {a.participants} osallistujaa"


def _actual_cells(a: ActualRead | None) -> str:
    if a is None:
        return "<td>–</td><td>–</td><td></td>"
    what = f"{escape(a.title_fi)} ({KIND_FI.get(a.kind, a.kind)})"
    return f"<td>{what}</td><td>{_period(a.starts_on, a.ends_on)}</td><td>{_attendance(a)}</td>"


def render_realisation_page(r: RealisationRead) -> str:
    t = r.totals
    summary = (
        f"Suunniteltuja kohtia {t.planned}: toteutui {t.realised}, siirtyneenä {t.moved}, ei toteutunut "
        f"{t.not_realised}, ei vielä ajankohtainen {t.pending}, ei seurattavissa {t.not_tracked}. "
        f"Tilaisuuksia pidettiin {t.events_held} ({t.confirmed_registrations} vahvistettua ilmoittautumista, "
        f"{t.participants} osallistujaa); avustushakuja avattiin {t.rounds_opened}; uutiskirjeitä lähetettiin "
        f"{t.newsletters_sent}."
    )
    rows = (
        "".join(
            f'<tr><th scope="row">{escape(e.title_fi)}</th><td>{CATEGORY_LABELS_FI[e.category]}</td>'
            f"<td>{_period(e.planned_starts_on, e.planned_ends_on)}</td><td>{OUTCOME_FI[e.outcome]}</td>"
            f"{_actual_cells(e.actual)}</tr>"
            for e in r.entries
        )
        or '<tr><td colspan="7">Vuodelle ei ole suunniteltuja kohtia.</td></tr>'
    )
    extra = (
        "".join(
            f'<tr><th scope="row">{escape(a.title_fi)}</th><td>{CATEGORY_LABELS_FI[a.category]}</td>'
            f"<td>{KIND_FI.get(a.kind, a.kind)}</td><td>{_period(a.starts_on, a.ends_on)}</td><td>{_attendance(a)}</td></tr>"
            for a in r.unplanned
        )
        or '<tr><td colspan="5">Ei suunnitelman ulkopuolisia toteutumia.</td></tr>'
    )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Suunniteltu kohta", "Luokka", "Suunniteltu aika", "Toteutuminen", "Mitä tapahtui",
                  "Toteutunut aika", "Osallistuminen")
    )  # fmt: skip
    extra_head = "".join(
        f'<th scope="col">{h}</th>' for h in ("Toteutuma", "Luokka", "Mitä tapahtui", "Aika", "Osallistuminen")
    )
    plan = (
        f"<table><caption>Vuosikellon suunnitellut kohdat {r.year} ja niiden toteutuminen</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
    outside = (
        f"<table><caption>Toteutumat {r.year} ilman omaa suunniteltua kohtaa</caption>"
        f"<thead><tr>{extra_head}</tr></thead><tbody>{extra}</tbody></table>"
    )
    return f"""<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vuosikellon toteutuminen {r.year}</title><style>{STYLE}</style></head>
<body>
<a class="skip" href="#realisation">Siirry toteutumaan</a>
<header><h1>Vuosikellon toteutuminen {r.year}</h1><p>{escape(summary)}</p></header>
<main id="realisation">
{scrolling(plan, "Suunnitellut kohdat")}
<h2>Suunnitelman ulkopuolella</h2>
{scrolling(outside, "Suunnitelman ulkopuoliset toteutumat")}
</main>
</body>
</html>"""
