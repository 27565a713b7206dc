"""Schemathesis against the bookings API as each kind of caller: no 5xx, and every answer as documented."""

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
        await api.facility(await api.department(code))
        return code

    return await caller_headers(who, tokens, department=department, association=api.association)


@pytest.mark.parametrize("who", CALLERS)
async def test_the_api_answers_as_documented(app: FastAPI, tokens: Tokens, api: Api, who: str) -> None:
    headers = await caller(who, tokens, api)
    await assert_answers_as_documented("bookings", who, app, headers, examples=EXAMPLES, stateful_examples=STATEFUL)
