"""What operators and frontends rely on: health, metrics, CORS, correlation ids, the API description."""

from __future__ import annotations

import httpx


async def test_readiness_checks_the_database_and_the_broker(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}


async def test_metrics_count_requests_by_route(client: httpx.AsyncClient) -> None:
    await client.get("/associations")
    text = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/associations",status="200"}' in text


async def test_cors_allows_the_configured_frontend_only(client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Idempotency-Key"}
    ok = await client.options("/associations", headers={"Origin": "https://yhdistykset.pori.fi"} | preflight)
    assert ok.headers["access-control-allow-origin"] == "https://yhdistykset.pori.fi"
    other = await client.options("/associations", headers={"Origin": "https://evil.example"} | preflight)
    assert "access-control-allow-origin" not in other.headers


async def test_a_correlation_id_is_kept_or_made(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live", headers={"X-Correlation-ID": "abc"})).headers["x-correlation-id"] == "abc"
    assert len((await client.get("/health/live")).headers["x-correlation-id"]) == 32


async def test_the_openapi_document_describes_the_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert {"/associations", "/liaisons", "/liaisons.html", "/departments", "/privacy/erasures"} <= spec["paths"].keys()
    assert (await client.get("/docs")).status_code == 200


async def test_the_asyncapi_document_lists_the_directorys_events(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/asyncapi.json")).json()
    assert doc["asyncapi"].startswith("3.")
    addresses = {c["address"] for c in doc["channels"].values()}
    assert {"directory.AssociationRegistered.v1", "directory.LiaisonAssigned.v1"} <= addresses
    assert all(op["action"] == "send" for op in doc["operations"].values())
