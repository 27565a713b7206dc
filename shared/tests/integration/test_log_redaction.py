"""No log line carries a failing statement's parameters or PostgreSQL's DETAIL: a canary proves it."""

from __future__ import annotations

import io
import logging
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from shared.observability.logging import get_logger

from .conftest import Scratch


async def test_a_database_error_is_logged_without_its_parameters_or_detail(
    scratch: Scratch, captured: io.StringIO
) -> None:
    canary = f"canary-{uuid.uuid4().hex[:8]}@example.fi"
    event_id = uuid.uuid4()
    insert = text("INSERT INTO probe_effect (event_id, applied, note) VALUES (:id, 1, :note)")
    async with scratch.engine.begin() as conn:
        await conn.execute(insert, {"id": event_id, "note": canary})
    with pytest.raises(IntegrityError) as failure:
        async with scratch.engine.begin() as conn:  # the same key again, with the canary in the parameters
            await conn.execute(insert, {"id": event_id, "note": canary})
    assert canary not in str(failure.value)  # the engine hides parameters from the exception itself
    try:
        raise RuntimeError("while saving") from failure.value
    except RuntimeError:
        get_logger("canary").exception("save_failed")
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")  # as the web server logs
    logged = captured.getvalue()
    assert "save_failed" in logged and "Exception in ASGI application" in logged
    assert "sqlstate=23505" in logged and "pk_probe_effect" in logged  # what an operator needs stays
    assert str(event_id) not in logged and canary not in logged
    assert "DETAIL" not in logged and "Traceback" in logged
