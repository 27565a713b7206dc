from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    """Every setting can be given as ``NOTIFIER_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore")

    service_name: str = "notifier"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/notifier"
    http_port: int = 8005

    # Where links in mails point: the notifier's public address (its pages /confirm, /unsubscribe, /archive).
    public_base_url: str = "http://127.0.0.1:8005"
    # Signs confirmation, unsubscribe and preference links: a secret in production.
    link_signing_key: str = "development-only-link-signing-key-change-me"
    confirmation_valid_hours: int = Field(default=48, ge=1, le=24 * 14)

    # SMTP: the development catcher of `make up` listens on 127.0.0.1:1025 (scripts/mail-catcher.py).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_starttls: bool = False
    smtp_tls: bool = False  # implicit TLS (port 465)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_from: str = "Yhdistysuutiset <yhdistysuutiset@pori.example>"
    # The fan-out: this many SMTP connections at once, at most this many mails a second, this many a claim.
    smtp_connections: int = Field(default=4, ge=1, le=32)
    send_rate_per_second: float = Field(default=200.0, gt=0)
    delivery_batch_size: int = Field(default=200, ge=1, le=5000)
    # A claimed delivery whose sender died is taken up again after this (it keeps its Message-ID).
    delivery_lease_seconds: float = Field(default=120.0, gt=0)
    # A delivery in doubt (handed to the SMTP server by a sender that stopped before recording the outcome) that
    # no sent log can check: recorded failed (False: never two copies) or sent again (True: never none).
    resend_in_doubt: bool = False
    # Temporary SMTP failures (4xx, connection lost) are retried after these delays, then recorded as failed.
    retry_delays_seconds: list[float] = Field(default=[30, 120, 600, 1800, 3600], max_length=20)

    # An issue scheduled on one of the annual clock's planned dates goes out at this Helsinki hour that day (ADR 0014).
    newsletter_send_hour: int = Field(default=9, ge=5, le=22)

    # The directory, asked at send time for an association's representatives' addresses (ADR 0003).
    directory_url: str = "http://127.0.0.1:8001"
    # A `service` role token for the directory's recipients endpoint; minted from jwt_secret when not given.
    directory_token: str | None = None

    # The calendar, asked at send time for a survey's invitations and a registrant's address (ADR 0003).
    calendar_url: str = "http://127.0.0.1:8004"
    # A `service` role token for the calendar's service-only reads; minted from jwt_secret when not given.
    calendar_token: str | None = None

    # Grants, asked at send time who holds a grant and who is a partner (applicant ids; ADR 0017).
    grants_url: str = "http://127.0.0.1:8002"
    # A `service` role token for grants' audience reads; minted from jwt_secret when not given.
    grants_token: str | None = None

    # Where a notification's link leads: each service's public address (its page of the round, booking, event).
    grants_public_url: str = "http://127.0.0.1:8002"
    bookings_public_url: str = "http://127.0.0.1:8003"
    calendar_public_url: str = "http://127.0.0.1:8004"

    # The public endpoints (subscribe, confirm, unsubscribe, preferences), per client address (`limits` syntax).
    public_rate_limit: str = "20/minute"
