"""The calendar, asked at send time (ADR 0003, ADR 0011): an open survey's invitations with their links, and
where a registration's contact person is reached. The notifier keeps neither beyond the delivery.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from notifier.config import Settings
from shared.http.peers import answered, peer_client

PAGE = 200


@dataclass(frozen=True)
class Registrant:
    """A registration's contact person, as the calendar's ``GET /recipients`` answers it."""

    registration_id: uuid.UUID
    email: str
    language: str = "fi"

    @property
    def ref(self) -> str:
        return f"registration:{self.registration_id}"

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language,)


@dataclass(frozen=True)
class SurveyInvitation:
    invitation_id: uuid.UUID
    answer_url: str  # a capability link: whoever holds it answers once
    association_id: uuid.UUID | None
    registration_id: uuid.UUID | None


class CalendarUnavailable(Exception):
    """The calendar did not answer: the event is retried later (the consumer's back-off)."""


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


class CalendarClient:
    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.http = peer_client(settings, settings.calendar_url, token=settings.calendar_token, transport=transport)

    async def _get(self, path: str, params: dict[str, str]) -> httpx.Response:
        return await answered(self.http.get(path, params=params), CalendarUnavailable)

    async def invitations(self, survey_id: uuid.UUID) -> list[SurveyInvitation]:
        """Every invitation of the open survey; none when it is no longer open (or unknown): nobody to invite."""
        found: list[SurveyInvitation] = []
        params = {"limit": str(PAGE)}
        while True:
            answer = await self._get(f"/surveys/{survey_id}/invitations", params)
            if answer.status_code in (404, 409):
                return []
            answer.raise_for_status()
            page = answer.json()
            found += [
                SurveyInvitation(
                    uuid.UUID(i["invitation_id"]), str(i["answer_url"]), _uuid(i.get("association_id")),
                    _uuid(i.get("registration_id")),
                )
                for i in page["items"]
            ]  # fmt: skip
            if not page.get("next_cursor"):
                return found
            params = {"limit": str(PAGE), "cursor": str(page["next_cursor"])}

    async def registrant(self, registration_id: uuid.UUID) -> list[Registrant]:
        """Where the registration's contact is reached: none after erasure or without an address."""
        answer = await self._get("/recipients", {"registration_id": str(registration_id)})
        answer.raise_for_status()
        return [
            Registrant(registration_id, str(i["email"]), str(i.get("language") or "fi"))
            for i in answer.json()["items"]
            if i.get("email")
        ]

    async def close(self) -> None:
        await self.http.aclose()
