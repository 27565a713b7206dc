"""Schemathesis against the notifier API as each kind of caller: no 5xx, and every answer as documented
(status, content type, headers, body schema), invalid input refused and authentication not ignored."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI

from shared.testing.fixtures import Tokens
from shared.testing.fuzz import CALLERS, assert_answers_as_documented, caller_headers

EXAMPLES, STATEFUL = 5, 15


async def caller(who: str, tokens: Tokens) -> dict[str, str]:
    async def department() -> str:
        return f"dept-{uuid.uuid4().hex[:6]}"

    async def association() -> uuid.UUID:
        return uuid.uuid4()

    return await caller_headers(who, tokens, department=department, association=association)


@pytest.mark.parametrize("who", CALLERS)
async def test_the_api_answers_as_documented(app: FastAPI, tokens: Tokens, who: str) -> None:
    headers = await caller(who, tokens)
    await assert_answers_as_documented("notifier", who, app, headers, examples=EXAMPLES, stateful_examples=STATEFUL)
