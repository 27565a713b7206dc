from shared.contracts.snapshots import breaking_changes

OLD = {
    "properties": {"id": {"type": "string"}, "kind": {"$ref": "#/$defs/Kind"}},
    "required": ["id", "kind"],
    "$defs": {"Kind": {"enum": ["a", "b"], "type": "string"}},
}


def with_(**changes: object) -> dict[str, object]:
    return {**OLD, **changes}


def test_an_unchanged_schema_breaks_nothing() -> None:
    assert breaking_changes(OLD, OLD) == []


def test_a_new_optional_field_is_additive() -> None:
    new = with_(properties={**OLD["properties"], "note": {"type": "string"}})  # type: ignore[dict-item]
    assert breaking_changes(OLD, new) == []


def test_removing_a_field_breaks() -> None:
    new = with_(properties={"id": {"type": "string"}}, required=["id"])
    assert breaking_changes(OLD, new) == ["field 'kind' was removed"]


def test_a_new_required_field_breaks() -> None:
    new = with_(properties={**OLD["properties"], "n": {"type": "integer"}}, required=["id", "kind", "n"])  # type: ignore[dict-item]
    assert breaking_changes(OLD, new) == ["field 'n' became required"]


def test_a_changed_enum_behind_a_reference_breaks() -> None:
    new = with_(**{"$defs": {"Kind": {"enum": ["a"], "type": "string"}}})
    problems = breaking_changes(OLD, new)
    assert len(problems) == 1 and problems[0].startswith("field 'kind' changed")
