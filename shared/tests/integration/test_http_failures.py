"""What a client sees when something breaks behind the API, over a real server and a real keep-alive connection:
a bug is a 500 that keeps the connection open; a database that is out for a moment is a 503 with
``Retry-After``, and the same request succeeds once the database is back."""

from __future__ import annotations

import asyncio
import http.client
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse

import pytest_asyncio
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.tokens import TokenVerifier
from shared.db.engine import create_engine
from shared.http.conventions import install_conventions
from shared.http.problems import install_problem_handlers
from shared.testing.fixtures import TEST_JWT_SECRET, Databases
from shared.testing.processes import free_port
from shared.testing.proxy import CuttableProxy

PROBLEM = "application/problem+json"


def failing_app(engine: AsyncEngine) -> FastAPI:
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(secret=TEST_JWT_SECRET, issuer="pori-dev", audience="pori-associations")
    install_problem_handlers(app)
    install_conventions(app)

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("a bug in a route, with a canary: Maija Meikäläinen")

    @app.post("/bug")
    async def bug_after_body(body: dict[str, Any]) -> None:
        raise KeyError("missing")

    @app.get("/count")
    async def count() -> dict[str, int]:
        async with engine.connect() as conn:
            return {"count": (await conn.execute(text("SELECT count(*) FROM pg_class"))).scalar_one()}

    return app


@pytest_asyncio.fixture(loop_scope="session")
async def database(databases: Databases) -> AsyncIterator[tuple[AsyncEngine, CuttableProxy]]:
    url = urlparse(await databases.create(f"failures_{uuid.uuid4().hex[:6]}"))
    proxy = CuttableProxy(url.hostname or "127.0.0.1", url.port or 5432)
    await proxy.start()
    engine = create_engine(url._replace(netloc=f"{url.username}@127.0.0.1:{proxy.port}").geturl())
    yield engine, proxy
    await engine.dispose()
    await proxy.cut()


@pytest_asyncio.fixture(loop_scope="session")
async def server(database: tuple[AsyncEngine, CuttableProxy]) -> AsyncIterator[int]:
    port = free_port()
    config = uvicorn.Config(failing_app(database[0]), host="127.0.0.1", port=port, log_config=None, lifespan="off")
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    for _ in range(200):  # up to 10 s
        if served.started:
            break
        await asyncio.sleep(0.05)
    yield port
    served.should_exit = True
    await task


class KeptConnection:
    """One HTTP/1.1 connection, kept alive between requests (``http.client``, in a thread)."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict[str, str], Any]:
        def send() -> tuple[int, dict[str, str], Any]:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            self.connection.request(method, path, body=body, headers=headers)
            answer = self.connection.getresponse()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, json.loads(answer.read())

        return await asyncio.to_thread(send)


async def test_a_500_is_problem_json_and_the_connection_stays_open_for_the_next_request(server: int) -> None:
    kept = KeptConnection(server)
    for method, path, body in (("GET", "/bug", None), ("POST", "/bug", b'{"a": 1}'), ("GET", "/bug", None)):
        status, headers, problem = await kept.request(method, path, body)
        assert status == 500 and headers["content-type"] == PROBLEM
        assert problem["title"] == "Internal error" and "Maija" not in json.dumps(problem)
        assert headers.get("connection", "keep-alive") != "close"
    status, _, answer = await kept.request("GET", "/count")  # the same connection: it was not closed
    assert status == 200 and answer["count"] > 0


async def test_a_database_out_for_a_moment_is_a_503_with_retry_after_then_the_same_request_succeeds(
    server: int, database: tuple[AsyncEngine, CuttableProxy]
) -> None:
    _, proxy = database
    kept = KeptConnection(server)
    assert (await kept.request("GET", "/count"))[0] == 200  # a pooled connection exists
    await proxy.cut()  # the pooled connection drops, and new ones are refused
    for _ in range(3):
        status, headers, problem = await kept.request("GET", "/count")
        assert status == 503, problem
        assert headers["content-type"] == PROBLEM and headers["retry-after"] == "5"
        assert problem["title"] == "Service unavailable"
    await proxy.restore()
    status, _, answer = await kept.request("GET", "/count")
    assert status == 200 and answer["count"] > 0
