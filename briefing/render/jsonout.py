"""The JSON writer: the model itself, schema `briefing.brief/1`.

The text is `Brief.dumps()` byte for byte (analysts' scripts read it), but serialized by pydantic-core
(Rust; pydantic is already loaded for the config) instead of the pure-Python encoder that
`json.dumps(indent=2)` falls back to: a corpus of 10,000 sources makes a 5 MB file. The two agree on
every value the model writes except floats between 1e-9 and 1e-4, which pydantic-core writes as
`0.00001` or `1e-7` where Python writes `1e-05` and `1e-07`; a text that may hold one (or a value
pydantic-core cannot serialize) is written by `Brief.dumps()` instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic_core

from briefing.model import Brief

if TYPE_CHECKING:
    from briefing.render.markdown import Rendered

_ONE_DIGIT_EXPONENT = re.compile(rb"e-[0-9](?![0-9])")


def may_hold_small_float(text: bytes) -> bool:
    """Whether pydantic-core's JSON may hold a float below 1e-4 (`0.00001`, `1e-7`), which Python writes
    differently; a match inside a string only costs a second serialization."""
    if b"0.0000" in text:
        return True
    return any(text[m.start() - 1:m.start()].isdigit() for m in _ONE_DIGIT_EXPONENT.finditer(text))


def json_text(brief: Brief) -> bytes:
    """`Brief.dumps()` encoded as UTF-8, made quickly."""
    try:
        text = pydantic_core.to_json(brief.to_json(), indent=2) + b"\n"
    except pydantic_core.PydanticSerializationError:
        text = None
    if text is None or may_hold_small_float(text):
        return brief.dumps().encode("utf-8")
    return text


def write(rendered: Rendered, path: Path) -> None:
    path.write_bytes(json_text(rendered.brief))
