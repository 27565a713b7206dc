"""The operators' command line's pure parts: tables, ages, queue names as operators type them, ids."""

from __future__ import annotations

import uuid

import pytest

from shared.config import ServiceSettings
from shared.messaging.topology import Topology
from shared.ops.cli import short_error
from shared.ops.dead_letters import event_id_of
from shared.ops.queues import vhost_of
from shared.ops.services import ServiceView, UnknownQueue, locate
from shared.ops.table import age, render


def test_a_table_aligns_its_columns_and_lets_only_the_last_run_on() -> None:
    long = "x" * 100
    lines = render(["name", "count", "error"], [("a", 1, long), (long, None, "short")]).splitlines()
    assert lines[0].split() == ["NAME", "COUNT", "ERROR"]
    assert lines[1].endswith(long) and lines[1].index("1") == lines[0].index("COUNT")
    assert lines[2].startswith("x" * 71 + "…") and " - " in lines[2]


@pytest.mark.parametrize(
    ("seconds", "shown"), [(None, "-"), (5.4, "5s"), (65, "1m 05s"), (3 * 3600 + 120, "3h 02m"), (90000, "1d 01h")]
)
def test_ages_read_at_a_glance(seconds: float | None, shown: str) -> None:
    assert age(seconds) == shown


def test_an_error_is_shown_without_its_module_path() -> None:
    assert short_error("pydantic_core._pydantic_core.ValidationError: 1 errors") == "ValidationError: 1 errors"
    assert short_error("broker: delivery_limit") == "broker: delivery_limit"


def test_a_queue_is_found_by_its_name_its_dlq_or_without_the_namespace() -> None:
    view = ServiceView("grants", ServiceSettings(), Topology("prod"), ("prod.grants.on_x",))
    for name in ("prod.grants.on_x", "grants.on_x", "grants.on_x.dlq", "prod.grants.on_x.dlq"):
        found = locate([view], name)
        assert (found.queue, found.dead_letters, found.parked) == ("prod.grants.on_x", "prod.grants.on_x.dlq", False)
    parked = locate([view], "events.unrouted")
    assert (parked.queue, parked.dead_letters, parked.parked) == ("prod.events.unrouted", "prod.events.unrouted", True)
    with pytest.raises(UnknownQueue, match=r"known queues: prod\.events\.unrouted, prod\.grants\.on_x"):
        locate([view], "grants.on_y")


def test_event_ids_compare_in_either_spelling() -> None:
    event_id = uuid.uuid4()
    assert event_id_of(event_id.hex) == event_id_of(str(event_id)) == str(event_id)
    assert event_id_of("not-a-uuid") == "not-a-uuid"


def test_the_vhost_comes_from_the_amqp_url() -> None:
    assert vhost_of("amqp://guest:guest@127.0.0.1:5672/") == "/"
    assert vhost_of("amqp://u:p@rabbit/pori%2Fprod") == "pori/prod"
