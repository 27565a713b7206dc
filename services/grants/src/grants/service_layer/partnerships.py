"""Partnership agreements (kumppanuussopimukset) (being built)."""

from __future__ import annotations

from shared.scheduling import PeriodicJob

JOBS: list[PeriodicJob] = []
