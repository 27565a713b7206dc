"""Sending: placeholder until the delivery pipeline lands."""

from __future__ import annotations

from notifier.adapters.smtp import SmtpMailer
from notifier.config import Settings
from shared.scheduling import PeriodicJob


def sending_jobs(settings: Settings, mailer: SmtpMailer) -> list[PeriodicJob]:
    return []
