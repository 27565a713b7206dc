"""A survey's results as CSV (RFC 4180, UTF-8, CRLF): one row per question and option (or scale step), the
count choosing it; a scale's mean on its own row; free text (staff only) one row per text. Withheld figures
(fewer than five answers) are empty cells with ``suppressed`` set. Cells a spreadsheet would run as a formula
are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io

from calendar_service.domain.survey_results import SurveyResults

MEDIA_TYPE = "text/csv; charset=utf-8"
COLUMNS = ["question_key", "question", "kind", "answered", "suppressed", "option", "count", "mean", "text"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def results_csv(results: SurveyResults) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for q in results.questions:
        head = [q.key, q.text_fi, q.kind.value, q.answered, "true" if q.suppressed else "false"]
        rows: list[list[object]] = []
        for option, count in (q.counts or {}).items():
            rows.append([*head, option, count, None, None])
        if q.mean is not None:
            rows.append([*head, None, None, q.mean, None])
        rows.extend([*head, None, None, None, text] for text in q.texts or [])
        for row in rows or [[*head, None, None, None, None]]:
            writer.writerow(cell(v) for v in row)
    return out.getvalue().encode("utf-8")
