"""An AsyncAPI 3.0 document of what a service publishes and consumes, made from the contract registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.contracts.catalog import registry
from shared.contracts.envelope import Envelope, EventData


def _message(model: type[EventData]) -> dict[str, Any]:
    schema = Envelope[model].model_json_schema(ref_template="#/components/schemas/{model}")  # type: ignore[valid-type]
    return {
        "name": model.event_type,
        "title": f"{model.event_type} v{model.event_version}",
        "summary": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
        "contentType": "application/json",
        "headers": {"type": "object", "properties": {"correlation_id": {"type": "string"}}},
        "correlationId": {"location": "$message.header#/correlation_id"},
        "payload": schema,
    }


def asyncapi_document(
    service: str, *, consumes: Sequence[type[EventData]] = (), exchange: str = "events"
) -> dict[str, Any]:
    publishes = [m for m in registry.all() if m.producer == service]
    amqp_exchange = {"name": exchange, "type": "topic", "durable": True}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for action, models in (("send", publishes), ("receive", consumes)):
        for model in models:
            key = model.routing_key()
            channel_id = key.replace(".", "_")
            channels[channel_id] = {
                "address": key,
                "messages": {model.event_type: _message(model)},
                "bindings": {"amqp": {"is": "routingKey", "exchange": amqp_exchange}},
            }
            operations[f"{action}_{channel_id}"] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "bindings": {"amqp": {"deliveryMode": 2, "ack": True}},
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"{service} events",
            "version": "1",
            "description": "Every message is an envelope (event_id, type, version, occurred_at, producer, "
            "correlation_id, data), persistent, with message_id = event_id; delivery is at least once.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
    }
