"""Settings every service has; a service subclasses them with its own ``env_prefix``."""

from __future__ import annotations

from datetime import timedelta
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Defaults work on a machine with PostgreSQL at 127.0.0.1:5432 and RabbitMQ at 127.0.0.1:5672.

    A service subclass sets ``model_config = SettingsConfigDict(env_prefix="DIRECTORY_")`` and its own
    database name and port, so that one shell can run every service without their settings colliding.
    """

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "service"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/service"
    database_pool_size: int = 10
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # Prefix of every exchange and queue name, so that test runs (or tenants) never collide.
    namespace: str = ""
    # Deliveries each subscription holds unacknowledged: while one batch is in its transaction, the next arrives.
    prefetch_count: int = Field(default=200, ge=1, le=5000)
    # The batching consumer (shared.messaging.batch, ADR 0010): up to this many events in one transaction,
    # waiting at most this long for a batch to fill (what has arrived is taken at once when the wait is 0).
    consumer_batch_size: int = Field(default=100, ge=1, le=1000)
    consumer_batch_wait_ms: float = Field(default=0, ge=0, le=1000)
    # A handler's own failure is retried in process after each of these delays (about a minute in all), then
    # dead-lettered; the broker's delivery limit only bounds processes that die on a message (ADR 0002).
    handler_retry_delays_seconds: list[float] = Field(default=[1, 2, 4, 8, 15, 30], max_length=20)
    delivery_limit: int = Field(default=10, ge=1, le=100)
    # Retention of the dead-letter queues and of events.unrouted: full, they refuse more (never drop); the
    # queue watch warns from the first message and again at 80 % (shared.messaging.topology).
    dead_letter_max_messages: int = Field(default=10_000, ge=1)
    dead_letter_max_bytes: int = Field(default=64 * 2**20, ge=1024)
    unrouted_max_messages: int = Field(default=100_000, ge=1)
    unrouted_max_bytes: int = Field(default=256 * 2**20, ge=1024)
    graceful_timeout_seconds: float = 30.0

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    cors_origins: list[str] = []

    # Development tokens are HS256 with this secret; production sets jwks_url (RS256).
    jwt_secret: str = "development-only-secret-change-me-in-production"
    jwt_issuer: str = "pori-dev"
    jwt_audience: str = "pori-associations"
    jwks_url: str | None = None

    # How often the worker runs the service's periodic jobs (rounds opening, reminders, purges).
    scheduler_interval_seconds: float = Field(default=15.0, gt=0)

    # How long the worker keeps published outbox rows and inbox rows before pruning them (shared.messaging.retention,
    # ADR 0002): ISO 8601 durations such as "P7D" or "PT36H". Unpublished outbox rows are never pruned. The inbox must
    # outlive every redelivery of an event it has seen, so its retention must exceed redelivery_horizon().
    outbox_retention: timedelta = Field(default=timedelta(days=2), ge=timedelta(hours=1))
    inbox_retention: timedelta = Field(default=timedelta(days=7), ge=timedelta(hours=1))

    relay_batch_size: int = Field(default=200, ge=1, le=5000)
    # Batches in flight at once (the next is claimed and published while the last waits for its confirms).
    relay_window: int = Field(default=2, ge=1, le=8)
    relay_poll_seconds: float = 1.0
    metrics_port: int | None = None  # worker and relay serve /metrics here when set

    log_json: bool | None = None  # None: JSON unless stdout is a terminal
    log_level: str = "INFO"

    def redelivery_horizon(self) -> timedelta:
        """The longest the broker keeps redelivering one message: every delivery the limit allows, each spending
        the handler's retries and a graceful shutdown. A duplicate arriving later than this comes from an outage
        (a relay that crashed mid-batch and stayed down), which the retention's days of margin are for."""
        per_delivery = sum(self.handler_retry_delays_seconds) + self.graceful_timeout_seconds
        return timedelta(seconds=self.delivery_limit * per_delivery)

    @model_validator(mode="after")
    def _inbox_outlives_redeliveries(self) -> Self:
        if self.inbox_retention <= self.redelivery_horizon():
            raise ValueError(
                f"inbox_retention ({self.inbox_retention}) must exceed the redelivery horizon "
                f"({self.redelivery_horizon()}: delivery_limit x (handler retries + graceful timeout)), "
                "or a redelivered event would be handled twice"
            )
        return self
