"""The command line: parse, call build, print. Exit 0 on success, 1 on a failed build, 2 on bad usage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from briefing import __version__
from briefing.render import FORMATS

if TYPE_CHECKING:
    from briefing.build import Analysis
    from briefing.config import Settings
    from briefing.templates import Templates

DESCRIPTION = """\
Compile a folder of news articles into a cited policy brief (PDF, DOCX, Markdown, JSON).
Every sentence in the brief is a verbatim sentence of a source, and cites it."""

EPILOG = """\
configuration:
  Settings are read from --config FILE, else from briefing.yaml in the working folder if there
  is one. Command-line options override the file. Themes come from 'themes:' in the config (a
  file or an inline list), else from templates/themes.yaml.

exit status:
  0 the brief was written; 1 the build failed while writing (the previous brief is kept), or
  another build held the output folder for longer than --wait; 2 bad usage, a bad config or
  themes file, or no readable articles."""


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


def job_count(value: str) -> int:
    if value == "auto":
        return 0
    if value.isdigit():
        return int(value)
    raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (or 0/auto for one per CPU)")


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number >= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds")
    return number


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, metavar="DIR", help="folder of articles (.txt, .md); default: seeds")
    parser.add_argument("--config", type=Path, metavar="FILE", help="settings file (YAML); default: ./briefing.yaml if present")
    parser.add_argument("--themes", type=Path, metavar="FILE", help="themes file (YAML); default: templates/themes.yaml")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="briefing", description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    b = commands.add_parser("build", help="compile the brief from the seeds folder",
                            description="Read the seeds, choose the sentences that matter for each theme, and "
                                        "write output/brief.{pdf,docx,md,json}.",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(b)
    b.add_argument("--out", type=Path, metavar="DIR", help="output folder; default: output")
    b.add_argument("--format", dest="formats", action="append", choices=[*FORMATS, "all"], metavar="FORMAT",
                   help=f"format to write: {', '.join(FORMATS)} or all (the default); repeat for several")
    b.add_argument("--title", metavar="TEXT", help="the brief's title")
    b.add_argument("--templates", type=Path, metavar="DIR",
                   help="folder with brief.md.j2 and reference.docx to use instead of briefing's own")
    b.add_argument("--since", type=iso_date, metavar="DATE",
                   help="leave out sources dated before DATE (YYYY-MM-DD); undated sources are kept")
    b.add_argument("--jobs", type=job_count, default=1, metavar="N",
                   help="analyse sources in N processes (0 or auto: one per CPU); default: 1")
    b.add_argument("--wait", type=seconds, metavar="SECONDS",
                   help="when another build is writing the output folder, wait this long for it, then "
                        "exit 1; default: 600")
    b.add_argument("--cache", type=Path, metavar="DIR",
                   help="folder of the analysis cache; default: .cache inside the output folder")

    s = commands.add_parser("sources", help="list the sources read, their metadata, and what was skipped",
                            description="Print a table of the sources read, the metadata inferred for each, "
                                        "their sentence counts, and every file skipped with the reason.")
    _common(s)
    return root


def settings_from(args: argparse.Namespace) -> Settings:
    from briefing.config import find_config, load_settings

    settings = load_settings(find_config(args.config, Path.cwd()))
    overrides = {k: v for k, v in {
        "seeds": args.seeds, "themes": args.themes,
        "out": getattr(args, "out", None), "title": getattr(args, "title", None),
        "templates": getattr(args, "templates", None),
        "since": getattr(args, "since", None), "cache": getattr(args, "cache", None),
    }.items() if v is not None}
    return settings.model_copy(update=overrides)


def templates_of(settings: Settings) -> Templates:
    from briefing.config import ConfigError
    from briefing.templates import Templates

    if settings.templates is None:
        return Templates.default()
    if not settings.templates.is_dir():
        raise ConfigError(f"{settings.templates}: templates folder not found")
    return Templates(settings.templates, settings.template)


def print_sources(analysis: Analysis, console: Console) -> None:
    table = Table(title=f"{len(analysis.sources)} sources", title_justify="left", show_lines=False)
    for column in ("id", "file", "title", "publication", "author", "date", "sentences", "note"):
        table.add_column(column, overflow="fold")
    counts: dict[str, int] = {}
    for s in analysis.sentences:
        counts[s.source] = counts.get(s.source, 0) + 1
    for s in analysis.sources:
        m = s.metadata
        note = [f"republishes {s.duplicate_of}"] if s.duplicate_of else []
        note.append(f"{len(s.dropped)} block{'' if len(s.dropped) == 1 else 's'} removed")
        note += list(s.warnings)
        table.add_row(s.id, s.path, m.title or "–", m.publication or "–", m.author or "–", m.date or "–",
                      str(counts.get(s.id, 0)), "; ".join(note))
    console.print(table)
    if analysis.skipped:
        skipped = Table(title=f"{len(analysis.skipped)} skipped", title_justify="left")
        skipped.add_column("file", overflow="fold")
        skipped.add_column("reason", overflow="fold")
        for sk in analysis.skipped:
            skipped.add_row(sk.path, sk.reason)
        console.print(skipped)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from briefing.build import DEFAULT_WAIT_SECONDS, BuildError, Progress, analyse, build
    from briefing.config import ConfigError, themes_of

    err = Console(stderr=True, highlight=False)
    progress = Progress(quiet=args.quiet, console=err)
    try:
        settings = settings_from(args)
        theme_list = themes_of(settings)
        if args.command == "sources":
            print_sources(analyse(settings, theme_list, Progress(quiet=True)), Console(highlight=False))
            return 0
        templates = templates_of(settings)
        formats = args.formats or settings.formats
        wait = DEFAULT_WAIT_SECONDS if args.wait is None else args.wait
        analysis, written = build(settings, theme_list, templates, formats, progress, jobs=args.jobs, wait=wait)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        return 2
    except BuildError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        return exc.exit_code
    if not args.quiet:
        for path in written:
            err.print(f"wrote {escape(str(path))} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
