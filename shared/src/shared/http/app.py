"""What every service's HTTP API has: problem+json errors, CORS, correlation ids, health and metrics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.telemetry import TelemetryConfig
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from shared.auth.tokens import TokenVerifier
from shared.container import Container
from shared.contracts.asyncapi import asyncapi_document
from shared.contracts.envelope import EventData
from shared.http.conventions import install_conventions
from shared.http.health import BrokerProbe, Readiness
from shared.http.middleware import CORRELATION_HEADER, CorrelateAndMeasure
from shared.http.problems import install_problem_handlers
from shared.observability.logging import get_logger

log = get_logger(__name__)


def create_base_app(
    container: Container[Any, Any],
    *,
    title: str,
    description: str,
    version: str = "0.1.0",
    consumes: Sequence[type[EventData]] = (),
) -> FastAPI:
    """The app every service starts from; ``app.state.container`` is the service's container.

    The lifespan closes the container (engine and clients) when the server stops.
    """
    settings, engine = container.settings, container.engine
    probe = BrokerProbe(settings.amqp_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log.info("http_started", port=settings.http_port)
        yield
        await probe.close()
        await container.close()
        log.info("http_stopped")

    # FastAPI's native OpenTelemetry looks for configured providers on every request; we have none (metrics
    # are Prometheus, logs structlog), so it is off rather than asked each time.
    no_telemetry: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan, telemetry=no_telemetry)
    app.state.container = container
    app.state.settings = settings
    app.state.metrics = metrics = container.metrics
    app.state.token_verifier = TokenVerifier(
        secret=settings.jwt_secret,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        jwks_url=settings.jwks_url,
    )
    install_problem_handlers(app)
    install_conventions(app)

    app.add_middleware(CorrelateAndMeasure, metrics=metrics)  # inside CORS, as before
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", CORRELATION_HEADER],
        expose_headers=[CORRELATION_HEADER, "Location"],
    )

    @app.get("/health/live", tags=["operations"])
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    not_ready = {"description": "Not ready: the database or the broker is unavailable", "model": Readiness}

    @app.get("/health/ready", tags=["operations"], response_model=Readiness, responses={503: not_ready})
    async def ready() -> JSONResponse:
        checks: dict[str, Any] = {}
        try:
            async with engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["broker"] = "ok" if await probe.ready() else "unavailable"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503)

    events = asyncapi_document(settings.service_name, consumes=consumes, exchange=container.topology.events_exchange)

    @app.get("/asyncapi.json", tags=["operations"], summary="The events this service publishes and consumes")
    async def asyncapi() -> dict[str, Any]:
        return events

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def prometheus() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
