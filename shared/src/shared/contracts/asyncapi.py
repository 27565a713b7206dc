"""An AsyncAPI 3.0 document of what a service publishes and consumes, made from the contract registry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.contracts.catalog import registry
from shared.contracts.envelope import Envelope, EventData

REF_TEMPLATE = "#/components/schemas/{model}"


def _message(model: type[EventData], schemas: dict[str, Any]) -> dict[str, Any]:
    """The message of one contract; its payload and the models it uses go to ``components/schemas``."""
    payload = Envelope[model].model_json_schema(ref_template=REF_TEMPLATE)  # type: ignore[valid-type]
    for name, definition in payload.pop("$defs", {}).items():
        _add_schema(schemas, name, definition)
    key = f"{model.event_type}.v{model.event_version}"
    _add_schema(schemas, key, payload)
    message: dict[str, Any] = {
        "name": model.event_type,
        "title": f"{model.event_type} v{model.event_version}",
        "contentType": "application/json",
        "headers": {"type": "object", "properties": {"correlation_id": {"type": "string"}}},
        "correlationId": {"location": "$message.header#/correlation_id"},
        "payload": {"$ref": REF_TEMPLATE.format(model=key)},
    }
    lines = (model.__doc__ or "").strip().splitlines()
    if lines and lines[0]:
        message["summary"] = lines[0]
    return message


def _add_schema(schemas: dict[str, Any], name: str, definition: dict[str, Any]) -> None:
    if schemas.setdefault(name, definition) != definition:
        raise ValueError(f"Two contracts define the schema {name!r} differently: give one model another name")


def asyncapi_document(
    service: str, *, consumes: Sequence[type[EventData]] = (), exchange: str = "events"
) -> dict[str, Any]:
    publishes = [m for m in registry.all() if m.producer == service]
    amqp_exchange = {"name": exchange, "type": "topic", "durable": True}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for action, models in (("send", publishes), ("receive", consumes)):
        for model in models:
            key = model.routing_key()
            channel_id = key.replace(".", "_")
            channels[channel_id] = {
                "address": key,
                "messages": {model.event_type: _message(model, schemas)},
                "bindings": {"amqp": {"is": "routingKey", "exchange": amqp_exchange}},
            }
            operations[f"{action}_{channel_id}"] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "messages": [{"$ref": f"#/channels/{channel_id}/messages/{model.event_type}"}],
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
        "components": {"schemas": dict(sorted(schemas.items()))},
    }
