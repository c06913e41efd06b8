"""The JSON writer: the model itself, schema `briefing.brief/1`."""

from __future__ import annotations

from pathlib import Path

from briefing.model import Brief
from briefing.templates import Templates


def write(brief: Brief, templates: Templates, path: Path) -> None:
    path.write_text(brief.dumps(), encoding="utf-8")
