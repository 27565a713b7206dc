"""The OpenAPI document lists the errors each operation answers, as problem+json, and optional sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from .scratch_api import scratch_app

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return scratch_app().openapi()


def errors(document: dict[str, Any], path: str, method: str) -> set[int]:
    responses = document["paths"][path][method]["responses"]
    return {int(s) for s in responses if s.startswith(("4", "5"))}


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


def test_each_operation_documents_the_errors_its_route_answers(document: dict[str, Any]) -> None:
    assert errors(document, "/things", "get") == {401, 403, 422, 503}
    assert errors(document, "/things", "post") == {400, 401, 403, 409, 413, 415, 422, 503}
    assert errors(document, "/things/{thing_id}", "get") == {404, 422, 503}
    assert errors(document, "/things/{thing_id}", "patch") == {400, 401, 403, 404, 409, 413, 415, 422, 503}
    assert errors(document, "/things/{thing_id}", "delete") == {401, 403, 404, 409, 422, 503}
    assert errors(document, "/labels/{label}/notes", "post") == {400, 401, 403, 404, 409, 413, 415, 422, 503}


def test_every_error_is_problem_json_with_one_schema(document: dict[str, Any]) -> None:
    for path in document["paths"].values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert response["content"] == PROBLEM, (status, response)
    problem = document["components"]["schemas"]["ProblemDetails"]
    assert problem["properties"]["errors"]["items"]["required"] == ["field", "message"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_public_reads_declare_optional_sign_in_and_the_rest_require_it(document: dict[str, Any]) -> None:
    assert document["paths"]["/things"]["get"]["security"] == [{}, {"HTTPBearer": []}]
    assert document["paths"]["/things"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in document["paths"]["/things/{thing_id}"]["get"]


@pytest.mark.parametrize("path", ["/for-services", "/privacy"])
def test_routes_for_services_and_admins_require_a_token(document: dict[str, Any], path: str) -> None:
    assert document["paths"][path]["get"]["security"] == [{"HTTPBearer": []}]


def test_the_document_is_post_processed_once(document: dict[str, Any]) -> None:
    app = scratch_app()
    assert app.openapi() is app.openapi()
    assert app.openapi()["paths"]["/things"]["get"]["security"] == [{}, {"HTTPBearer": []}]
