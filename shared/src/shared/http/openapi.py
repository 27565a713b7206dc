"""The OpenAPI document tells the truth about errors and sign-in, derived from each route, for every service.

FastAPI documents a 422 in its own shape and nothing else. After it builds the document, every operation
gets the error statuses its route really answers, each as ``application/problem+json`` with the
``ProblemDetails`` schema:

| route | answers |
| --- | --- |
| every route | 422: the request guard refuses U+0000 in any query parameter or header, FastAPI invalid parameters |
| depends on the caller (``current_principal``, ``require_*``) | 401 (no token where needed, or an invalid one), 403 |
| has path parameters | 404 |
| takes a JSON body | 400 (malformed JSON, invalid UTF-8), 413 (too large), 415 (not JSON) |
| POST, PUT, PATCH, DELETE | 409 (a state or uniqueness conflict) |
| every route | 503 with ``Retry-After`` (the database is out a moment; a route declaring its own 503 keeps it) |

Routes whose caller may stay anonymous (``current_principal`` without a ``require_*``) say so:
``security: [{}, {"HTTPBearer": []}]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from shared.http.problems import PROBLEM_JSON
from shared.http.security import current_principal, refuses_anonymous

PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
PROBLEM_DETAILS: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "An RFC 9457 problem document; `errors` names the fields at fault.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
DESCRIPTIONS = {
    400: "Malformed JSON, or a body that is not UTF-8",
    401: "Sign-in required, or the bearer token is invalid",
    403: "The caller may not do this",
    404: "Not found (or not visible to the caller)",
    409: "Conflicts with the current state, or a duplicate",
    413: "The body is too large",
    415: "The body is not application/json",
    422: "Invalid input; `errors` names the fields",
    503: "The service cannot reach its database for a moment; send the request again after `Retry-After` seconds",
}
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NO_NUL = "^[^\\u0000]*$"


def install_openapi(app: FastAPI) -> None:
    """Post-process the document FastAPI builds (once; it is cached on the app like FastAPI's own)."""
    build = app.openapi
    processed: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        document = build()  # FastAPI's cached document, rebuilt when routes are added
        if not any(document is p for p in processed):
            routes = [r for r in iter_route_contexts(app.routes) if isinstance(r.original_route, APIRoute)]
            document_errors(document, [r for r in routes if r.include_in_schema])
            processed[:] = [document]
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def document_errors(document: dict[str, Any], routes: list[RouteContext]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _no_nul(document)
    schemas["ProblemDetails"] = PROBLEM_DETAILS
    for route in routes:
        for method in sorted(route.methods or ()):
            operation = document["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                _document(operation, route, method)
    if "#/components/schemas/HTTPValidationError" not in json.dumps(document["paths"]):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)


def error_statuses(route: RouteContext, method: str) -> set[int]:
    calls = set(_calls(route.dependant))
    statuses = {422, 503}
    if current_principal in calls:
        statuses |= {401, 403}
    if route.dependant.path_params or any(d.path_params for d in _dependants(route.dependant)):
        statuses.add(404)
    if route.body_field is not None:
        statuses |= {400, 413, 415}
    if method in MUTATING:
        statuses.add(409)
    return statuses


def _document(operation: dict[str, Any], route: RouteContext, method: str) -> None:
    responses = operation.setdefault("responses", {})
    for status in sorted(error_statuses(route, method)):
        entry: dict[str, Any] = {
            "description": DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
        if status == 401:
            entry["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
        if status == 503:
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
            responses.setdefault(str(status), entry)
            continue
        responses[str(status)] = entry
    calls = set(_calls(route.dependant))
    if current_principal in calls and not any(refuses_anonymous(call) for call in calls):
        operation["security"] = [{}, *[s for s in operation.get("security", []) if s]]


def _no_nul(node: Any) -> None:
    """Text never holds U+0000 (the request guard refuses it, the database cannot store it): every string
    schema and every object's keys say so, so that a client, and a fuzzer, knows."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const"} & node.keys():
            node["pattern"] = NO_NUL
        if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            node.setdefault("propertyNames", {"pattern": NO_NUL})
        for value in node.values():
            _no_nul(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul(value)


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    for child in dependant.dependencies:
        yield child
        yield from _dependants(child)


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for child in _dependants(dependant):
        if child.call is not None:
            yield child.call
