"""The realisation's pairing: one actual per planned entry of its category, a matched one first, then the
nearest within two months; the outcome from the dates; the order of the rows never matters."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

from calendar_service.domain.annual_clock import Category
from calendar_service.domain.realisation import Actual, Outcome, Planned, realise

TODAY = date(2027, 6, 30)


def plan(category: Category, start: date, end: date | None = None) -> Planned:
    return Planned(uuid.uuid4(), category, "kohta", start, end or start)


def happened(category: Category, day: date, kind: str = "event", clock: uuid.UUID | None = None) -> Actual:
    return Actual(kind, uuid.uuid4(), category, "tapahtui", day, day, clock)


def test_outcomes_from_the_dates_and_the_pairing_in_any_order() -> None:
    round_ = plan(Category.GRANT_APPLICATION, date(2027, 2, 1), date(2027, 2, 28))
    spring, autumn = plan(Category.NEWSLETTER, date(2027, 3, 10)), plan(Category.NEWSLETTER, date(2027, 9, 10))
    may, june = plan(Category.EVENT, date(2027, 5, 14)), plan(Category.EVENT, date(2027, 6, 1))
    evaluation = plan(Category.EVALUATION, date(2027, 1, 20))
    opened = happened(Category.GRANT_APPLICATION, date(2027, 2, 3), "grant_round")
    # an issue matched to the autumn plan stays with it, though spring is nearer
    early_autumn_issue = happened(Category.NEWSLETTER, date(2027, 4, 1), "newsletter", autumn.clock_entry_id)
    spring_issue = happened(Category.NEWSLETTER, date(2027, 3, 12), "newsletter", spring.clock_entry_id)
    may_event, extra = happened(Category.EVENT, date(2027, 5, 20)), happened(Category.EVENT, date(2027, 12, 1))
    planned = [round_, spring, autumn, may, june, evaluation]
    actuals = [opened, early_autumn_issue, spring_issue, may_event, extra]
    seen = set()
    for order in itertools.islice(itertools.permutations(actuals), 0, None, 7):
        r = realise(2027, list(reversed(planned)), list(order), today=TODAY)
        outcomes = {e.planned.clock_entry_id: (e.outcome, e.actual) for e in r.entries}
        seen.add(tuple(sorted((str(k), v[0].value, v[1].source_id if v[1] else None) for k, v in outcomes.items())))
        assert outcomes[round_.clock_entry_id] == (Outcome.REALISED, opened)
        assert outcomes[spring.clock_entry_id] == (Outcome.MOVED, spring_issue)
        assert outcomes[autumn.clock_entry_id] == (Outcome.MOVED, early_autumn_issue)
        assert outcomes[may.clock_entry_id] == (Outcome.MOVED, may_event)
        assert outcomes[june.clock_entry_id] == (Outcome.NOT_REALISED, None)
        assert outcomes[evaluation.clock_entry_id] == (Outcome.NOT_TRACKED, None)
        assert r.unplanned == [extra] and r.count(Outcome.MOVED) == 3
    assert len(seen) == 1


def test_a_future_plan_is_pending_and_a_plan_takes_one_actual() -> None:
    later = plan(Category.EVENT, date(2027, 4, 15))
    one, two = happened(Category.EVENT, date(2027, 3, 1)), happened(Category.EVENT, date(2027, 3, 2))
    r = realise(2027, [later], [one, two], today=TODAY)
    assert r.entries[0].outcome is Outcome.MOVED and r.entries[0].actual == two
    assert r.unplanned == [one]
    assert realise(2027, [later], [], today=date(2027, 4, 1)).entries[0].outcome is Outcome.PENDING
    far = happened(Category.EVENT, date(2027, 8, 1))
    assert realise(2027, [later], [far], today=TODAY).entries[0].outcome is Outcome.NOT_REALISED
