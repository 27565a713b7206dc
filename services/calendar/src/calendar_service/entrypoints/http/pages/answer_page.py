"""A feedback survey's answer page (Finnish): where an invitation's link leads.

The link carries the token in its fragment (``/surveys/{id}/answer#token=...``), which a browser never sends
to a server, so the token stays out of every access log; the page's script reads it and posts the answer as
JSON to ``POST /surveys/{id}/answers`` (one answer per token: a second gets 409, and the page says so). The
form is plain HTML with labelled fieldsets (WCAG 2.1: keyboard, labels); the survey's texts are escaped.
"""

from __future__ import annotations

import json
from html import escape

from calendar_service.domain.survey import Question, QuestionKind, Survey, SurveyState
from calendar_service.entrypoints.http.pages.style import STYLE

SCALE_FI = {1: "1 – heikko", 2: "2", 3: "3", 4: "4", 5: "5 – erinomainen"}

SCRIPT = """
const form = document.getElementById("answer"), said = document.getElementById("said");
const token = new URLSearchParams(location.hash.slice(1)).get("token");
if (!token) { said.textContent = "Linkistä puuttuu kutsun tunniste: avaa kyselyn linkki kutsusta."; }
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const answers = {};
  for (const q of QUESTIONS) {
    const named = form.querySelectorAll(`[name="${q.key}"]`);
    if (q.kind === "multiple_choice") {
      answers[q.key] = [...named].filter((i) => i.checked).map((i) => i.value);
    } else if (q.kind === "free_text") {
      answers[q.key] = named[0].value;
    } else {
      const chosen = [...named].find((i) => i.checked);
      if (chosen) answers[q.key] = q.kind === "scale" ? Number(chosen.value) : chosen.value;
    }
  }
  const sent = await fetch(location.pathname.replace(/answer$/, "answers"), {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({token, answers}),
  });
  if (sent.status === 201) { form.hidden = true; said.textContent = "Kiitos vastauksestasi!"; return; }
  const problem = await sent.json().catch(() => ({}));
  said.textContent = sent.status === 409 ? "Tällä kutsulla on jo vastattu, tai kysely on päättynyt."
    : sent.status === 404 ? "Kutsulinkki ei kelpaa." : (problem.detail || "Vastausta ei voitu tallentaa.");
});
"""


def _choices(question: Question, options: list[tuple[str, str]], kind: str) -> str:
    inputs = "".join(
        f'<label><input type="{kind}" name="{escape(question.key)}" value="{escape(value)}"> {escape(label)}</label> '
        for value, label in options
    )
    required = " (pakollinen)" if question.required else ""
    return f"<fieldset><legend>{escape(question.text_fi)}{required}</legend>{inputs}</fieldset>"


def _question(question: Question) -> str:
    match question.kind:
        case QuestionKind.SCALE:
            return _choices(question, [(str(v), label) for v, label in SCALE_FI.items()], "radio")
        case QuestionKind.SINGLE_CHOICE:
            return _choices(question, [(o, o) for o in question.options], "radio")
        case QuestionKind.MULTIPLE_CHOICE:
            return _choices(question, [(o, o) for o in question.options], "checkbox")
        case QuestionKind.FREE_TEXT:
            key = escape(question.key)
            return (
                f'<p><label for="q-{key}">{escape(question.text_fi)}</label><br>'
                f'<textarea id="q-{key}" name="{key}" rows="4" cols="60" maxlength="2000"></textarea></p>'
            )


def render_answer_page(survey: Survey) -> str:
    questions = json.dumps([{"key": q.key, "kind": q.kind.value} for q in survey.questions])
    fields = "".join(_question(q) for q in survey.questions)
    form = f'<form id="answer">{fields}<p><button type="submit">Lähetä vastaus</button></p></form>'
    if survey.state is not SurveyState.OPEN:
        form = '<p>Kysely on päättynyt: siihen ei voi enää vastata.</p><form id="answer" hidden></form>'
    return f"""<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{escape(survey.title_fi)} – palautekysely</title><style>{STYLE}</style></head>
<body>
<main>
<h1>{escape(survey.title_fi)}</h1>
<p>{escape(survey.description_fi)}</p>
<p>Vastaukset ovat nimettömiä: vastausta ei voi yhdistää kutsuun. Kutsulla voi vastata kerran.</p>
{form}
<p id="said" role="status" aria-live="polite"></p>
<noscript><p>Vastaaminen vaatii JavaScriptin.</p></noscript>
</main>
<script>const QUESTIONS = {questions};{SCRIPT}</script>
</body>
</html>"""
