"""Prometheus metrics. Each process has its own registry so tests can build many apps side by side."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.http_requests = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r)
        self.http_latency = Histogram(
            "http_request_duration_seconds", "HTTP request latency", ["method", "route"], registry=r
        )
        self.outbox_published = Counter("outbox_published_total", "Events published by the relay", registry=r)
        self.outbox_failures = Counter("outbox_publish_failures_total", "Failed relay publishes", registry=r)
        self.outbox_pending = Gauge(
            "outbox_pending", "Unpublished outbox rows at the last claim (counted up to 100,000)", registry=r
        )
        self.outbox_lag = Gauge(
            "outbox_lag_seconds", "Age of the oldest unpublished outbox row at the last claim", registry=r
        )
        self.dead_letters = Gauge(
            "dead_letter_messages", "Messages waiting in a dead-letter queue", ["queue"], registry=r
        )
        self.unrouted = Gauge(
            "unrouted_messages", "Events parked in events.unrouted: published, but no queue was bound", registry=r
        )
        self.queue_capacity = Gauge(
            "queue_capacity_messages", "The bound of a parking or dead-letter queue; full, it refuses more",
            ["queue"], registry=r,
        )  # fmt: skip
        self.messages_handled = Counter(
            "messages_handled_total", "Consumed events by outcome", ["consumer", "outcome"], registry=r
        )
        self.handler_retries = Counter(
            "handler_retries_total", "Handler failures retried after a back-off", ["consumer"], registry=r
        )
        self.consumer_paused = Counter(
            "consumer_paused_seconds_total", "Seconds handlers waited for their database", ["consumer"], registry=r
        )
