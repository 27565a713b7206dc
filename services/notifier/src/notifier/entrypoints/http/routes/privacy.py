"""/privacy: a person's data exported or erased on request (administrators only), as in the directory.

Both are POSTs with the person's email in the body, so that it stays out of URLs and access logs; both take
an ``Idempotency-Key``. An export's stored reply holds the person's data; erasing the person forgets it too.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from notifier.entrypoints.http.deps import Uow
from notifier.entrypoints.http.privacy_schemas import ErasureRead, PersonalDataExport, PersonRequest
from notifier.service_layer import privacy
from shared.http.idempotency import Idempotent
from shared.http.security import AdminOrDirectory

router = APIRouter(prefix="/privacy", tags=["privacy"])


@router.post("/exports", response_model=PersonalDataExport)
async def export(body: PersonRequest, uow: Uow, actor: AdminOrDirectory, idem: Idempotent) -> JSONResponse:
    """Everything the notifier holds about the address: its subscription and its delivery records."""
    return await idem.run(uow, lambda: privacy.export_person(uow, actor=actor, email=body.email), PersonalDataExport.of)


@router.post("/erasures", response_model=ErasureRead)
async def erase(body: PersonRequest, uow: Uow, actor: AdminOrDirectory, idem: Idempotent) -> JSONResponse:
    """Erase the address's subscription and delivery records; answers how many of each were erased."""
    return await idem.run(
        uow, lambda: privacy.erase_person(uow, actor=actor, email=body.email), ErasureRead.model_validate
    )
