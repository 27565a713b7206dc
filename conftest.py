"""Every test tier shares the fixtures of ``shared.testing.fixtures`` (servers, per-run names, tokens)."""

from pathlib import Path

import pytest

pytest_plugins = ["shared.testing.fixtures"]

TIERS = ("unit", "integration", "contract", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test's tier is the folder it lives in: ``-m unit`` runs the fast ones."""
    for item in items:
        parts = Path(str(item.path)).parts
        for tier in TIERS:
            if tier in parts:
                item.add_marker(getattr(pytest.mark, tier))
