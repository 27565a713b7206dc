"""A survey's results as aggregates: counts per option and the mean of scales, never one answer as given.

Small groups are not broken down: while a survey has fewer than ``MIN_GROUP`` answers, or a question fewer
than that many answers to it, its figures are withheld (``suppressed``), only the number of answers shown.
Free-text answers are shown to staff only (``with_free_text``), and likewise only from ``MIN_GROUP`` answers
up, sorted by the text itself, so their order says nothing of when they came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calendar_service.domain.survey import SCALE, QuestionKind, Survey

MIN_GROUP = 5


@dataclass
class QuestionResult:
    key: str
    kind: QuestionKind
    text_fi: str
    answered: int
    suppressed: bool
    counts: dict[str, int] | None = None  # option (or scale step) -> answers choosing it
    mean: float | None = None  # scales
    texts: list[str] | None = None  # free text, to staff only


@dataclass
class SurveyResults:
    survey: Survey
    answers: int
    suppressed: bool
    questions: list[QuestionResult] = field(default_factory=list)


def tally(survey: Survey, answers: list[dict[str, Any]], *, with_free_text: bool) -> SurveyResults:
    total = len(answers)
    whole_suppressed = total < MIN_GROUP
    results = []
    for question in survey.questions:
        given = [a[question.key] for a in answers if a.get(question.key) is not None]
        result = QuestionResult(
            key=question.key, kind=question.kind, text_fi=question.text_fi, answered=len(given),
            suppressed=whole_suppressed or len(given) < MIN_GROUP,
        )  # fmt: skip
        if not result.suppressed:
            _fill(result, question.options, given, with_free_text=with_free_text)
        results.append(result)
    return SurveyResults(survey=survey, answers=total, suppressed=whole_suppressed, questions=results)


def _fill(result: QuestionResult, options: list[str], given: list[Any], *, with_free_text: bool) -> None:
    match result.kind:
        case QuestionKind.SCALE:
            result.counts = {str(step): sum(1 for v in given if v == step) for step in SCALE}
            result.mean = round(sum(given) / len(given), 2)
        case QuestionKind.SINGLE_CHOICE:
            result.counts = {o: sum(1 for v in given if v == o) for o in options}
        case QuestionKind.MULTIPLE_CHOICE:
            result.counts = {o: sum(1 for v in given if o in v) for o in options}
        case QuestionKind.FREE_TEXT:
            if with_free_text:
                result.texts = sorted(given)  # by text: the order of arrival says nothing
