"""XML that cannot hurt: every XML-based input (DOCX parts, XHTML) is checked with defusedxml before
a parser that might expand entities sees it, so a billion-laughs bomb or an external entity (a read
of a local file, a fetch) is a reason to skip the file, never a hang, a memory blow-up or a leak."""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

ENTITY_DECLARATION = re.compile(
    rb"<!ENTITY|<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y|\x00<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y", re.I)


def refused(data: bytes, where: str = "", allow_dtd: bool = True) -> str | None:
    """Why the XML document is refused (entity declarations, an external reference, a DTD where none
    belongs, not well-formed), or None when it is safe to parse."""
    at = f"{where}: " if where else ""
    try:
        fromstring(data, forbid_dtd=not allow_dtd, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return f"{at}{_kind(exc)}; refused (XML bomb or external entity)"
    except (ParseError, ValueError) as exc:
        return f"{at}not well-formed XML ({exc})"
    return None


def declares_entities(data: bytes) -> bool:
    """Whether a document that may not be XML (HTML) declares entities, which no web page needs."""
    return ENTITY_DECLARATION.search(data) is not None


def _kind(exc: DefusedXmlException) -> str:
    name = type(exc).__name__
    return {"EntitiesForbidden": "declares XML entities", "DTDForbidden": "has a DTD",
            "ExternalReferenceForbidden": "refers to an external resource"}.get(name, name)
