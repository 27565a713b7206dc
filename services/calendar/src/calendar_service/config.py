from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    """Every setting can be given as ``CALENDAR_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="CALENDAR_", extra="ignore")

    service_name: str = "calendar"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/calendar"
    http_port: int = 8004
    # The worker keeps the detailed schedule of the current year and of this many years ahead generated.
    schedule_years_ahead: int = Field(default=1, ge=0, le=3)
    # Signs the links of associations' own iCalendar feeds: a secret in production.
    feed_signing_key: str = "development-only-feed-signing-key-change-me"
    # Derives feedback-survey invitations' tokens from their ids (ADR 0013): a secret in production. Changing
    # it makes the invitations of open surveys unanswerable.
    invitation_signing_key: str = "development-only-invitation-signing-key-change-me"
    # Where the calendar's own links lead (a survey's answer page in an invitation): its public address.
    public_url: str = "http://127.0.0.1:8004"
    # The directory's API, for the first fill of the calendar's copy of associations (sync-directory), and a
    # token of a staff or admin account there (inactive associations included).
    directory_url: str = "http://127.0.0.1:8001"
    directory_token: str | None = None
