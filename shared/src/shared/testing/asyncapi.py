"""Validate AsyncAPI documents with the reference parser (npm's ``@asyncapi/parser``), from any test.

The parser is installed by ``scripts/bootstrap.sh`` (``make deps``) into ``shared/tests/asyncapi`` from its
lock file. Without Node, or without the parser, the calling test fails (it never skips).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

PARSER = Path(__file__).resolve().parents[3] / "tests" / "asyncapi"


def parse_asyncapi(documents: dict[str, dict[str, Any]], workdir: Path) -> list[dict[str, Any]]:
    """The parser's diagnostics for each named document (``severity`` 0 is an error, 1 a warning)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js (20+) is needed to validate the AsyncAPI documents: install it, then run make deps")
    if not (PARSER / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.fail(f"The AsyncAPI parser is not installed in {PARSER}: run make deps")
    files = []
    for name, document in documents.items():
        files.append(workdir / f"{name}.asyncapi.json")
        files[-1].write_text(json.dumps(document))
    run = subprocess.run(
        [node, str(PARSER / "validate.mjs"), *map(str, files)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode in (0, 1), run.stderr
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def asyncapi_errors(documents: dict[str, dict[str, Any]], workdir: Path) -> list[dict[str, Any]]:
    return [d for d in parse_asyncapi(documents, workdir) if d["severity"] == 0]
