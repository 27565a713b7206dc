"""The public liaison directory page: plain semantic HTML (WCAG-minded), no scripts, Finnish first."""

from __future__ import annotations

import uuid
from html import escape

from directory.domain.department import Department
from directory.entrypoints.http.schemas import LiaisonRead
from shared.contracts.directory import LiaisonKind
from shared.http.pagination import Page

KIND_LABELS = {
    LiaisonKind.COORDINATOR: "Yhteyskoordinaattori (liaison coordinator)",
    LiaisonKind.DEPARTMENT_CONTACT: "Toimialan yhteyshenkilö (department contact)",
    LiaisonKind.PROGRAMME_CONTACT: "Avustusohjelman vastuuhenkilö (grant programme contact)",
    LiaisonKind.PARTNERSHIP_CONTACT: "Kumppanuuden vastuuhenkilö (partnership contact)",
    LiaisonKind.FACILITY_CONTACT: "Tilan yhteyshenkilö (facility contact)",
}

STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;line-height:1.5;color:#1a1a1a}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #767676;vertical-align:top}
a{color:#0645ad}a:focus,input:focus,select:focus,button:focus{outline:3px solid #ffbf47}
form{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:1rem 0}label{display:block;font-weight:600}
input,select,button{font-size:1rem;padding:.4rem}
"""


def _option(value: str, label: str, selected: bool) -> str:
    return f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'


def _row(c: LiaisonRead) -> str:
    phone = f'<a href="tel:{escape(c.phone.replace(" ", ""))}">{escape(c.phone)}</a>' if c.phone else ""
    return (
        "<tr>"
        f'<th scope="row">{escape(c.name)}</th>'
        f"<td>{escape(c.title or '')}</td>"
        f"<td>{escape(KIND_LABELS[c.kind])}</td>"
        f"<td>{escape(c.department_name or '')}</td>"
        f"<td>{escape(', '.join(c.topics))}</td>"
        f'<td><a href="mailto:{escape(c.email)}">{escape(c.email)}</a><br>{phone}</td>'
        "</tr>"
    )


def render_liaison_page(
    results: Page[LiaisonRead], departments: list[Department], *, q: str | None, kind: LiaisonKind | None,
    department_id: uuid.UUID | None,
) -> str:  # fmt: skip
    kinds = "".join(_option(k.value, label, k is kind) for k, label in KIND_LABELS.items())
    depts = "".join(_option(str(d.id), d.name, d.id == department_id) for d in departments)
    rows = "".join(_row(c) for c in results.items) or '<tr><td colspan="6">Ei hakutuloksia (no results).</td></tr>'
    return f"""<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Yhdistysten yhteyshenkilöt – Porin kaupunki</title><style>{STYLE}</style></head>
<body>
<header><p><a href="#results">Siirry hakutuloksiin (skip to results)</a></p>
<h1>Yhdistysten yhteyshenkilöt kaupungilla</h1>
<p>Liaison contacts for associations in the City of Pori. Jos yhdistykselläsi ei ole aiempaa yhteyttä
kaupunkiin, ota yhteyttä yhteyskoordinaattoriin: hän ohjaa oikealle henkilölle.</p></header>
<main>
<form method="get" action="liaisons.html" role="search">
<div><label for="q">Hae nimellä tai aiheella (search)</label><input id="q" name="q" type="search" value="{escape(q or "")}"></div>
<div><label for="kind">Tehtävä (role)</label><select id="kind" name="kind"><option value="">Kaikki (all)</option>{kinds}</select></div>
<div><label for="department_id">Toimiala (department)</label><select id="department_id" name="department_id"><option value="">Kaikki (all)</option>{depts}</select></div>
<div><button type="submit">Hae (search)</button></div>
</form>
<table id="results">
<caption>{results.total} yhteyshenkilöä (contacts)</caption>
<thead><tr><th scope="col">Nimi</th><th scope="col">Titteli</th><th scope="col">Tehtävä</th><th scope="col">Toimiala</th><th scope="col">Aiheet</th><th scope="col">Yhteystiedot</th></tr></thead>
<tbody>{rows}</tbody>
</table>
</main>
</body>
</html>"""
