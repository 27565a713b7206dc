"""An erasure forwarded over real HTTP to a notifier that is down (nothing listens on its port): the forward
waits in the directory's database, and once a server stands in for the notifier there, the worker's job
delivers it with the directory's service token, records the counts and forgets the address."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Header, Request

from directory.adapters.privacy_peers import privacy_peers
from directory.bootstrap import bootstrap, jobs
from directory.config import Settings
from directory.entrypoints.http.app import create_app
from shared.auth import Role, TokenVerifier
from shared.scheduling import run_jobs_once
from shared.testing.fixtures import Tokens
from shared.testing.processes import free_port

from ..conftest import Api, FakePeer


def stand_in_notifier(settings: Settings, seen: list[dict[str, Any]]) -> FastAPI:
    """Only for this test: the notifier's /privacy/erasures, checking the caller is the directory."""
    app = FastAPI()
    verifier = TokenVerifier(secret=settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)

    @app.post("/privacy/erasures")
    async def erase(request: Request, authorization: str = Header(), key: str = Header(alias="Idempotency-Key")) -> Any:
        caller = verifier.verify(authorization.removeprefix("Bearer "))
        assert caller.role is Role.SERVICE and caller.subject == "service:directory"
        seen.append({"body": await request.json(), "key": key, "path": str(request.url)})
        return {"subscriptions": 1, "deliveries": 3, "stored_replies": 0}

    return app


@asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def test_a_forward_to_a_notifier_that_is_down_is_delivered_when_it_is_back(
    settings: Settings, api: Api, tokens: Tokens
) -> None:
    port = free_port()
    own = settings.model_copy(update={"notifier_url": f"http://127.0.0.1:{port}", "privacy_forward_retry_seconds": [5]})
    notifier, calendar = privacy_peers(own)  # the real HTTP client to the notifier's address
    await calendar.close()
    container = bootstrap(own, peers=[notifier, FakePeer("calendar")])
    app = create_app(container)
    email = f"eino.{uuid.uuid4().hex[:8]}@example.fi"
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://directory") as client:
            answer = await client.post("/privacy/erasures", json={"email": email}, headers=tokens.admin())
            assert answer.status_code == 200, answer.text
            erasure = answer.json()
            assert erasure["pending"] == ["notifier"] and erasure["parts"]["calendar"]["state"] == "done"
            erasure_id = uuid.UUID(erasure["id"])
            [(attempts, error)] = await api.rows(
                "SELECT attempts, last_error FROM privacy_forward WHERE erasure_id = :i", i=erasure_id
            )
            assert (attempts, error) == (1, "ConnectError")

            seen: list[dict[str, Any]] = []
            async with serving(stand_in_notifier(own, seen), port):
                now = container.clock()
                assert (await run_jobs_once(container, jobs(container), now=now))["forward_erasures"] == 0
                later = now + timedelta(seconds=6)
                assert (await run_jobs_once(container, jobs(container), now=later))["forward_erasures"] == 1
                assert (await run_jobs_once(container, jobs(container), now=later))["forward_erasures"] == 0
            [call] = seen
            assert call["body"] == {"email": email} and email not in call["path"]
            assert call["key"].startswith("directory-erasure-")

            state = (await client.get(f"/privacy/erasures/{erasure_id}", headers=tokens.admin())).json()
            assert state["pending"] == []
            assert state["parts"]["notifier"]["counts"] == {"subscriptions": 1, "deliveries": 3, "stored_replies": 0}
        assert await api.scalar("SELECT count(*) FROM privacy_forward WHERE erasure_id = :i", i=erasure_id) == 0
        kept = "SELECT count(*) FROM erasure_record t WHERE t::text ILIKE :e"
        assert await api.scalar(kept, e=f"%{email}%") == 0
    finally:
        await container.close()
