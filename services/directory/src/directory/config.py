from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    """Every setting can be given as ``DIRECTORY_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", extra="ignore")

    service_name: str = "directory"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/directory"
    http_port: int = 8001


@lru_cache
def get_settings() -> Settings:
    return Settings()
