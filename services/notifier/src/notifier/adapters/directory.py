"""The directory, asked at send time for whom to tell (ADR 0003): representatives' addresses, nothing else,
and who answers for a message (the public liaison directory) for the mail's footer.

The notifier keeps no copy of them: a notification's recipients are resolved when it is made, and the address
stays in the delivery only until the mail is sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from notifier.adapters.pages import every_item
from notifier.config import Settings
from shared.contracts.directory import MessageTopic
from shared.http.peers import answered, peer_client


@dataclass(frozen=True)
class Recipient:
    representative_id: uuid.UUID
    association_id: uuid.UUID
    email: str
    # The association's languages, as the directory lists them (the mail is in the first the notifier writes).
    languages: tuple[str, ...] = ("fi",)

    @property
    def ref(self) -> str:
        return f"representative:{self.representative_id}"


def _recipient(item: dict[str, object]) -> Recipient:
    languages = item.get("languages")
    return Recipient(
        uuid.UUID(str(item["representative_id"])),
        uuid.UUID(str(item["association_id"])),
        str(item["email"]),
        tuple(str(lang) for lang in languages) if isinstance(languages, list) and languages else ("fi",),
    )


@dataclass(frozen=True)
class Contact:
    """A liaison contact as the public liaison directory shows them (``GET /liaisons``)."""

    name: str
    email: str
    title: str | None = None
    phone: str | None = None

    def line(self) -> str:
        named = f"{self.name} ({self.title})" if self.title else self.name
        return ", ".join(p for p in (named, self.email, self.phone) if p)


def _contact(item: dict[str, object]) -> Contact:
    title, phone = item.get("title"), item.get("phone")
    return Contact(str(item["name"]), str(item["email"]), str(title) if title else None, str(phone) if phone else None)


class DirectoryUnavailable(Exception):
    """The directory did not answer: the event is retried later (the consumer's back-off)."""


class DirectoryClient:
    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.http = peer_client(settings, settings.directory_url, token=settings.directory_token, transport=transport)

    async def _get(self, path: str, params: dict[str, str | list[str]] | None = None) -> httpx.Response:
        answer = await answered(self.http.get(path, params=params), DirectoryUnavailable)
        answer.raise_for_status()
        return answer

    async def _first_liaison(self, params: dict[str, str | list[str]]) -> Contact | None:
        items = (await self._get("/liaisons", {**params, "limit": "1"})).json()["items"]
        return _contact(items[0]) if items else None

    async def contact(self, *, subject_ref: str | None, department_code: str | None) -> Contact | None:
        """Who answers for a message (the public liaison directory): the contact named for its object (e.g.
        ``grants:programme:<id>``), else a liaison contact of its department, else the liaison coordinator."""
        if subject_ref and (found := await self._first_liaison({"subject_ref": subject_ref})):
            return found
        if department_code:
            departments = (await self._get("/departments")).json()
            ids = [str(d["id"]) for d in departments if d.get("code") == department_code]
            if ids and (found := await self._first_liaison({"kind": "department_contact", "department_id": ids[0]})):
                return found
        return await self._first_liaison({"kind": "coordinator"})

    async def _recipients(self, params: dict[str, str | list[str]]) -> list[Recipient]:
        return [_recipient(i) for i in await every_item(self._get, "/recipients", params)]

    async def representatives(self, association_id: uuid.UUID, *, topic: MessageTopic) -> list[Recipient]:
        """The association's representatives who want this kind of message."""
        return await self._recipients({"association_id": str(association_id), "topic": topic.value})

    async def representatives_of(
        self, association_ids: list[uuid.UUID], *, topic: MessageTopic
    ) -> dict[uuid.UUID, list[Recipient]]:
        """The representatives who want this kind of message, of each of these associations (asked 100 at a
        time); an association without any is absent."""
        found: dict[uuid.UUID, list[Recipient]] = {}
        unique = list(dict.fromkeys(association_ids))
        for start in range(0, len(unique), 100):
            chunk = [str(a) for a in unique[start : start + 100]]
            for r in await self._recipients({"association_id": chunk, "topic": topic.value}):
                found.setdefault(r.association_id, []).append(r)
        return found

    async def eligible(
        self, *, topic: MessageTopic, kinds: list[str], fields_of_activity: list[str]
    ) -> list[Recipient]:
        """Representatives of every active applicant of these kinds and fields who want this kind of message."""
        params: dict[str, str | list[str]] = {"topic": topic.value}
        if kinds:
            params["kind"] = kinds
        if fields_of_activity:
            params["field_of_activity"] = fields_of_activity
        return await self._recipients(params)

    async def close(self) -> None:
        await self.http.aclose()
