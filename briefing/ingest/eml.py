"""E-mails (.eml), such as newsletters: the plain text part, or else the HTML part read as a web page
(see `briefing.ingest.html`), which is also read when the plain part is only a stub of it (`STUB_SHARE`);
subject, sender and date as metadata (title, author, date). A plain part that forwards a message is
read as the forwarded message: its text, and its own sender, date and subject (`forwarded`)."""

from __future__ import annotations

import email
import email.message
import email.policy
import re
from email.utils import parseaddr
from typing import cast

from briefing.ingest import html
from briefing.ingest.extracted import Extracted, details_of, metadata_of, paragraphs_text
from briefing.pipeline import recency

SUFFIXES = (".eml",)
MAX_HEADER = 16_000
"""The most characters of one header that are parsed. Python's header parser takes memory that grows
with the square of a header's encoded words: a 2.8 MB Subject of 200,000 of them took over 24 GB
before the kernel killed the build. A real header is far shorter (a To: line of 500 addresses is
about 15,000 characters); a longer one is cut at a space before the limit, with a warning."""


class _BoundedPolicy(email.policy.EmailPolicy):
    """The default policy, each header cut to MAX_HEADER characters before it is parsed (a part's as
    well as the message's: they are parsed only when read)."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if not hasattr(value, "name") and len(value) > MAX_HEADER:
            value = _cut(value)
        return super().header_fetch_parse(name, value)


def _cut(value: str) -> str:
    space = value.rfind(" ", 0, MAX_HEADER)
    return value[: space if space > 0 else MAX_HEADER]


POLICY = _BoundedPolicy()


def _long_headers(message: email.message.Message) -> tuple[str, ...]:
    """A warning for each header over MAX_HEADER characters, of the message and its parts."""
    found = []
    for part in message.walk():
        for name, value in part.raw_items():
            if len(value) > MAX_HEADER:
                found.append(f"header {name}: {len(value):,} characters, more than an e-mail's header has; "
                             f"read its first {MAX_HEADER:,}")
    return tuple(found)


STUB_SHARE = 0.5
"""A plain text part with fewer words than this share of the HTML part's article is a stub ("This
newsletter is best viewed in HTML", a teaser cut short): the HTML part is read instead."""


FORWARDED = re.compile(r"^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Original Message)\s*-{2,}"
                       r"|Begin forwarded message:)[ \t]*$", re.IGNORECASE | re.MULTILINE)
"""The line that opens a forwarded message in a plain text part, as Gmail ("---------- Forwarded message
---------"), Outlook ("-----Original Message-----") and Apple Mail ("Begin forwarded message:") write it."""
FORWARDED_HEADER = re.compile(r"^[ \t>]*(From|Sent|Date|Subject|To|Cc|Reply-To)[ \t]*:[ \t]*(.*)$", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^(?:\s*(?:fwd?|fw|re|aw|wg|tr)\s*:\s*)+", re.IGNORECASE)
""""Fwd:", "FW:", "Re:" (and the German "AW:", "WG:", the French "TR:") before a subject: the mail's, not
the article's."""


def forwarded(text: str) -> tuple[str, dict[str, str]] | None:
    """The forwarded message in a plain text part: its text (what follows its header lines) and its
    From, Date and Subject, when the part forwards one; None when it does not. What the forwarder
    wrote above it ("FYI, worth a read") is not the article."""
    marker = FORWARDED.search(text)
    if marker is None:
        return None
    lines = text[marker.end():].lstrip("\n").split("\n")
    headers: dict[str, str] = {}
    k = 0
    while k < len(lines):
        m = FORWARDED_HEADER.match(lines[k])
        if m is None:
            break
        headers.setdefault(m.group(1).lower(), m.group(2).strip())
        k += 1
    if not headers:
        return None
    body = "\n".join(re.sub(r"^[ \t]*>[ \t]?", "", line) for line in lines[k:])  # an Apple Mail forward may be quoted
    return (body if body.strip() else ""), headers


def _day(value: str | None) -> str | None:
    """A forwarded header's date as YYYY-MM-DD: mail programs write it for people ("Mon, 17 Oct 2022 at
    07:00", "Monday, October 17, 2022 7:00 AM"), not in RFC 2822."""
    if not value:
        return None
    day = recency.parsed_date(value)  # (a zone dateutil does not know, "BST", is no matter for the day)
    return day.isoformat() if day else None


def extract(data: bytes) -> Extracted:
    try:
        message = cast(email.message.EmailMessage, email.message_from_bytes(data, policy=POLICY))
        plain, rich = message.get_body(preferencelist=("plain",)), message.get_body(preferencelist=("html",))
        if plain is None and rich is None:
            raise ValueError("no text or HTML part")
        plain_content = _content(plain) if plain is not None else None
        rich_content = _content(rich) if rich is not None else None
        subject, sender, date = message.get("subject"), message.get("from"), message.get("date")
        details = details_of(to=message.get("to"), list_id=message.get("list-id"), message_id=message.get("message-id"))
        warnings = _long_headers(message)
    except (LookupError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a readable e-mail ({exc})") from None
    raw = plain_content.decode("utf-8", "replace") if isinstance(plain_content, bytes) else plain_content
    text = _plain_text(raw) if raw is not None else ""
    inner = forwarded(raw.replace("\r\n", "\n")) if raw is not None else None
    if inner is not None and inner[0].strip():  # a forwarded article: its own sender, date and subject
        text = _plain_text(inner[0])
        sender = inner[1].get("from") or sender
        date = _day(inner[1].get("date") or inner[1].get("sent")) or date
        subject = inner[1].get("subject") or subject
    name, address = parseaddr(str(sender or ""))
    title = REPLY_PREFIX.sub("", str(subject or "")).strip()
    metadata, found = metadata_of(title=title or None, author=name or address or None, date=str(date or "") or None)
    if rich_content is not None:
        try:
            page = html.extract(rich_content.encode("utf-8") if isinstance(rich_content, str) else rich_content)
        except ValueError:
            if not text.strip():
                raise
        else:
            if len(text.split()) < STUB_SHARE * len(page.text.split()):
                return Extracted(page.text, page.metadata.merged(metadata), warnings + page.warnings,
                                 found=tuple(dict.fromkeys(page.found + found)), details=details + page.details,
                                 replaced=page.replaced)
    if not text.strip():
        raise ValueError("no text in the e-mail")
    return Extracted(text, metadata, warnings, found=found, details=details)


def _plain_text(content: str | bytes) -> str:
    """A plain text part's paragraphs (blank-line separated)."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    return paragraphs_text(content.replace("\r\n", "\n").split("\n\n"))


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
