"""Collecting articles: `briefing fetch URLS` downloads each new article once into the seeds folder.

The file names web pages and RSS/Atom feeds (feedparser), one URL a line. A feed's entries are articles
to fetch; anything else that is fetched is an article, saved as the HTML it got (`HOST_HASH.html`; a
PDF, Word file or plain text by its Content-Type as `.pdf`, `.docx`, `.txt`; any other type is skipped),
with a sidecar (`HOST_HASH.meta.yaml`) holding its URL, when it was retrieved and the feed it came from.
Politeness: robots.txt is obeyed (fetched once per host), every request carries a real User-Agent,
requests to one host are spaced by a delay (or robots.txt's Crawl-delay when longer), each has a
timeout, a failure that may pass (a timeout, a refused connection, a response cut short, 429 or 5xx) is
retried with exponential back-off, and a response over the size limit is dropped. Every URL requested
(and every URL a redirect led to) is recorded in this run, and every article saved is recorded in
`SEEDS/.fetched.json`, so no URL is fetched twice: an article saved once is never fetched again, in this
run or a later one (URLs that differ only in their #fragment, which never reaches the server, are one
article). Feeds are read at every run (for their new entries), and a URL that failed is tried again at
the next run.
"""

from __future__ import annotations

import base64
import codecs
import email.utils
import functools
import hashlib
import http.client
import ipaddress
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit

from briefing import __version__
from briefing.ingest import safexml

USER_AGENT = f"briefing/{__version__} (news brief compiler; +https://pypi.org/project/briefing/)"
STATE = ".fetched.json"
"""In the seeds folder (a hidden file, which builds pass over): every URL requested, and what came of it."""
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0
"""The longest a 429 or 503's Retry-After makes fetch wait before it asks again; a server that asks for
longer gets its URL marked failed at once, to be tried again at the next run, rather than holding it up."""
MAX_CRAWL_DELAY = 86_400.0
"""The longest a host's robots.txt Crawl-delay makes fetch wait between two of its pages: a day, as the
longest `--delay` (a site's "Crawl-delay: 99999999999" was an OverflowError that ended the run)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `Fetcher.get`, one request at a time, so each waits its host's delay."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


OPENER = urllib.request.build_opener(_NoRedirects)
FEED_TYPES = re.compile(r"(rss|atom|rdf|xml)", re.I)
SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".xhtml", "application/pdf": ".pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
            "message/rfc822": ".eml", "text/plain": ".txt", "text/markdown": ".md"}
"""What a response is saved as, by its Content-Type; any other type is not an article."""


class FetchError(Exception):
    """A run that cannot go on: `exit_code` 2 for bad input (the URL file), 1 when the seeds folder
    cannot be written."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Options:
    delay: float = 1.0
    """Seconds between two requests to one host."""
    timeout: float = 20.0
    retries: int = 3
    """Further tries after a failure that may pass."""
    backoff: float = 1.0
    """The first retry waits this long; each next one twice as long."""
    max_bytes: int = 5_000_000
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Response:
    url: str
    """The URL the response came from, after redirects."""
    status: int
    content_type: str
    body: bytes
    charset: str | None = None
    """The charset the Content-Type header names, if any."""


class Failed(Exception):
    """One URL that could not be fetched, with the reason."""


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass
class Fetcher:
    """HTTP with the politeness rules: robots.txt, User-Agent, per-host delay, timeout, retries."""

    options: Options
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    last_request: dict[str, float] = field(default_factory=dict)
    robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    crawl_delay: dict[str, float] = field(default_factory=dict)
    """A host's robots.txt Crawl-delay, when longer than the delay asked for."""

    def _wait_for(self, host: str) -> None:
        last = self.last_request.get(host)
        if last is not None:
            wait = last + max(self.options.delay, self.crawl_delay.get(host, 0.0)) - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_request[host] = self.clock()

    def _once(self, url: str) -> Response:
        public = without_credentials(url)
        self._wait_for(urlsplit(public).netloc.lower())
        headers = {"User-Agent": self.options.user_agent,
                   "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                             "application/xml;q=0.9,*/*;q=0.5"}
        parts = urlsplit(url)
        if parts.username is not None:  # https://user:password@host/…, as curl and wget read it: HTTP Basic
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
        request = urllib.request.Request(public, headers=headers)
        deadline = self.clock() + self.options.timeout
        with OPENER.open(request, timeout=self.options.timeout) as response:
            length = response.headers.get("Content-Length")
            announced = int(length) if length and length.isascii() and length.isdigit() else None
            if announced is not None and announced > self.options.max_bytes:
                raise Failed(f"{announced:,} bytes, over the {self.options.max_bytes:,}-byte limit")
            body = self._body(response, deadline)
            if announced is not None and len(body) < announced:  # the connection closed before the end
                raise http.client.IncompleteRead(body, announced - len(body))
            return Response(response.geturl(), response.status, content_type(response.headers, body), body,
                            response.headers.get_content_charset())

    def _body(self, response: http.client.HTTPResponse, deadline: float) -> bytes:
        """The response's body, read as it comes (one socket read at a time): TimeoutError once the
        request has taken longer than the timeout, which each read alone never does when a server sends a
        few bytes now and then; Failed over the size limit."""
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(65_536):
            size += len(chunk)
            if size > self.options.max_bytes:
                raise Failed(f"over the {self.options.max_bytes:,}-byte limit")
            chunks.append(chunk)
            if self.clock() > deadline:
                raise TimeoutError("the response took longer than the timeout")
        return b"".join(chunks)

    def get(self, url: str, robots: bool = False) -> Response:
        """The response to a GET of `url`, redirects followed (at most MAX_REDIRECTS, each to a URL
        robots.txt allows unless `robots`, and into a private network only from one); Failed with the reason."""
        inside = internal(urlsplit(url).hostname)
        for _ in range(MAX_REDIRECTS + 1):
            try:
                return self._retried(url)
            except _Redirect as redirect:
                url = urldefrag(urljoin(url, redirect.location)).url
                if urlsplit(url).scheme not in ("http", "https"):
                    raise Failed(f"redirected to {url}, not an http or https URL") from None
                if not inside and internal(urlsplit(url).hostname):
                    raise Failed(f"redirected to {without_credentials(url)}, an address of a private network "
                                 "(only a URL in the file may lead there)") from None
                if not robots and not self.allowed(url):
                    raise Failed(f"redirected to {url}, which robots.txt disallows") from None
        raise Failed(f"more than {MAX_REDIRECTS} redirects")

    def _retried(self, url: str) -> Response:
        asked: float | None = None  # the seconds a 429 or 503 asked to wait (Retry-After)
        for attempt in range(self.options.retries + 1):
            try:
                return self._once(url)
            except urllib.error.HTTPError as exc:
                reason = f"HTTP {exc.code} {exc.reason}"
                location = exc.headers.get("Location") if exc.headers else None
                if exc.code in REDIRECT_STATUSES and location:
                    raise _Redirect(location) from None
                if exc.code not in RETRY_STATUSES:
                    raise Failed(reason) from None
                asked = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                if asked is not None and asked > MAX_RETRY_AFTER:
                    raise Failed(f"{reason}, asking to wait {asked:,.0f} s; tried again at the next run") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                cause = getattr(exc, "reason", exc)
                timed_out = isinstance(cause, (socket.timeout, TimeoutError))
                reason = "timed out" if timed_out else f"cannot connect ({cause})"
            except http.client.IncompleteRead as exc:  # a body that breaks off: a connection that dropped
                got = len(exc.partial)
                reason = "the response was cut short" + (f" ({got:,} of {got + exc.expected:,} bytes)"
                                                         if exc.expected is not None else "")
            except http.client.HTTPException as exc:  # the port speaks another protocol: no use asking again
                said = str(exc).strip()
                raise Failed(f"not an HTTP response ({said[:60]!r})" if isinstance(exc, http.client.BadStatusLine)
                             else f"not an HTTP response ({said[:200]})") from None
            except (ValueError, OSError) as exc:
                raise Failed(f"cannot fetch ({exc})") from None
            if attempt < self.options.retries:
                self.sleep(max(self.options.backoff * 2 ** attempt, asked or 0.0))
            asked = None
        tries = self.options.retries + 1
        raise Failed(f"{reason} ({tries} tr{'ies' if tries != 1 else 'y'})")

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets this User-Agent fetch the URL (no robots.txt: yes; one
        that answers 401 or 403: no, as urllib.robotparser reads it)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self.robots:
            parser = urllib.robotparser.RobotFileParser(root + "/robots.txt")
            try:
                response = self.get(root + "/robots.txt", robots=True)
                parser.parse(response.body.decode("utf-8", "replace").splitlines())
            except Failed as exc:
                if re.match(r"HTTP 40[13]\b", str(exc)):
                    parser.disallow_all = True  # type: ignore[attr-defined]  # set by read(); typeshed lacks it
                else:
                    parser.allow_all = True  # type: ignore[attr-defined]
            self.robots[root] = parser
            delay = parser.crawl_delay(self.options.user_agent)
            if delay:
                self.crawl_delay[parts.netloc.lower()] = min(float(delay), MAX_CRAWL_DELAY)
        robots = self.robots[root]
        return robots is None or robots.can_fetch(self.options.user_agent, url)


@dataclass
class Outcome:
    url: str
    status: str
    """saved, seen, skipped or failed"""
    detail: str = ""


HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|!--|meta|title)\b", re.I)
UNTYPED = "application/octet-stream"


def content_type(headers: Message, body: bytes) -> str:
    """The response's type: its Content-Type, or for none (which http.client takes for "text/plain") or
    "application/octet-stream" (what many a server says of a PDF), what the body shows it is: a web
    page, a PDF or a Word file; else, with no Content-Type, plain text unless it holds NUL bytes."""
    declared = headers.get("Content-Type", "").strip()
    if declared and headers.get_content_type() != UNTYPED:
        return headers.get_content_type()
    if body.startswith(b"%PDF-"):
        return "application/pdf"
    if body.startswith(b"PK\x03\x04") and b"word/document.xml" in body:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if HTML_START.match(body):
        return "text/html"
    return UNTYPED if declared or b"\x00" in body[:1024] else "text/plain"


COMMENT = re.compile(r"(?:^|\s)#.*")
"""A comment of a URL file: from a # that opens the line or follows whitespace to the line's end. A URL
holds no whitespace, so a # within it (its #fragment) starts none."""


def urls_in(text: str) -> list[str]:
    """The URLs of a URL file: one a line, less its comment; blank lines and comment lines are passed over."""
    return [url for url in (COMMENT.sub("", line).strip() for line in text.splitlines()) if url]


def retry_after(value: str | None) -> float | None:
    """The seconds a Retry-After header asks to wait: a number of seconds, or an HTTP date; None when
    it is missing or unreadable."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return float(value[:12])
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@functools.lru_cache(maxsize=4096)
def internal(host: str | None) -> bool:
    """Whether a host is, or resolves to, an address no public site has: loopback, a private network
    (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where clouds answer with a machine's
    credentials), or reserved. A page or feed on the internet may link there to make fetch read what
    only this machine can reach, and save it as an article that a brief then publishes; a name that
    does not resolve is no such host (the request fails anyway). Looked up once per host in a run: a
    feed's host is asked about for each of its entries."""
    if not host:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError, ValueError):
        return False
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified \
                or ip.is_multicast:
            return True
    return False


def article_url(url: str) -> str:
    """The URL without its #fragment: the part a server sees, so URLs that differ only in their fragment
    are one article, fetched and saved once."""
    return urldefrag(url).url


def without_credentials(url: str) -> str:
    """The URL less a user name and password before its host (`https://user:secret@host/…`): they are
    sent to the host (HTTP Basic; kept across a redirect within the host, as a relative one keeps them,
    and dropped for another host), and must not reach a file name, a sidecar or a brief that cites the
    article."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def file_stem(url: str) -> str:
    host = re.sub(r"[^a-z0-9.-]", "-", urlsplit(without_credentials(url)).netloc.lower()) or "page"
    return f"{host}_{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def is_feed(response: Response) -> list[str] | None:
    """The entry links of a feed (RSS 1.0/2.0, Atom), or None when the response is not one."""
    body = response.body.lstrip()
    if not (FEED_TYPES.search(response.content_type) or body.startswith(b"<?xml") or body[:200].find(b"<rss") >= 0):
        return None
    if safexml.declares_entities(response.body):
        raise Failed("the feed declares XML entities; refused (XML bomb or external entity)")
    import feedparser

    parsed = feedparser.parse(response.body, response_headers={"content-location": response.url},
                              resolve_relative_uris=True, sanitize_html=False)
    if not parsed.get("version"):
        return None
    return [urljoin(response.url, e.link) for e in parsed.entries if e.get("link")]


WEB_LABELS = {"iso8859-1": "cp1252", "ascii": "cp1252"}
"""Charsets browsers read as another (WHATWG Encoding): Latin-1 and ASCII as windows-1252."""
BYTE_ORDER_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def in_utf8(body: bytes, charset: str | None, suffix: str) -> bytes:
    """A text response (page, plain text, Markdown) in UTF-8 when it is not UTF-8 and only the HTTP
    header says what it is in: saved as it came, the file would lose that, and the build guess (a page
    in ISO-8859-2 read as ISO-8859-14) or read it as cp1252. A page gets a byte order mark, which a
    browser (and the build) takes over the page's own, now wrong, `<meta charset>`. Anything else (UTF-8
    already, a byte order mark of its own, a charset Python does not know or the body does not decode
    in) is kept as it came, for the build to read as it reads any file."""
    if not charset or suffix not in (".html", ".xhtml", ".txt", ".md") or body.startswith(BYTE_ORDER_MARKS):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        name = codecs.lookup(charset).name
        text = body.decode(WEB_LABELS.get(name, name))
    except (LookupError, UnicodeError):
        return body
    return ("\ufeff" if suffix in (".html", ".xhtml") else "").encode() + text.encode("utf-8")


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".tmp-{os.urandom(6).hex()}-{path.name}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def fetch(urls: Iterable[str], seeds: Path, options: Options, report: Callable[[Outcome], None],
          fetcher: Fetcher | None = None) -> list[Outcome]:
    """Fetch every new URL (and every new entry of each feed) into `seeds`; one Outcome per URL."""
    run = _Run(seeds, _fetched_before(seeds), fetcher or Fetcher(options), report)
    queue: list[tuple[str, str | None]] = [(u, None) for u in urls]
    try:
        while queue:
            url, feed = queue.pop(0)
            queue += run.step(url, feed)
    except OSError as exc:
        raise FetchError(f"{exc.filename or seeds}: cannot write the seeds folder ({exc.strerror or exc})", 1) from None
    finally:
        try:
            _write_atomically(seeds / STATE, json.dumps(run.seen, indent=1, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
    return run.outcomes


def _fetched_before(seeds: Path) -> dict[str, str]:
    """URL → what it was saved as, from the seeds folder's state file (made here when missing; a damaged
    one counts as empty)."""
    try:
        seeds.mkdir(parents=True, exist_ok=True)
        try:
            seen = json.loads((seeds / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(seen, dict):
            return {}
        found: dict[str, str] = {}
        for url, saved in seen.items():  # a state file written before fragments were dropped may hold them
            found.setdefault(article_url(url), saved)
        return found
    except OSError as exc:
        raise FetchError(f"{seeds}: cannot write the seeds folder ({exc.strerror or exc})", 1) from None


class _Run:
    """One `briefing fetch`: what it has tried and saved, and what each URL came to."""

    def __init__(self, seeds: Path, seen: dict[str, str], fetcher: Fetcher, report: Callable[[Outcome], None]):
        self.seeds, self.seen, self.fetcher, self.report = seeds, seen, fetcher, report
        self.outcomes: list[Outcome] = []
        self.tried: set[str] = set()

    def done(self, outcome: Outcome, *also: str) -> None:
        """Record what became of a URL (`also`: where it redirected to)."""
        self.outcomes.append(outcome)
        self.report(outcome)
        urls = [article_url(url) for url in (outcome.url, *also)]
        self.tried.update(urls)
        if outcome.status == "saved":  # a feed is read again at every run; a failure may pass
            for url in urls:
                self.seen.setdefault(url, outcome.detail)

    def step(self, url: str, feed: str | None) -> list[tuple[str, str | None]]:
        """Fetch one URL (an entry of `feed`, or one of the file's) and save it or pass it over; the
        entries to fetch next when it is a feed."""
        passed = self._passed_over(url, feed)
        if passed is not None:
            self.done(passed)
            return []
        article = article_url(url)
        try:
            response = self.fetcher.get(article)
            links = is_feed(response)
        except Failed as exc:
            self.done(Outcome(url, "failed", str(exc)))
            return []
        if links is not None:
            self.done(Outcome(url, "feed", f"{len(links)} entries"), response.url)
            return [(link, article) for link in links]
        if response.url != article and (response.url in self.seen or response.url in self.tried):
            self.done(Outcome(url, "seen", f"redirects to {response.url}, fetched before"))
        elif response.content_type not in SUFFIXES:
            self.done(Outcome(url, "skipped", f"a {response.content_type} response, not an article"))
        else:
            self.done(self._saved(url, article, feed, response), response.url)
        return []

    def _passed_over(self, url: str, feed: str | None = None) -> Outcome | None:
        """Why a URL is not fetched: not http(s), an entry of a feed on the internet that points into a
        private network (`internal`), fetched before, or disallowed by robots.txt."""
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            return Outcome(url, "skipped", "not an http or https URL")
        if feed is not None and internal(urlsplit(url).hostname) and not internal(urlsplit(feed).hostname):
            return Outcome(url, "skipped", "an address of a private network, from a feed on the internet "
                                           "(only a URL in the file may lead there)")
        article = article_url(url)
        if article in self.seen or article in self.tried:
            before = (f"fetched before ({self.seen[article]})" if article in self.seen
                      else "requested before in this run")
            return Outcome(url, "seen", before)
        if not self.fetcher.allowed(article):
            return Outcome(url, "skipped", "disallowed by robots.txt")
        return None

    def _saved(self, url: str, article: str, feed: str | None, response: Response) -> Outcome:
        """The article (`url` without its fragment) saved by its Content-Type's suffix, with its
        sidecar: url, retrieved, feed."""
        suffix = SUFFIXES[response.content_type]
        stem = file_stem(article)
        _write_atomically(self.seeds / f"{stem}{suffix}", in_utf8(response.body, response.charset, suffix))
        retrieved = datetime.now(UTC).replace(microsecond=0).isoformat()
        sidecar = [f"url: {_yaml_string(without_credentials(response.url))}", f"retrieved: {_yaml_string(retrieved)}"]
        if feed:
            sidecar.append(f"feed: {_yaml_string(without_credentials(feed))}")
        _write_atomically(self.seeds / f"{stem}.meta.yaml", ("\n".join(sidecar) + "\n").encode("utf-8"))
        redirected = f" (redirected to {response.url})" if response.url != article else ""
        detail = f"{self.seeds / stem}{suffix}{redirected}"
        return Outcome(url, "saved", detail)
