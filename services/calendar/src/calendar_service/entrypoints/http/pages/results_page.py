"""A feedback survey's results as a page for staff (Finnish): per question an accessible table of the counts
and the same as a bar chart in inline SVG (decorative beside the table it repeats: ``aria-hidden``); questions
with fewer than five answers say that they are not broken down; free-text answers listed."""

from __future__ import annotations

from html import escape

from calendar_service.domain.survey import QuestionKind, SurveyState
from calendar_service.domain.survey_results import MIN_GROUP, QuestionResult, SurveyResults
from calendar_service.entrypoints.http.pages.style import STYLE, scrolling

BAR = "#1f5fa8"  # 6.4:1 against white
KIND_FI = {
    QuestionKind.SCALE: "asteikko 1–5", QuestionKind.SINGLE_CHOICE: "yksi vaihtoehto",
    QuestionKind.MULTIPLE_CHOICE: "monta vaihtoehtoa", QuestionKind.FREE_TEXT: "vapaa teksti",
}  # fmt: skip
STATE_FI = {SurveyState.DRAFT: "luonnos", SurveyState.OPEN: "avoinna", SurveyState.CLOSED: "päättynyt"}
# Each option's label on a line of its own above its bar: a label never runs out of the chart however long it
# is (up to LABEL_CHARS, then cut with an ellipsis; the table beside gives it whole), and the chart is narrow
# enough to stay legible when a phone's screen scales it down.
LINE, BAR_HEIGHT, ROW = 18, 18, 44
BAR_WIDTH, COUNT_WIDTH, LABEL_CHARS = 400, 60, 40


def _percent(count: int, of: int) -> str:
    return f"{round(100 * count / of)} %" if of else "–"


def _label(option: str) -> str:
    return option if len(option) <= LABEL_CHARS else option[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(counts: dict[str, int], answered: int) -> str:
    top = max(counts.values(), default=0) or 1
    height = ROW * len(counts) + 4
    bars = []
    for i, (option, count) in enumerate(counts.items()):
        y, width = i * ROW, round(BAR_WIDTH * count / top)
        bars.append(
            f'<text x="0" y="{y + LINE - 4}" font-size="13">{escape(_label(option))}</text>'
            f'<rect x="0" y="{y + LINE}" width="{width}" height="{BAR_HEIGHT}" fill="{BAR}"/>'
            f'<text x="{width + 6}" y="{y + LINE + BAR_HEIGHT - 4}" font-size="13">{count}</text>'
        )
    total = BAR_WIDTH + COUNT_WIDTH
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {height}" width="{total}" height="{height}" '
        f'aria-hidden="true" focusable="false" font-family="DejaVu Sans, sans-serif" fill="#1a1a1a">'
        f"{''.join(bars)}</svg>"
    )


def _question(q: QuestionResult, n: int) -> str:
    head = f'<h2 id="q-{escape(q.key)}">{n}. {escape(q.text_fi)}</h2>'
    facts = f"<p>{escape(KIND_FI[q.kind])}; vastanneita {q.answered}.</p>"
    if q.suppressed:
        return f"<section>{head}{facts}<p>Alle {MIN_GROUP} vastausta: tuloksia ei eritellä.</p></section>"
    body = ""
    if q.counts is not None:
        rows = "".join(
            f'<tr><th scope="row">{escape(o)}</th><td>{c}</td><td>{_percent(c, q.answered)}</td></tr>'
            for o, c in q.counts.items()
        )
        mean = f"<p>Keskiarvo {q.mean:.2f}".replace(".", ",") + " (1–5).</p>" if q.mean is not None else ""
        body = (
            f"{mean}"
            + scrolling(
                f"<table><caption>{escape(q.text_fi)}: vastaukset vaihtoehdoittain</caption>"
                '<thead><tr><th scope="col">Vaihtoehto</th><th scope="col">Vastauksia</th>'
                f'<th scope="col">Osuus vastanneista</th></tr></thead><tbody>{rows}</tbody></table>',
                f"Vastaukset: {escape(q.text_fi)}",
            )
            + f'<figure class="chart">{bar_chart(q.counts, q.answered)}</figure>'
        )
    if q.texts is not None:
        items = "".join(f"<li>{escape(t)}</li>" for t in q.texts) or "<li>Ei vastauksia.</li>"
        body += f'<ul class="free-text">{items}</ul>'
    return f"<section>{head}{facts}{body}</section>"


def render_results_page(results: SurveyResults) -> str:
    s = results.survey
    summary = f"Vastauksia {results.answers} / {s.invitations} kutsua; kysely on {STATE_FI[s.state]}."
    if results.suppressed:
        summary += f" Alle {MIN_GROUP} vastausta: tuloksia ei eritellä."
    sections = "".join(_question(q, i) for i, q in enumerate(results.questions, start=1))
    return f"""<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(s.title_fi)} – tulokset</title><style>{STYLE}</style></head>
<body>
<a class="skip" href="#results">Siirry tuloksiin</a>
<header><h1>{escape(s.title_fi)}: tulokset</h1><p>{escape(summary)}</p>
<p>Vastaukset ovat nimettömiä; vapaat vastaukset näkyvät vain kaupungin henkilöstölle.</p></header>
<main id="results">{sections}</main>
</body>
</html>"""
