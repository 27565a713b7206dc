"""Readiness tells the truth about the broker: a cut network answers 503 at the next probe, and 200 after."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx

from shared.http.app import create_base_app
from shared.testing.proxy import CuttableProxy

from .conftest import Scratch


async def test_readiness_notices_a_lost_broker_and_its_return(scratch: Scratch) -> None:
    broker = urlparse(scratch.settings.amqp_url)
    proxy = CuttableProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    await proxy.start()
    scratch.container.settings = scratch.settings.model_copy(
        update={"amqp_url": scratch.settings.amqp_url.replace(f":{broker.port}", f":{proxy.port}")}
    )
    app = create_base_app(scratch.container, title="scratch", description="scratch")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://scratch") as client:
        assert (await client.get("/health/ready")).status_code == 200
        assert (await client.get("/health/ready")).status_code == 200  # on the kept connection
        await proxy.cut()
        lost = await client.get("/health/ready")
        assert lost.status_code == 503 and lost.json()["checks"]["broker"] == "unavailable"
        await proxy.restore()
        back = await client.get("/health/ready")
        assert back.status_code == 200 and back.json()["checks"] == {"database": "ok", "broker": "ok"}
        proxy.freeze()  # the socket stays open, the broker never answers: is_closed stays False
        hung = await client.get("/health/ready")
        assert hung.status_code == 503 and hung.json()["checks"]["broker"] == "unavailable"
        proxy.thaw()
        assert (await client.get("/health/ready")).status_code == 200
    await proxy.cut()
