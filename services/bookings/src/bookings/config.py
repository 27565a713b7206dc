from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    """Every setting can be given as ``BOOKINGS_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="BOOKINGS_", extra="ignore")

    service_name: str = "bookings"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/bookings"
    http_port: int = 8003
    # Signs the associations' private calendar-feed links: a secret in production. Changing it revokes every
    # link at once; one link is revoked on its own through the API.
    feed_secret: str = "development-only-feed-secret-change-me"


@lru_cache
def get_settings() -> Settings:
    return Settings()
