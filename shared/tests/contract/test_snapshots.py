"""Every contract matches its committed JSON-schema snapshot; a breaking change needs a new version."""

from shared.contracts.catalog import registry
from shared.contracts.snapshots import check_all


def test_no_contract_changed_incompatibly() -> None:
    breaking, _ = check_all()
    assert not breaking, "These changes break consumers; publish a new version instead:\n" + "\n".join(breaking)


def test_every_contract_has_an_up_to_date_snapshot() -> None:
    _, stale = check_all()
    assert not stale, "Run `make contracts` and commit the snapshots:\n" + "\n".join(stale)


def test_routing_keys_are_versioned() -> None:
    for model in registry.all():
        producer, name, version = model.routing_key().split(".")
        assert producer == model.producer and name == model.event_type and version == f"v{model.event_version}"
