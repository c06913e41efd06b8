"""`briefing serve`: the brief as a page on localhost, rebuilt when its inputs change, as `mkdocs serve`.

The page is the one `build` writes, served from memory, with a small script added that long-polls
`/__reload` and reloads the page when the build number changes; a failed rebuild keeps the last good
brief and shows the error in a banner. The served page's Content-Security-Policy allows that script
and the banner's style by hash, and `connect-src 'self'` for the poll. The output folder is never
written: the published brief stays the last `build`'s.

Watching uses watchdog (inotify on Linux): the seeds and templates folders recursively, and the
folders of the config and themes files, not recursively (an editor saves by renaming a new file over
the old, which a watch on the file itself would lose). A burst of events is one change.
"""

from __future__ import annotations

import ipaddress
import json
import os
import queue
import signal
import socket
import stat
import threading
import time
from collections.abc import Callable, Collection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup, escape
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from briefing.config import CONFIG_NAMES, ConfigError, default_themes_path
from briefing.errors import BuildError
from briefing.live import DONE, Inputs, Session, Step
from briefing.render.html import csp_hash
from briefing.safetext import printable_path

RELOAD_PATH = "/__reload"
POLL_SECONDS = 25.0
"""A long poll is answered after this long even when nothing was rebuilt (then asked again)."""
QUIET_SECONDS = 0.1
"""A change is taken once no further event came for this long (an editor's save is several events)…"""
LONGEST_BURST_SECONDS = 1.0
"""… or once it has gone on for this long."""

RELOAD_SCRIPT = """(function () {
  "use strict";
  var build = document.currentScript.getAttribute("data-build");
  function poll() {
    fetch("/__reload?build=" + encodeURIComponent(build), {cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.statusText); } return r.json(); })
      .then(function (d) { if (String(d.build) !== build) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();"""
BANNER_STYLE = """.serve-error { position: sticky; top: 0; z-index: 10; margin: 0; padding: .7rem 1.2rem;
  background: #8B1A1A; color: #fff; font: .95rem/1.45 var(--sans, sans-serif); white-space: pre-wrap; }
.serve-error strong { margin-right: .4rem; }"""
BANNER = ('<div id="serve-error" class="serve-error" role="alert"><strong>Rebuild failed:</strong>{}\n'
          'The page shows the last good brief; save a fixed file to rebuild.</div>')


def served(page: str, build: int, error: str | None) -> bytes:
    """The page as served: the reload script (and the error banner, if any) added, and allowed by the
    page's Content-Security-Policy. The page `build` writes has neither."""
    page = str(page).replace('content="default-src ', 'content="connect-src &#39;self&#39;; default-src ', 1)
    page = page.replace(" script-src ", f" script-src {escape(csp_hash(RELOAD_SCRIPT))} ", 1)
    if error is not None:
        page = page.replace(" style-src ", f" style-src {escape(csp_hash(BANNER_STYLE))} ", 1)
        page = page.replace("</head>", f"<style>{BANNER_STYLE}</style>\n</head>", 1)
        page = page.replace("<body>", "<body>\n" + str(Markup(BANNER).format(error)), 1)
    head, _, tail = page.rpartition("</body>")
    return f'{head}<script data-build="{build}">{RELOAD_SCRIPT}</script>\n</body>{tail}'.encode()


class Latest:
    """The page to serve, its build number, which a long poll waits to change, and the error its banner
    shows (None: no banner)."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.build = 0
        self.body = b""
        self.error: str | None = None
        self.closed = False

    def publish(self, page: str, error: str | None = None) -> None:
        with self.changed:
            self.build += 1
            self.error = error
            self.body = served(page, self.build, error)
            self.changed.notify_all()

    def after(self, build: int, timeout: float) -> int:
        """The build number once it is not `build` (or after `timeout` seconds, or when closing)."""
        with self.changed:
            self.changed.wait_for(lambda: self.build != build or self.closed, timeout)
            return self.build

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


def named_locally(host_header: str | None) -> bool:
    """Whether a request's Host names this machine (or is absent, as in HTTP/1.0): a page of another
    site that renamed itself to 127.0.0.1 (DNS rebinding) sends its own name, and is refused."""
    if host_header is None:
        return True
    name = host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header.rsplit("]", 1)[0]
    return is_local(name.strip("[]"))


def handler_for(latest: Latest, local: bool) -> type[BaseHTTPRequestHandler]:
    """Requests for the page (`/`) and the reload poll. Served on a loopback address, only requests that
    name it: the brief is not handed to another site's script."""
    class Handler(BaseHTTPRequestHandler):
        server_version = "briefing"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            if local and not named_locally(self.headers.get("Host")):
                self.send(403, "text/plain; charset=utf-8", b"forbidden: open the brief at localhost or 127.0.0.1\n")
            elif url.path in ("/", "/brief.html"):
                self.send(200, "text/html; charset=utf-8", latest.body)
            elif url.path == RELOAD_PATH:
                known = parse_qs(url.query).get("build", [""])[0]
                number = int(known) if known.isascii() and known.isdigit() and len(known) <= 18 else -1  # not "²"
                build = latest.after(number, POLL_SECONDS)
                self.send(200, "application/json", json.dumps({"build": build}).encode())
            else:
                self.send(404, "text/plain; charset=utf-8", b"not found: the brief is at /\n")

        def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
            """As GET, without the body (`send` leaves it out): HTTP asks a server that answers GET to."""
            self.do_GET()

        def send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
            """Requests are not logged: the terminal shows the rebuilds."""

    return Handler


def server(host: str, port: int, latest: Latest) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: a free one), not yet serving."""
    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        daemon_threads = True

    try:
        return Server((host, port), handler_for(latest, is_local(host)))
    except OSError as exc:
        raise BuildError(f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc})", 1) from None


def is_local(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


WAKE_SECONDS = 0.5
"""How often the main thread wakes while it waits for a change. A SIGINT that lands on another of the
process's threads (the file watcher's, a page request's: sent to it, as `pthread_kill` does) is raised
as KeyboardInterrupt in the main thread only when that thread next runs, and a wait without a timeout
would never end."""


class Watcher(FileSystemEventHandler):
    """The files that changed under the watched folders, of those `relevant` says matter."""

    EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed"})  # not opened, nor read

    def __init__(self) -> None:
        self.found: queue.Queue[Path] = queue.Queue()
        self.relevant: Callable[[Path], bool] = lambda path: False
        self.folders: dict[Path, tuple[bool, tuple[int, int] | None]] = {}
        """Each folder watched: recursively or not, and which folder it was (device and inode; None: none)."""
        self.observer = Observer()
        self.observer.daemon = True
        self.observer.start()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in self.EVENTS:
            for name in (event.src_path, event.dest_path):
                if name and self.relevant(Path(os.fsdecode(name))):
                    self.found.put(Path(os.fsdecode(name)))

    def watch(self, folders: dict[Path, bool], relevant: Callable[[Path], bool]) -> None:
        """Watch these folders (recursively where True) for the paths `relevant` accepts. A folder that
        is no longer the one watched (moved away or deleted, and made again: the watch stayed on the old
        one, or ended with it), or that came into being, is watched anew."""
        self.relevant = relevant
        now = {folder: (recursive, _identity(folder)) for folder, recursive in folders.items()}
        if now != self.folders:
            self.observer.unschedule_all()
            for folder, (recursive, identity) in now.items():
                if identity is not None:
                    try:
                        self.observer.schedule(self, str(folder), recursive=recursive)
                    except OSError:  # gone meanwhile: the watch on its parent sees it come back
                        now[folder] = (recursive, None)
            self.folders = now

    def changes(self) -> set[Path]:
        """The paths of the next change, waiting for it: events until none came for QUIET_SECONDS."""
        while True:
            try:  # never a wait without a timeout: see WAKE_SECONDS
                changed = {self.found.get(timeout=WAKE_SECONDS)}
                break
            except queue.Empty:
                continue
        deadline = time.monotonic() + LONGEST_BURST_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                changed.add(self.found.get(timeout=min(QUIET_SECONDS, left)))
            except queue.Empty:
                break
        return changed

    def close(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path (device and inode), or None when there is none."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None


def watched(inputs: Inputs, config: Path | None, cwd: Path) -> tuple[dict[Path, bool], Callable[[Path], bool]]:
    """The folders to watch (recursively or not) and which paths in them are the brief's inputs: the
    seeds, the templates, the config file (briefing.yaml in `cwd` when none was named) and the themes.
    The seeds' and the templates' parent folders are watched too (not recursively), for the folder
    itself deleted or moved away and made again."""
    settings = inputs.settings
    seeds, templates = settings.seeds.resolve(), inputs.templates.directory.resolve()
    files = {config.resolve()} if config is not None else {cwd.resolve() / name for name in CONFIG_NAMES}
    if not isinstance(settings.themes, list):
        files.add((settings.themes or default_themes_path()).resolve())
    parents = {f.parent for f in files} | {seeds.parent, templates.parent}
    folders = {seeds: True, templates: True} | {p: False for p in sorted(parents) if p not in (seeds, templates)}

    def relevant(path: Path) -> bool:
        return (path in files or path in (seeds, templates) or seeds in path.parents
                or templates in path.parents)

    return folders, relevant


def described(changed: Collection[Path], cwd: Path) -> str:
    """The changed files as a short phrase: up to three names, relative to `cwd` where they are in it
    (the files that are still there, when some are: an editor's temporary files are not), each written
    as brief.json writes a source's path (`printable_path`: a tab, a line break or a byte that is not
    UTF-8 as a backslash escape), so the line stays one line."""
    changed = [p for p in changed if p.exists()] or changed
    names = sorted(printable_path(str(p.relative_to(cwd)) if p.is_relative_to(cwd) else str(p)) for p in changed)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(start: Callable[[], Session], host: str, port: int, config: Path | None, say: Callable[..., None],
          show_url: Callable[[str], None]) -> int:
    """Listen on host:port, build (`start`), then serve the page and rebuild it on each change, until
    Ctrl-C or SIGTERM (exit status 0). An error of the first build is raised, as `build` would.
    `say(line, problem)` shows a rebuild's line (plain text; `problem` for an error)."""
    latest, session, watcher, serving = Latest(), None, None, None
    httpd = server(host, port, latest)
    # Both stop it, even when started with SIGINT ignored (as a shell starts a command with `&`): Python
    # then leaves SIGINT ignored, and `kill -INT` would not stop the server.
    interrupt = signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        session = start()
        latest.publish(session.page)
        watcher = Watcher()
        serving = threading.Thread(target=httpd.serve_forever, name="briefing-serve", daemon=True)
        serving.start()
        show_url(f"http://{f'[{host}]' if ':' in host else host}:{httpd.server_address[1]}/")
        watch_and_rebuild(session, latest, watcher, config, say)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, interrupt)
        latest.close()
        if serving is not None:
            httpd.shutdown()
        httpd.server_close()
        if watcher is not None:
            watcher.close()
        if session is not None:
            session.close()
    return 0


def watch_and_rebuild(session: Session, latest: Latest, watcher: Watcher, config: Path | None,
                      say: Callable[..., None]) -> None:
    """Forever: wait for a change, rebuild from the step it needs, publish the page (or the error). A
    change that needs no rebuild after a failed one (the broken file saved back as it was at the last
    good build, which is then the brief of the inputs as they are) publishes that brief without the
    banner: it must not stay up with nothing wrong."""
    cwd = Path.cwd()
    while True:
        watcher.watch(*watched(session.inputs, config, cwd))
        changed = watcher.changes()
        started = time.perf_counter()
        try:
            step = session.update(changed)
        except (ConfigError, BuildError) as exc:
            latest.publish(session.page, str(exc))
            say(f"{exc} (shown in the page; the last good brief stays)", True)
            continue
        except Exception as exc:  # a rebuild's own failure must not stop the server; it is shown
            latest.publish(session.page, f"briefing failed: {type(exc).__name__}: {exc}")
            say(f"rebuild failed: {type(exc).__name__}: {exc}", True)
            continue
        if step is None and latest.error is None:
            say(f"{described(changed, cwd)} changed; nothing the brief depends on")
            continue
        latest.publish(session.page)
        if step is None:
            say(f"{described(changed, cwd)} changed: back to the last good brief (build {latest.build})")
            continue
        done = ", ".join(DONE[s] for s in Step if s >= step)
        say(f"{described(changed, cwd)} changed: {done} ({time.perf_counter() - started:.2f} s, build {latest.build})")
