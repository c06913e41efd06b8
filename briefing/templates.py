"""Where the analyst-editable files live: the brief template, the Word reference document, the themes.

A checkout keeps them in `templates/` at its top; an installed wheel carries the same folder inside the
package. `--templates DIR` (or `templates:` in the config) points at an analyst's own copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def default_templates_dir() -> Path:
    """The templates shipped with briefing: inside the wheel, else the checkout's top-level folder."""
    for candidate in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates"):
        if (candidate / "brief.md.j2").is_file():
            return candidate
    raise FileNotFoundError(f"briefing's default templates are missing (looked in {PACKAGE_DIR})")


@dataclass(frozen=True)
class Templates:
    directory: Path
    name: str = "brief"

    @classmethod
    def default(cls) -> Templates:
        return cls(default_templates_dir())

    @property
    def brief_template(self) -> str:
        return f"{self.name}.md.j2"

    @property
    def reference_docx(self) -> Path | None:
        """The Word document whose styles the DOCX takes, as pandoc's --reference-doc."""
        for directory in (self.directory, default_templates_dir()):
            path = directory / "reference.docx"
            if path.is_file():
                return path
        return None

    def search_path(self) -> list[str]:
        """The analyst's folder first, briefing's defaults behind it for anything it lacks."""
        dirs = [self.directory]
        default = default_templates_dir()
        if default.resolve() != self.directory.resolve():
            dirs.append(default)
        return [str(d) for d in dirs]
