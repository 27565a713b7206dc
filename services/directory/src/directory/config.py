from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    """Every setting can be given as ``DIRECTORY_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", extra="ignore")

    service_name: str = "directory"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/directory"
    http_port: int = 8001

    # The services holding a person's data beside the directory (ADR 0015): a privacy request made here is
    # answered with their parts (export) or forwarded to them (erasure), with the directory's `service` token.
    notifier_url: str = "http://127.0.0.1:8005"
    calendar_url: str = "http://127.0.0.1:8004"
    # The directory's `service` role token for their /privacy routes; minted from jwt_secret when not given.
    service_token: str | None = None
    privacy_peer_timeout_seconds: float = Field(default=5.0, gt=0)
    # An erasure forward that failed is tried again after these delays, then every last delay until it succeeds.
    privacy_forward_retry_seconds: list[float] = Field(default=[30, 120, 600, 1800, 3600], min_length=1, max_length=20)


@lru_cache
def get_settings() -> Settings:
    return Settings()
