"""Schemathesis against the calendar API as each kind of caller: no 5xx, and every answer as documented
(status, content type, headers, body schema), invalid input refused and authentication not ignored."""

from __future__ import annotations

import uuid

import pytest
from fastapi import FastAPI

from shared.testing.fixtures import Tokens
from shared.testing.fuzz import CALLERS, assert_answers_as_documented, caller_headers

from ..conftest import Api

EXAMPLES, STATEFUL = 5, 15


async def caller(who: str, tokens: Tokens, api: Api) -> dict[str, str]:
    async def department() -> str:
        code = f"dept-{uuid.uuid4().hex[:6]}"
        await api.clock_entry(code)
        return code

    async def association() -> uuid.UUID:
        return uuid.uuid4()

    return await caller_headers(who, tokens, department=department, association=association)


@pytest.mark.parametrize("who", CALLERS)
async def test_the_api_answers_as_documented(app: FastAPI, tokens: Tokens, api: Api, who: str) -> None:
    headers = await caller(who, tokens, api)
    await assert_answers_as_documented("calendar", who, app, headers, examples=EXAMPLES, stateful_examples=STATEFUL)
