"""Every service's AsyncAPI document resolves and validates with the reference parser (@asyncapi/parser).

The parser is a Node package, installed by ``scripts/bootstrap.sh`` (``make deps``) from
``shared/tests/asyncapi/package-lock.json`` (see ``shared.testing.asyncapi``). Without Node the test fails.
"""

from __future__ import annotations

from pathlib import Path

from shared.contracts.asyncapi import asyncapi_document
from shared.contracts.catalog import registry
from shared.testing.asyncapi import asyncapi_errors


def test_every_producers_document_resolves_and_validates(tmp_path: Path) -> None:
    producers = sorted({m.producer for m in registry.all()})
    documents = {
        producer: asyncapi_document(producer, consumes=[m for m in registry.all() if m.producer != producer])
        for producer in producers
    }
    assert asyncapi_errors(documents, tmp_path) == []
    for document in documents.values():
        assert document["channels"] and document["components"]["schemas"]


def test_the_parser_finds_a_dangling_reference(tmp_path: Path) -> None:
    """The check itself can fail: a payload that refers to a schema nobody defines is an error."""
    document = asyncapi_document("directory")
    channel = next(iter(document["channels"].values()))
    message = next(iter(channel["messages"].values()))
    message["payload"] = {"$ref": "#/components/schemas/Nowhere"}
    errors = asyncapi_errors({"broken": document}, tmp_path)
    assert errors and "Nowhere" in errors[0]["message"]
