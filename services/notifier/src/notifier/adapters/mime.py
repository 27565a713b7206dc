"""Mails as they go on the wire (RFC 5322 bytes, MIME ``multipart/alternative`` of plain text and HTML).

A fan-out sends one issue in one language to thousands of people, and the mails differ only in the address,
the Message-ID and the signed links. :class:`MailTemplate` encodes what they share once (the headers, through
the standard library's SMTP policy, which also refuses a header that would smuggle a line break); ``mail``
then puts one recipient's values in and encodes the two bodies as quoted-printable (``binascii``, in C). The
standard library's ``EmailMessage`` cost ~3 ms a mail here, more than the SMTP exchange itself.
"""

from __future__ import annotations

import binascii
import email.policy
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

_POLICY = email.policy.SMTP  # CRLF line ends, RFC 2047 encoded words for non-ASCII headers
_SAFE_LENGTH = 900  # a header line is at most 998 octets (RFC 5322 2.1.1); longer values go through the policy


@dataclass(frozen=True)
class Outgoing:
    """One mail ready for SMTP: its envelope and its bytes (``smtputf8`` when an address needs RFC 6531)."""

    sender: str
    recipient: str
    message_id: str
    data: bytes
    smtputf8: bool = False


def header(name: str, value: str) -> bytes:
    """``Name: value`` CRLF, folded and encoded as the SMTP policy does; ValueError for a line break in it."""
    if value.isascii() and len(value) < _SAFE_LENGTH and "\r" not in value and "\n" not in value:
        return f"{name}: {value}\r\n".encode("ascii")
    parsed_name, parsed = _POLICY.header_store_parse(name, value)
    return _POLICY.fold_binary(parsed_name, parsed)


def address_of(mailbox: str) -> str:
    """The bare address of ``Name <address>``, as the envelope's sender."""
    _, parsed = _POLICY.header_store_parse("From", mailbox)
    addresses: tuple[Any, ...] = tuple(getattr(parsed, "addresses", ()))
    if len(addresses) != 1:
        raise ValueError(f"not one mailbox: {mailbox!r}")
    return str(addresses[0].addr_spec)


def _quoted_printable(text: str) -> bytes:
    crlf = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return binascii.b2a_qp(crlf.encode("utf-8"), istext=True)


class MailTemplate:
    """What the mails of one issue in one language share, encoded once.

    ``links`` names the placeholders in ``text`` and ``html`` (and in ``per_recipient`` header values) that
    each recipient's own values replace; in the HTML the values are put in escaped."""

    def __init__(
        self, *, sender: str, subject: str, text: str, html: str, language: str,
        headers: Sequence[tuple[str, str]] = (), per_recipient: Sequence[tuple[str, str]] = (),
    ) -> None:  # fmt: skip
        self.sender, self.envelope_sender = sender, address_of(sender)
        self.text, self.html, self.per_recipient = text, html, list(per_recipient)
        for name, value in self.per_recipient:
            header(name, value)  # a template header the mail cannot carry fails here, once
        self.boundary = f"=_{uuid.uuid4().hex}"  # "=_" never occurs in quoted-printable: no part can contain it
        self.head = b"".join([header("From", sender), header("Subject", subject), *(header(n, v) for n, v in headers)])
        self.tail = (
            f'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="{self.boundary}"\r\n'
        ).encode("ascii") + header("Content-Language", language)
        part = 'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        self.text_part = f"\r\n--{self.boundary}\r\n{part.format('plain')}".encode("ascii")
        self.html_part = f"\r\n--{self.boundary}\r\n{part.format('html')}".encode("ascii")
        self.closing = f"\r\n--{self.boundary}--\r\n".encode("ascii")

    def mail(self, *, to: str, message_id: str, links: Mapping[str, str] | None = None) -> Outgoing:
        text, html, extra = self.text, self.html, self.per_recipient
        if links:
            for placeholder, value in links.items():
                text, html = text.replace(placeholder, value), html.replace(placeholder, str(escape(value)))
            extra = [(n, _put(v, links)) for n, v in extra]
        data = b"".join(
            [
                self.head, header("To", to), header("Message-ID", message_id),
                *(header(n, v) for n, v in extra), self.tail,
                self.text_part, _quoted_printable(text), self.html_part, _quoted_printable(html), self.closing,
            ]
        )  # fmt: skip
        return Outgoing(self.envelope_sender, to, message_id, data, smtputf8=not to.isascii())


def _put(value: str, links: Mapping[str, str]) -> str:
    for placeholder, link in links.items():
        value = value.replace(placeholder, link)
    return value
