"""The command line: parse, call build, print. Exit 0 on success, 1 on a failed build, 2 on bad usage."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from briefing import __version__
from briefing.render import FORMATS
from briefing.safetext import terminal_text

if TYPE_CHECKING:
    from briefing.build import Analysis
    from briefing.config import Settings
    from briefing.explain import Entry, Explanation
    from briefing.model import Skipped
    from briefing.progress import Progress
    from briefing.templates import Templates

DESCRIPTION = """\
Compile a folder of news articles into a cited policy brief (PDF, DOCX, HTML, Markdown, JSON).
Every sentence in the brief is a verbatim sentence of a source, and cites it."""

EPILOG = """\
configuration:
  Settings are read from --config FILE, else from briefing.yaml in the working folder if there
  is one. Command-line options override the file. Themes come from 'themes:' in the config (a
  file or an inline list), else from templates/themes.yaml.

exit status:
  0 the brief was written; 1 the build failed while writing (the previous brief is kept), or
  another build held the output folder for longer than --wait; 2 bad usage, a bad config or
  themes file, a template error, or no readable articles."""


def shown(value: str) -> str:
    """A value as an error message quotes it: cut short, so a message stays one readable line."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def iso_date(value: str) -> date:
    from briefing.config import calendar_day

    try:
        return calendar_day(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


MAX_JOBS = 1024


def job_count(value: str) -> int:
    if value == "auto":
        return 0
    if value.isascii() and value.isdigit() and len(value) <= 4 and int(value) <= MAX_JOBS:
        return int(value)
    raise argparse.ArgumentTypeError(f"{shown(value)} is not a number of processes up to {MAX_JOBS} "
                                     "(or 0/auto for one per CPU)")


def count(value: str) -> int:
    if value.isascii() and value.isdigit() and len(value) <= 6:
        return int(value)
    raise argparse.ArgumentTypeError(f"{shown(value)} is not a count (0 to 999999)")


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number >= 0:
        raise argparse.ArgumentTypeError(f"{shown(value)} is not a number of seconds")
    return number


def path(value: str) -> Path:
    """A file or folder named on the command line: an empty name ("--cache ''", often an unset shell
    variable) is refused, as in a config, rather than read as the working folder."""
    if not value:
        raise argparse.ArgumentTypeError("an empty path")
    return Path(value)


STOPPED = 130
"""The exit status of a fetch stopped by Ctrl-C or SIGTERM (128 + SIGINT, as a shell reports one)."""
MAX_REQUEST_SECONDS = 86_400
"""The longest `fetch --timeout` and `--delay`: a day, as the config's limits.max_read_seconds (past
about 9e9 s a socket's timeout or a sleep is an OverflowError)."""


def delay_seconds(value: str) -> float:
    """The wait between two requests to one host: 0 or more, finite, up to a day."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= MAX_REQUEST_SECONDS:
        raise argparse.ArgumentTypeError(f"{shown(value)} is not a number of seconds (0 to {MAX_REQUEST_SECONDS})")
    return number


def timeout_seconds(value: str) -> float:
    """A request's timeout: above 0 (0 made every socket non-blocking, so every URL failed with
    "Operation now in progress") and finite, up to a day."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= MAX_REQUEST_SECONDS:
        raise argparse.ArgumentTypeError(f"{shown(value)} is not a number of seconds above 0 "
                                         f"(up to {MAX_REQUEST_SECONDS})")
    return number


def _common(parser: argparse.ArgumentParser, quiet: str = "print nothing but errors") -> None:
    parser.add_argument("--seeds", type=path, metavar="DIR",
                        help="folder of articles (.txt, .md, .html, .pdf, .docx, .eml, .sgml); default: seeds")
    parser.add_argument("--config", type=path, metavar="FILE",
                        help="settings file (YAML); default: ./briefing.yaml if present")
    parser.add_argument("--themes", type=path, metavar="FILE",
                        help="themes file (YAML); default: templates/themes.yaml")
    parser.add_argument("-q", "--quiet", action="store_true", help=quiet)
    parser.add_argument("--follow-outside-links", action="store_true",
                        help="read files that symbolic links in the seeds folder point to outside it "
                             "(by default they are skipped, with the reason)")


def _reads_a_build(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that describe the last build: where its output and cache are."""
    parser.add_argument("--out", type=path, metavar="DIR",
                        help="the build's output folder, whose cache is read; default: output")
    parser.add_argument("--cache", type=path, metavar="DIR",
                        help="the build's analysis cache, when it was built with --cache; default: .cache inside --out")


def _since(parser: argparse.ArgumentParser,
           also: str = "; as the build was given it, to describe that build") -> None:
    parser.add_argument("--since", type=iso_date, metavar="DATE",
                        help=f"leave out sources dated before DATE (YYYY-MM-DD); undated sources are kept{also}")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="briefing", description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    _build_command(commands)
    _sources_command(commands)
    _fetch_command(commands)
    _explain_command(commands)
    _add_serve(commands)
    return root


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # what add_subparsers returns


def _build_command(commands: Commands) -> None:
    b = commands.add_parser("build", help="compile the brief from the seeds folder",
                            description="Read the seeds, choose the sentences that matter for each theme, and "
                                        "write output/brief.{pdf,docx,html,md,json}.",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(b)
    b.add_argument("--out", type=path, metavar="DIR", help="output folder; default: output")
    b.add_argument("--format", dest="formats", action="append", choices=[*FORMATS, "all"], metavar="FORMAT",
                   help=f"format to write: {', '.join(FORMATS)} or all (the default); repeat for several")
    _brief_options(b)
    b.add_argument("--wait", type=seconds, metavar="SECONDS",
                   help="when another build is writing the output folder, wait this long for it, then "
                        "exit 1; default: 600")
    b.add_argument("--cache", type=path, metavar="DIR",
                   help="folder of the analysis cache; default: .cache inside the output folder")


def _sources_command(commands: Commands) -> None:
    s = commands.add_parser("sources", help="list the sources read, their metadata, and what was skipped",
                            description="Print a table of the sources read, the metadata inferred for each, "
                                        "their sentence counts, and every file skipped with the reason.")
    _common(s)
    _reads_a_build(s)
    _since(s)


def _fetch_command(commands: Commands) -> None:
    f = commands.add_parser("fetch", help="download new articles from a file of URLs and feeds into the seeds folder",
                            description="Fetch each URL of FILE (web pages, RSS or Atom feeds, one a line) that "
                                        "has not been fetched before, and every new entry of each feed, into the "
                                        "seeds folder as HTML with a sidecar of its URL, retrieval time and feed. "
                                        "Obeys robots.txt, waits between requests to one host, retries with back-off.")
    f.add_argument("urls", type=path, metavar="FILE", help="file of URLs, one a line (# starts a comment)")
    f.add_argument("--seeds", type=path, metavar="DIR", help="folder to save articles in; default: seeds")
    f.add_argument("--config", type=path, metavar="FILE",
                   help="settings file (YAML); default: ./briefing.yaml if present")
    f.add_argument("-q", "--quiet", action="store_true", help="print nothing but the URLs that failed")
    f.add_argument("--delay", type=delay_seconds, default=1.0, metavar="SECONDS",
                   help="seconds between two requests to one host; default: 1")
    f.add_argument("--timeout", type=timeout_seconds, default=20.0, metavar="SECONDS", help="per request; default: 20")
    f.add_argument("--retries", type=count, default=3, metavar="N",
                   help="further tries after a timeout, a refused connection, a response cut short, 429 or 5xx "
                        "(waiting 1, 2, 4 … s); "
                        "default: 3")
    f.add_argument("--user-agent", metavar="TEXT", help="the User-Agent header; default: briefing/VERSION (…)")


def _explain_command(commands: Commands) -> None:
    e = commands.add_parser("explain", help="show why each sentence is in the brief, and what lost",
                            description="For each theme (or one), list the chosen items with the parts of their "
                                        "score and the terms that matched, then the strongest runners-up that "
                                        "lost and why. Key judgments come first, with their confidence.")
    _common(e)
    _reads_a_build(e)
    _since(e)
    e.add_argument("--theme", metavar="ID", help="explain this theme only")
    e.add_argument("--runners-up", type=count, default=5, metavar="N",
                   help="runners-up to show per theme: the N strongest candidates that lost, and up to "
                        "N/2 (rounded up) each of the sentences filed under another theme and of those that "
                        "were no candidate (default 5)")
    e.add_argument("--json", action="store_true", help="print the explanation as JSON")


def port_number(value: str) -> int:
    if value.isascii() and value.isdigit() and int(value) <= 65535:
        return int(value)
    raise argparse.ArgumentTypeError(f"{shown(value)} is not a port number (0 to 65535; 0 picks a free one)")


def _brief_options(p: argparse.ArgumentParser) -> None:
    """What shapes the brief a command makes, the same for build and serve."""
    p.add_argument("--title", metavar="TEXT", help="the brief's title")
    p.add_argument("--templates", type=path, metavar="DIR",
                   help="folder with brief.md.j2 and reference.docx to use instead of briefing's own")
    p.add_argument("--template", metavar="NAME",
                   help="template to render, NAME.md.j2 in the templates folder: brief (the default, the "
                        "full brief) or note (a one-page daily note)")
    _since(p, also="")
    p.add_argument("--jobs", type=job_count, default=1, metavar="N",
                   help="analyse sources in N processes, at most 1024 (0 or auto: one per CPU); default: 1")


def _add_serve(commands: Commands) -> None:
    v = commands.add_parser("serve", help="serve the brief as a page on localhost, rebuilt when its inputs change",
                            description="Build the brief and serve it as one HTML page on localhost; watch the "
                                        "seeds, config, themes and templates, rebuild on every change and reload "
                                        "the page. A themes or selection change re-scores the corpus kept in "
                                        "memory. The output folder is not written. Ctrl-C stops it.")
    _common(v, "print nothing but errors, and the warning that --host serves the brief beyond this machine")
    _reads_a_build(v)
    _brief_options(v)
    v.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                   help="address to listen on; default: 127.0.0.1 (this machine only). Another address serves "
                        "the brief, with no password, to every machine that can reach it")
    v.add_argument("--port", type=port_number, default=8000, metavar="N",
                   help="port to listen on; default: 8000; 0 picks a free one (the URL is printed)")


def settings_from(args: argparse.Namespace) -> Settings:
    from briefing.config import find_config, load_settings, with_overrides

    settings = load_settings(find_config(args.config, Path.cwd()))
    overrides = {k: v for k, v in {
        "seeds": args.seeds, "themes": getattr(args, "themes", None),
        "out": getattr(args, "out", None), "title": getattr(args, "title", None),
        "templates": getattr(args, "templates", None), "template": getattr(args, "template", None),
        "since": getattr(args, "since", None), "cache": getattr(args, "cache", None),
        "follow_outside_links": getattr(args, "follow_outside_links", False) or None,
    }.items() if v is not None}
    return with_overrides(settings, overrides)


def templates_of(settings: Settings) -> Templates:
    from briefing.config import ConfigError
    from briefing.templates import Templates

    if settings.templates is None:
        return replace(Templates.default(), name=settings.template)
    if not settings.templates.is_dir():
        raise ConfigError(f"{settings.templates}: templates folder not found")
    return Templates(settings.templates, settings.template)


PIPED_WIDTH = 160
FORMS_SHOWN = 3  # the other word forms `explain` shows of a keyword (its JSON has them all)


def report_console() -> Console:
    """Where `sources` and `explain` print: the terminal's width, or COLUMNS; piped to a file or a
    pager with neither, 160 columns rather than rich's 80, at which the tables broke words
    ("Vladimi r")."""
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(highlight=False, width=PIPED_WIDTH)
    return console


DOCUMENT_NAMES = {"newswire": "newswire document", "md": "front matter"}
"""How `sources` names a document format that its upper-cased name (HTML, PDF) does not."""


def print_sources(analysis: Analysis, console: Console) -> None:
    table = Table(title=f"{len(analysis.sources)} sources", title_justify="left", show_lines=False)
    for column in ("id", "file", "format", "title", "publication", "author", "date", "sentences", "note"):
        table.add_column(column, overflow="fold")
    counts: dict[str, int] = {}
    for sentence in analysis.sentences:
        counts[sentence.source] = counts.get(sentence.source, 0) + 1
    for s in analysis.sources:
        m = s.metadata
        note = [f"republishes {s.duplicate_of}"] if s.duplicate_of else []
        if s.extracted and s.format != "txt":  # a text file's text as read is published too, but it is no document
            note.append(f"metadata in the {DOCUMENT_NAMES.get(s.format, s.format.upper())}: "
                        f"{', '.join(s.found) or 'none'}")
            note += [f"{name}: {value}" for name, value in s.details]
        note.append(f"{len(s.dropped)} block{'' if len(s.dropped) == 1 else 's'} removed")
        note += list(s.warnings)
        values = (s.id, s.path, s.format, m.title or "–", m.publication or "–", m.author or "–", m.date or "–",
                  str(counts.get(s.id, 0)), "; ".join(note))
        table.add_row(*(Text(terminal_text(v)) for v in values))
    console.print(table)
    print_skipped(analysis.skipped, console)


def print_skipped(skipped: Sequence[Skipped], console: Console) -> None:
    """The files of the seeds folder that were not read, each with the reason."""
    if skipped:
        table = Table(title=f"{len(skipped)} skipped", title_justify="left")
        table.add_column("file", overflow="fold")
        table.add_column("reason", overflow="fold")
        for sk in skipped:
            table.add_row(Text(terminal_text(sk.path)), Text(terminal_text(sk.reason)))
        console.print(table)


def _parts(parts: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.2f}" for k, v in parts.items())


def _disputed(e: Entry) -> str:
    return f"; disputed by {', '.join(e.disputed_by)}" if e.disputed_by else ""


def print_explanation(explanation: Explanation, console: Console, as_json: bool) -> None:
    if as_json:
        import json

        # the same JSON, a directional override as its escape (\u202e), which turned around the terminal's line
        console.file.write(terminal_text(json.dumps(explanation.to_json(), ensure_ascii=False, indent=2)) + "\n")
        return
    if explanation.key_judgments:
        console.rule("[bold]Key judgments[/bold]", align="left")
        for n, e in enumerate(explanation.key_judgments, start=1):
            console.print(f"[bold]{n}.[/bold] {escape(terminal_text(e.text))} [dim]({e.source})[/dim]")
            console.print(f"   score {e.score:.3f}: {_parts(e.parts)}", style="dim")
            notes = f"; {'; '.join(e.notes)}" if e.notes else ""
            console.print(f"   {e.confidence} confidence: {e.support} independent source"
                          f"{'s' if e.support != 1 else ''}" + _disputed(e) + notes, style="dim")
            if e.reason:  # the strength it was chosen by, which its score for its theme is not
                console.print(f"   {escape(terminal_text(e.reason))}", style="dim")
    for theme in explanation.themes:
        console.rule(f"[bold]{escape(terminal_text(theme.title))}[/bold] ({theme.theme})", align="left")
        console.print(f"{len(theme.items)} items, {theme.words} of {theme.budget} words; score floor "
                      f"{theme.floor:.3f}" + (f"; terms added from the corpus: {', '.join(theme.expansion)}"
                                             if theme.expansion else ""), style="dim")
        used = sorted(((n, k) for k, n in theme.keywords.items() if n > 0), key=lambda p: (-p[0], p[1]))
        named = "words of its title and description" if theme.in_plain_words else "keywords"
        if used:
            forms = {k: f" (as {', '.join(f[:FORMS_SHOWN])})" for k, f in theme.keyword_forms.items()}
            listed = ", ".join(f"{k} {n}{forms.get(k, '')}" for n, k in used)
            console.print(f"{named} used (sentences): " + escape(terminal_text(listed)), style="dim")
        unused = [k for k, n in theme.keywords.items() if n == 0]
        if unused:
            console.print(f"{named} no sentence uses: {escape(terminal_text(', '.join(unused)))}", style="yellow")
        if not theme.items:
            console.print("No sentence in the corpus is clearly about this theme.")
        for n, e in enumerate(theme.items, start=1):
            console.print(f"[bold]{n}.[/bold] {escape(terminal_text(e.text))} [dim]({e.source})[/dim]")
            console.print(f"   score {e.score:.3f}: {_parts(e.parts)}", style="dim")
            terms = escape(terminal_text(", ".join(e.terms))) or "–"
            console.print(f"   matched: {terms}; {e.support} independent source"
                          f"{'s' if e.support != 1 else ''}" + _disputed(e)
                          + (f"; {'; '.join(e.notes)}" if e.notes else ""), style="dim")
            if e.reason:
                console.print(f"   {escape(terminal_text(e.reason))}", style="dim")
        if theme.runners_up:
            table = Table(title="Runners-up", title_justify="left", show_lines=True)
            for column in ("sentence", "source", "score", "relevance", "why it lost"):
                table.add_column(column, overflow="fold")
            for e in theme.runners_up:
                table.add_row(escape(terminal_text(e.text)), e.source, "–" if e.score is None else f"{e.score:.3f}",
                              f"{e.relevance:.2f}", escape(terminal_text(e.reason)))
            console.print(table)


def fetch_command(args: argparse.Namespace, settings: Settings, err: Console) -> int:
    from briefing import fetch

    try:
        text = args.urls.read_text(encoding="utf-8-sig")  # Notepad starts its UTF-8 with a byte order mark
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise fetch.FetchError(f"{args.urls}: cannot read the URL file ({why})") from None
    urls = fetch.urls_in(text)
    if not urls:
        raise fetch.FetchError(f"{args.urls}: no URLs in the file (one a line)")
    options = fetch.Options(delay=args.delay, timeout=args.timeout, retries=args.retries,
                            max_bytes=settings.limits.max_file_bytes, user_agent=args.user_agent or fetch.USER_AGENT)
    out = Console(highlight=False, soft_wrap=True)

    outcomes_so_far: list[fetch.Outcome] = []

    def report(outcome: fetch.Outcome) -> None:
        outcomes_so_far.append(outcome)
        line = f"{outcome.status:7} {escape(outcome.url)}" + (f": {escape(outcome.detail)}" if outcome.detail else "")
        if outcome.status == "failed":
            err.print(f"[yellow]warning:[/yellow] {line}", soft_wrap=True)
        elif not args.quiet:
            out.print(line)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGTERM (cron's `timeout`, systemd, `kill`) stops the run as Ctrl-C does: fetch records the articles
    # it saved in the state file on its way out, which a process killed by the signal's default never did.
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        outcomes = fetch.fetch(urls, settings.seeds, options, report)
    except KeyboardInterrupt:
        saved = sum(1 for o in outcomes_so_far if o.status == "saved")
        err.print(f"stopped: {saved} article{'s' if saved != 1 else ''} saved in this run, recorded in "
                  f"{escape(str(settings.seeds / fetch.STATE))}", soft_wrap=True)
        return STOPPED
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not args.quiet:
        counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("saved", "seen", "feed", "skipped", "failed")}
        out.print(", ".join(f"{n} {s}" for s, n in counts.items()))
    return 0


def serve_command(args: argparse.Namespace, progress: Progress, err: Console) -> int:
    """`briefing serve`: the first build's errors end it as `build`'s do; later ones show in the page."""
    from briefing.config import find_config, themes_of
    from briefing.live import Inputs, Session, Step
    from briefing.serve import is_local, serve

    def load() -> Inputs:
        settings = settings_from(args)
        return Inputs(settings, themes_of(settings), templates_of(settings))

    def start() -> Session:
        session = Session(load, progress, args.jobs)
        try:
            session.run(Step.READ)
        except BaseException:
            session.close()
            raise
        return session

    def say(line: str, problem: bool = False) -> None:
        if problem or not args.quiet:
            label = "[red]error:[/red] " if problem else ""
            err.print(f"[dim]{datetime.now():%H:%M:%S}[/dim] {label}{escape(line)}", soft_wrap=True)

    def show_url(url: str) -> None:
        print(f"Serving the brief at {url} (Ctrl-C to stop)", flush=True)

    if not is_local(args.host):  # shown with --quiet too: a warning about who can read the brief is not noise
        err.print(f"[yellow]warning:[/yellow] --host {escape(args.host)}: the brief is served, with no password, "
                  "to every machine that can reach this one", soft_wrap=True)
    return serve(start, args.host, args.port, find_config(args.config, Path.cwd()), say, show_url)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from briefing.build import DEFAULT_WAIT_SECONDS, BuildError, Progress, analyse, build
    from briefing.cache import Cache
    from briefing.config import ConfigError, themes_of
    from briefing.fetch import FetchError

    err = Console(stderr=True, highlight=False)
    progress = Progress(quiet=args.quiet, console=err)
    try:
        settings = settings_from(args)
        if args.command == "fetch":
            return fetch_command(args, settings, err)
        theme_list = themes_of(settings)
        if args.command == "serve":
            return serve_command(args, progress, err)
        if args.command == "sources":
            from briefing.errors import NothingReadable
            from briefing.model import Skipped

            with closing(Cache(settings.cache_folder(), read_only=True)) as cache:
                try:
                    analysis = analyse(settings, theme_list, Progress(quiet=True), cache)
                except NothingReadable as nothing:  # what was there, and why none of it could be read
                    print_skipped([s for s in nothing.skipped if isinstance(s, Skipped)], report_console())
                    raise
            print_sources(analysis, report_console())
            return 0
        if args.command == "explain":
            if args.theme is not None and args.theme not in {t.id for t in theme_list}:
                raise ConfigError(f"--theme {args.theme}: no such theme; "
                                  f"the themes are {', '.join(t.id for t in theme_list)}")
            from briefing.explain import explain

            with closing(Cache(settings.cache_folder(), read_only=True)) as cache:
                analysis = analyse(settings, theme_list, progress, cache)
            explanation = explain(analysis, theme_list, settings.selection, args.runners_up, args.theme)
            print_explanation(explanation, report_console(), args.json)
            return 0
        templates = templates_of(settings)
        formats = args.formats or settings.formats
        wait = DEFAULT_WAIT_SECONDS if args.wait is None else args.wait
        analysis, written = build(settings, theme_list, templates, formats, progress, jobs=args.jobs, wait=wait)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {escape(terminal_text(str(exc)))}", soft_wrap=True)
        return 2
    except (BuildError, FetchError) as exc:
        err.print(f"[red]error:[/red] {escape(terminal_text(str(exc)))}", soft_wrap=True)
        return exc.exit_code
    if not args.quiet:
        for path in written:
            err.print(f"wrote {escape(str(path))} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


def run() -> None:
    """The `briefing` command: `main`, then exit without a last garbage collection. The process is
    ending; at 10,000 articles that collection walked a million objects for half a second to free
    what the exit frees anyway."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
