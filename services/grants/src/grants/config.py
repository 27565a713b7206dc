from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    """Every setting can be given as ``GRANTS_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="GRANTS_", extra="ignore")

    service_name: str = "grants"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/grants"
    http_port: int = 8002
    # Usage-report reminders go out this many days before the deadline.
    usage_report_reminder_days: int = Field(default=14, ge=1, le=90)
    # Keys the pseudonyms of private persons in the public decision register: a secret in production, so
    # nobody can test which applicant id stands behind a pseudonym.
    register_pseudonym_key: str = "development-only-pseudonym-key-change-me"
    # The directory's API, for the first fill of grants' copy of applicants and departments (sync-directory),
    # and a token of a staff or admin account there (private persons and inactive applicants included).
    directory_url: str = "http://127.0.0.1:8001"
    directory_token: str | None = None
    # Partnership discussions fall due yearly; the notice goes out this many days before.
    partnership_discussion_notice_days: int = Field(default=30, ge=1, le=180)
