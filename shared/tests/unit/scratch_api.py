"""A scratch API with the shared HTTP conventions and no service behind it: what every service gets."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, FastAPI, Response
from pydantic import Field, StringConstraints

from shared.auth.tokens import TokenVerifier
from shared.http.conventions import install_conventions
from shared.http.problems import install_problem_handlers
from shared.http.schemas import MISSING, NOT_BLANK, Choice, IsoDate, IsoDateTime, RequestModel, Uuid
from shared.http.security import Admin, AdminOrDirectory, CurrentPrincipal, ServiceCaller, SignedIn, Staff
from shared.testing.fixtures import TEST_JWT_SECRET

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Line(RequestModel):
    label: Name
    amount_cents: int = Field(ge=0)


class ThingCreate(RequestModel):
    name: Name
    on: IsoDate
    at: IsoDateTime | None = None
    colour: Choice[Colour]
    owner_id: Uuid | None = None
    count: int = 0
    urgent: bool = False
    lines: list[Line] = Field(default=[])
    scores: dict[str, int] = Field(default={})


class ThingUpdate(RequestModel):
    name: Name | MISSING = MISSING
    note: Name | None = None


def scratch_app() -> FastAPI:
    app = FastAPI(title="Scratch")
    app.state.token_verifier = TokenVerifier(secret=TEST_JWT_SECRET, issuer="pori-dev", audience="pori-associations")
    install_problem_handlers(app)
    install_conventions(app)

    @app.get("/things")
    async def search(actor: CurrentPrincipal, q: str | None = None) -> dict[str, str]:
        return {"q": q or "", "role": actor.role.value}

    @app.post("/things", status_code=201)
    async def create(body: ThingCreate, actor: Staff) -> dict[str, Any]:
        return body.model_dump(mode="json", exclude_unset=True)

    @app.get("/things/{thing_id}")
    async def get(thing_id: uuid.UUID) -> dict[str, str]:
        return {"id": str(thing_id)}

    @app.patch("/things/{thing_id}")
    async def update(thing_id: uuid.UUID, body: ThingUpdate, actor: SignedIn) -> dict[str, Any]:
        return body.model_dump(mode="json", exclude_unset=True)

    @app.delete("/things/{thing_id}", status_code=204)
    async def remove(thing_id: uuid.UUID, actor: Admin) -> Response:
        return Response(status_code=204)

    @app.get("/for-services")
    async def for_services(actor: ServiceCaller) -> dict[str, str]:
        return {"role": actor.role.value}

    @app.get("/privacy")
    async def privacy(actor: AdminOrDirectory) -> dict[str, str]:
        return {"role": actor.role.value}

    labels = APIRouter(prefix="/labels")  # as the services include theirs

    @labels.get("/{label}")
    async def label(label: str) -> dict[str, str]:
        return {"label": label}

    @labels.post("/{label}/notes", status_code=201)
    async def note(label: str, body: ThingUpdate, actor: SignedIn) -> dict[str, Any]:
        return body.model_dump(mode="json", exclude_unset=True)

    app.include_router(labels)
    return app


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://scratch")
