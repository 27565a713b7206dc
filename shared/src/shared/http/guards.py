"""What every request passes before it reaches a route: one pure ASGI middleware for every service.

- **405 with ``Allow``**: a path that exists, asked with a method it does not support, is answered with every
  method the path supports (Starlette's router only names the first route's).
- **JSON bodies** (routes that take one): larger than the limit is 413; a content type other than
  ``application/json`` is 415; invalid UTF-8 or malformed JSON (``NaN`` included) is 400.
- **Text the database cannot store**: U+0000 in a path segment, a query parameter, a header, a JSON string or
  a JSON object's key is 422, naming the field (``name``, ``budget.0.description``, ``query.q``,
  ``path.applicant_id``) before anything reaches a use case.

Answers are problem+json like every other error. The middleware sits inside CORS and the correlation id, so
its answers carry both.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from fastapi.params import Form
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.middleware import Middleware
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.problems import PROBLEM_JSON, REQUEST_FIELDS, Problem

MAX_BODY_BYTES = 1024 * 1024
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})
NUL = "\x00"
NUL_MESSAGE = "Must not contain U+0000 (NUL): the text cannot be stored."


def install_request_guards(app: FastAPI, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
    """Innermost of the app's middleware (inside CORS and the correlation id), whenever it is called."""
    app.user_middleware.append(Middleware(RequestGuard, max_body_bytes=max_body_bytes))


class RequestGuard:
    """Matching the request against every route is linear in the routes, so it is done only where the answer
    needs it: for a request that may carry a body (whether the route takes JSON), for U+0000 in the path (to
    name the parameter), and when the router answers 405 (to name every method the path supports). A read
    that passes, the usual request, is not matched twice."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem, headers = _nul_in_request(scope), dict[str, str]()
        if problem is None and scope["method"] not in _BODILESS:
            route, _, allowed = _match(scope)
            if route is None and allowed:
                problem, headers = _not_allowed(allowed)
            elif route is not None and _takes_json(route):
                body, problem = await self._read_json(scope, receive)
                if problem is None:
                    receive = _replay(body, receive)
        if problem is not None:
            await _answer(problem, headers, scope=scope, send=send)
            return
        await self.app(scope, receive, _naming_allowed_methods(scope, send))

    async def _read_json(self, scope: Scope, receive: Receive) -> tuple[bytes, Problem | None]:
        headers = _headers(scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return b"", _too_large(self.max_body_bytes)
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return b"", _too_large(self.max_body_bytes)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if not body:
            return body, None
        if not _is_json(headers.get("content-type")):
            return body, Problem(415, "Unsupported media type", "Send the body as application/json.")
        try:
            document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite)
        except UnicodeDecodeError:
            return body, Problem(400, "Malformed body", "The body is not valid UTF-8.")
        except (ValueError, RecursionError) as exc:
            return body, Problem(400, "Malformed JSON", f"The body is not valid JSON: {_reason(exc)}.")
        if (where := next(_nul_fields(document, ()), None)) is not None:
            return body, _nul_problem(where)
        if isinstance(document, dict):
            scope[REQUEST_FIELDS] = frozenset(document)
        return body, None


def _match(scope: Scope) -> tuple[RouteContext | None, dict[str, Any], list[str]]:
    """The route that will answer (if an ``APIRoute``), its raw path parameters, and the methods the path allows.

    FastAPI keeps included routers as such; ``iter_route_contexts`` flattens them as its OpenAPI does."""
    allowed: set[str] = set()
    partial_params: dict[str, Any] = {}
    for route in iter_route_contexts(scope["app"].routes):
        match, child = route.matches(scope)
        if match is Match.FULL:
            api = route if isinstance(route.original_route, APIRoute) else None
            return api, child.get("path_params", {}), []
        if match is Match.PARTIAL:
            allowed |= set(getattr(route, "methods", None) or ())
            partial_params = partial_params or child.get("path_params", {})
    return None, partial_params, sorted(allowed)


def _takes_json(route: RouteContext) -> bool:
    return route.body_field is not None and not isinstance(route.body_field.field_info, Form)


def _nul_in_request(scope: Scope) -> Problem | None:
    if NUL in scope["path"]:  # the decoded path: a path parameter holds it
        _, path_params, _ = _match(scope)
        name = next((n for n, v in path_params.items() if NUL in str(v)), None)
        return _nul_problem(("path", name) if name else ("path",))
    query = scope.get("query_string", b"").decode("latin-1")
    if "\x00" in query or "%00" in query:
        for key, value in parse_qsl(query, keep_blank_values=True):
            if NUL in key or NUL in value:
                return _nul_problem(("query", key.replace(NUL, "\\u0000")))
    for key, value in scope.get("headers", []):
        if b"\x00" in value:
            return _nul_problem(("header", key.decode("latin-1")))
    return None


def _not_allowed(allowed: list[str]) -> tuple[Problem, dict[str, str]]:
    return Problem(405, "Method not allowed", f"This path supports {', '.join(allowed)}."), {
        "Allow": ", ".join(allowed)
    }


def _naming_allowed_methods(scope: Scope, send: Send) -> Send:
    """The router's own 405 (a read asked of a path that has no such method) becomes ours, naming them all."""
    replaced = False

    async def wrapped(message: Message) -> None:
        nonlocal replaced
        if message["type"] == "http.response.start" and message["status"] == 405:
            replaced = True
            _, _, allowed = _match(scope)
            await _answer(*_not_allowed(allowed), scope=scope, send=send)
        elif not replaced:
            await send(message)

    return wrapped


def _nul_fields(value: Any, at: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Where U+0000 occurs in a parsed JSON document: the field of a string, the object of a key."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, at)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield where
        elif isinstance(item, dict):
            for key, child in item.items():
                if NUL in key:
                    yield where
                stack.append((child, (*where, key)))
        elif isinstance(item, list):
            stack.extend((child, (*where, str(i))) for i, child in enumerate(item))


def _nul_problem(where: tuple[str, ...]) -> Problem:
    field = ".".join(where) or "body"
    return Problem(
        422, "Invalid request", f"Check these fields: {field}", errors=[{"field": field, "message": NUL_MESSAGE}]
    )


def _too_large(limit: int) -> Problem:
    return Problem(413, "Content too large", f"The body may be at most {limit} bytes.")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media, *params = (p.strip().lower() for p in content_type.split(";"))
    kind, _, subtype = media.partition("/")
    charset = next((p.split("=", 1)[1].strip('"') for p in params if p.startswith("charset=")), "utf-8")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json")) and charset in ("utf-8", "utf8")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:20]} is too large")
    return number


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc).split(":")[0] if isinstance(exc, json.JSONDecodeError) else str(exc)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _answer(problem: Problem, headers: dict[str, str], *, scope: Scope, send: Send) -> None:
    payload = json.dumps(problem.body(scope["path"].replace(NUL, "\\u0000"))).encode()
    raw = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
