"""Committed JSON-schema snapshots of every contract, and the compatibility rule they are checked with.

``python -m shared.contracts.snapshots`` writes snapshots for new or compatibly changed contracts and refuses
to overwrite one whose change would break consumers: that change needs a new version.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shared.contracts.catalog import registry
from shared.contracts.envelope import EventData

SNAPSHOT_DIR = Path(__file__).parent / "schemas"


def schema_of(model: type[EventData]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def snapshot_path(model: type[EventData]) -> Path:
    return SNAPSHOT_DIR / f"{model.routing_key()}.json"


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return _resolve(root["$defs"][ref.rsplit("/", 1)[-1]], root)
    return schema


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What in ``new`` would break a consumer written against ``old``.

    Additive changes are allowed: a new optional field. Everything else breaks: a field removed, its type or
    allowed values changed, or a new required field (old producers' messages would not carry it).
    """
    problems: list[str] = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_field in old_props.items():
        if name not in new_props:
            problems.append(f"field '{name}' was removed")
            continue
        before, after = _resolve(old_field, old), _resolve(new_props[name], new)
        if json.dumps(before, sort_keys=True) != json.dumps(after, sort_keys=True):
            problems.append(f"field '{name}' changed from {before} to {after}")
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        problems.append(f"field '{name}' became required")
    return problems


def check_all() -> tuple[list[str], list[str]]:
    """(breaking, stale): contracts that changed incompatibly, and snapshots missing or out of date."""
    breaking, stale = [], []
    for model in registry.all():
        path = snapshot_path(model)
        current = schema_of(model)
        if not path.exists():
            stale.append(f"{model.routing_key()}: no snapshot")
            continue
        committed = json.loads(path.read_text())
        for problem in breaking_changes(committed, current):
            breaking.append(f"{model.routing_key()}: {problem}")
        if committed != current:
            stale.append(f"{model.routing_key()}: snapshot out of date")
    return breaking, stale


def main() -> int:
    breaking, _ = check_all()
    if breaking:
        print("Refusing to update snapshots; these changes break consumers and need a new version:")
        print("\n".join(f"  {b}" for b in breaking))
        return 1
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    for model in registry.all():
        snapshot_path(model).write_text(json.dumps(schema_of(model), indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(registry.all())} snapshots to {SNAPSHOT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
