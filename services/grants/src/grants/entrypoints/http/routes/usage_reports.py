"""Routes for usage reports (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["usage-reports"])
