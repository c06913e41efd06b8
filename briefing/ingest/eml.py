"""E-mails (.eml), such as newsletters: the plain text part, or else the HTML part read as a web page
(see `briefing.ingest.html`); subject, sender and date as metadata (title, author, date)."""

from __future__ import annotations

import email
import email.message
import email.policy
from email.utils import parseaddr

from briefing.ingest import html
from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text

SUFFIXES = (".eml",)


def extract(data: bytes) -> Extracted:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None:
            raise ValueError("no text or HTML part")
        content = _content(body)
        subject, sender, date = message.get("subject"), message.get("from"), message.get("date")
        details = details_of(to=message.get("to"), list_id=message.get("list-id"), message_id=message.get("message-id"))
    except (LookupError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a readable e-mail ({exc})") from None
    name, address = parseaddr(str(sender or ""))
    metadata, found = metadata_of(title=str(subject or "") or None, author=name or address or None,
                                  date=str(date or "") or None)
    if body.get_content_type() == "text/html":
        page = html.extract(content.encode("utf-8") if isinstance(content, str) else content)
        merged = page.metadata.merged(metadata)
        return Extracted(page.text, merged, found=tuple(dict.fromkeys(page.found + found)),
                         details=details + page.details)
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    blocks = content.replace("\r\n", "\n").split("\n\n")
    text = paragraphs_text(blocks)
    if not text.strip():
        raise ValueError("no text in the e-mail")
    return Extracted(text, metadata, found=found, details=details)


def _content(body: email.message.MIMEPart) -> str | bytes:
    """The part's content; under a charset Python does not know (`x-no-such-charset`), its bytes read
    as UTF-8, else as cp1252, as a file that is not UTF-8 is read (the mail was skipped before)."""
    try:
        return body.get_content()
    except LookupError:
        payload = body.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", "replace")


def parse_bytes(data: bytes, suffix: str = ".eml") -> Extracted:
    return extract(data)
