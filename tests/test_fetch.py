"""`briefing fetch` against a local HTTP server (127.0.0.1 only, in a thread): saved pages, a feed, a
redirect, a 404, a slow response, a huge response, a flaky one and a page robots.txt forbids."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.fetch import USER_AGENT
from tests import formats_corpus as corpus

ROOT = Path(__file__).resolve().parent.parent
PAGES = {f"/{a.slug}.html": corpus.as_html(a).encode() for a in corpus.ARTICLES}
POLISH = ("Rząd ogłosił w poniedziałek nowe środki wsparcia dla rolników, powiedział minister rolnictwa. "
          "Program ruszy w przyszłym miesiącu i będzie kosztował miliardy złotych, dodał rzecznik rządu.")
POLISH_PAGE = (f"<html><head><title>Rząd ogłosił nowe środki</title></head><body><article><h1>Rząd ogłosił "
               f"nowe środki</h1><p>{POLISH}</p><p>{POLISH}</p></article></body></html>")
RUSSIAN_TEXT = ("Правительство объявило о новых мерах поддержки фермеров в понедельник вечером.\n\n"
                "Министр сказал, что программа начнётся в следующем месяце и будет стоить миллиарды рублей.\n")


class Site(BaseHTTPRequestHandler):
    requests: list[tuple[str, str, float]] = []
    flaky_left = 1
    busy_left = 1

    def log_message(self, *args):  # quiet
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Site.requests.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/report.pdf":
            self.send(200, corpus.as_pdf(corpus.ARTICLES[1]), "application/pdf")
        elif self.path == "/photo.png":
            self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path in PAGES:
            self.send(200, PAGES[self.path])
        elif self.path == "/feed.xml":
            items = "".join(f"<item><title>{a.title}</title><link>{base}/{a.slug}.html</link></item>"
                            for a in corpus.ARTICLES[1:3])
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
            self.send(200, feed.encode(), "application/rss+xml")
        elif self.path == "/mixed-feed.xml":  # one entry on the feed's own host, one on "localhost"
            port = self.headers["Host"].rsplit(":", 1)[1]
            links = [f"{base}/{corpus.ARTICLES[1].slug}.html", f"http://localhost:{port}/{corpus.ARTICLES[2].slug}.html"]
            items = "".join(f"<item><title>Entry</title><link>{link}</link></item>" for link in links)
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'
            self.send(200, feed.encode(), "application/rss+xml")
        elif self.path == "/to-localhost":
            self.send(302, b"", Location=f"http://localhost:{self.headers['Host'].rsplit(':', 1)[1]}/strike.html")
        elif self.path == "/old-link":
            self.send(301, b"", Location=f"{base}/{corpus.ARTICLES[3].slug}.html")
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send(200, PAGES["/strike.html"])
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the limit is found while reading
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>\n")
            except OSError:
                pass
        elif self.path == "/flaky":
            if Site.flaky_left:
                Site.flaky_left -= 1
                self.send(503, b"busy")
            else:
                self.send(200, PAGES[f"/{corpus.ARTICLES[4].slug}.html"])
        elif self.path == "/busy-for-2s":  # 503 with Retry-After once, then the page
            if Site.busy_left:
                Site.busy_left -= 1
                self.send(503, b"busy", **{"Retry-After": "2"})
            else:
                self.send(200, PAGES[f"/{corpus.ARTICLES[4].slug}.html"])
        elif self.path == "/busy-for-a-day":
            self.send(429, b"slow down", **{"Retry-After": "86400"})
        elif self.path == "/not-http":  # a port that speaks another protocol
            self.wfile.write(b"SSH-2.0-OpenSSH_8.9\r\n")
        elif self.path == "/broken-chunks":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                             b"Connection: close\r\n\r\nzz\r\n<p>half a page")
        elif self.path == "/cut-short":  # the connection drops before the Content-Length bytes came
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\n\r\n"
                             + PAGES["/strike.html"][:300])
        elif self.path == "/trickle":  # a byte now and then, each read well within the timeout, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>x</p>\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif self.path == "/polish.html":  # the charset in the HTTP header only, as many a server sends it
            self.send(200, POLISH_PAGE.encode("iso-8859-2"), "text/html; charset=ISO-8859-2")
        elif self.path == "/russian.txt":
            self.send(200, RUSSIAN_TEXT.encode("koi8-r"), "text/plain; charset=koi8-r")
        elif self.path in UNTYPED:  # no Content-Type at all
            self.send_response(200)
            self.send_header("Content-Length", str(len(UNTYPED[self.path])))
            self.end_headers()
            self.wfile.write(UNTYPED[self.path])
        elif self.path == "/download?id=7":  # a PDF as many a server sends one: "some bytes"
            self.send(200, corpus.as_pdf(corpus.ARTICLES[2]), "application/octet-stream")
        elif self.path == "/members/strike.html":  # HTTP Basic, as an intranet or a subscriber's feed asks
            if self.headers.get("Authorization") == "Basic " + base64.b64encode(b"reader:s3cr\xc3\xa9t").decode():
                self.send(200, PAGES["/strike.html"])
            else:
                self.send(401, b"who are you?")
        elif self.path.startswith("/private/"):
            self.send(200, PAGES["/strike.html"])
        else:
            self.send(404, b"not found")


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a client that gave up (the slow and huge pages)
        pass


@pytest.fixture
def site():
    server = Server(("127.0.0.1", 0), Site)
    Site.requests, Site.flaky_left, Site.busy_left = [], 1, 1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(work: Path, *args: str) -> int:
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    mp.setenv("COLUMNS", "300")
    try:
        return main(["fetch", "urls.txt", "--seeds", "seeds", "--config", "cfg.yaml", "--delay", "0.2",
                     "--timeout", "0.5", "--retries", "1", *args])
    finally:
        mp.undo()


def test_fetch_saves_each_new_article_once_with_its_sidecar(tmp_path, site, capsys):
    (tmp_path / "cfg.yaml").write_text("limits: {max_file_bytes: 1000000}\n")
    (tmp_path / "urls.txt").write_text("\n".join([
        "# articles and a feed", f"{site}/strike.html", f"{site}/feed.xml", f"{site}/old-link",
        f"{site}/missing", f"{site}/slow", f"{site}/huge", f"{site}/flaky", f"{site}/private/secret.html",
        f"{site}/strike.html", "ftp://example.org/x", f"{site}/report.pdf", f"{site}/photo.png"]) + "\n")
    assert fetch(tmp_path) == 0
    out, err = capsys.readouterr()
    lines = {line.split()[0] + " " + line.split()[1].rstrip(":"): line for line in out.splitlines() if line.strip()}
    assert f"saved {site}/strike.html" in lines
    assert f"feed {site}/feed.xml" in lines and "2 entries" in lines[f"feed {site}/feed.xml"]
    assert f"saved {site}/exports.html" in lines and f"saved {site}/talks.html" in lines
    assert "redirected to" in lines[f"saved {site}/old-link"]
    assert f"saved {site}/flaky" in lines
    assert f"skipped {site}/private/secret.html" in lines and "robots.txt" in lines[f"skipped {site}/private/secret.html"]
    assert "fetched before" in lines[f"seen {site}/strike.html"]
    assert f"{site}/missing: HTTP 404" in err
    assert f"{site}/slow: timed out (2 tries)" in err
    assert f"{site}/huge: over the 1,000,000-byte limit" in err
    pages = sorted((tmp_path / "seeds").glob("*.html"))
    assert len(pages) == 5  # strike, exports, talks (feed), farmers (redirect), agreement (flaky)
    assert len(list((tmp_path / "seeds").glob("*.pdf"))) == 1 and f"saved {site}/report.pdf" in lines
    assert "a image/png response, not an article" in lines[f"skipped {site}/photo.png"]
    sidecars = {p.name: p.read_text() for p in (tmp_path / "seeds").glob("*.meta.yaml")}
    assert len(sidecars) == 6
    assert any(f'feed: "{site}/feed.xml"' in s for s in sidecars.values())
    assert all("retrieved: " in s and "url: " in s for s in sidecars.values())
    # Politeness: a real User-Agent on every request, robots.txt once, requests to the host spaced.
    assert {agent for _, agent, _ in Site.requests} == {USER_AGENT}
    assert [path for path, _, _ in Site.requests].count("/robots.txt") == 1
    starts = sorted(t for _, _, t in Site.requests)
    # (times the server saw: on a loaded machine one request's arrival may lag more than the next's)
    assert all(b - a >= 0.15 for a, b in zip(starts, starts[1:]))
    assert [path for path, _, _ in Site.requests].count("/flaky") == 2  # retried after the 503

    # A second run fetches no article again (the feed is read for new entries).
    Site.requests = []
    assert fetch(tmp_path) == 0
    again = [path for path, _, _ in Site.requests]
    assert not set(again) & {"/strike.html", "/exports.html", "/talks.html", "/flaky", "/private/secret.html"}
    assert "/feed.xml" in again

    # The fetched pages build, their sidecars' records read without a warning, and the URL kept.
    (tmp_path / "themes.yaml").write_text(corpus.THEMES_YAML, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.chdir(tmp_path)
    try:
        assert main(["build", "--seeds", "seeds", "--themes", "themes.yaml", "--format", "json"]) == 0
    finally:
        mp.undo()
    assert "unknown key" not in capsys.readouterr().err
    brief = json.loads((tmp_path / "output" / "brief.json").read_text(encoding="utf-8"))
    assert {s["url"] for s in brief["sources"]} >= {f"{site}/strike.html", f"{site}/farmers.html", f"{site}/flaky"}


def test_fetch_without_a_url_file_is_bad_usage(tmp_path, capsys):
    (tmp_path / "cfg.yaml").write_text("{}\n")
    assert fetch(tmp_path) == 2
    assert "urls.txt: cannot read the URL file" in capsys.readouterr().err
    (tmp_path / "urls.txt").write_text("# nothing yet\n")
    assert fetch(tmp_path) == 2
    assert "urls.txt: no URLs in the file" in capsys.readouterr().err


def test_a_crawl_delay_longer_than_the_delay_is_kept(monkeypatch):
    from briefing import fetch as fetching

    slept: list[float] = []
    now = [100.0]
    fetcher = fetching.Fetcher(fetching.Options(delay=1.0), sleep=lambda s: slept.append(s) or None,
                               clock=lambda: now[0])
    robots = fetching.Response("http://news.example.org/robots.txt", 200, "text/plain",
                               b"User-agent: *\nCrawl-delay: 5\nDisallow: /private/\n")
    monkeypatch.setattr(fetcher, "get", lambda url, robots_=False, **kw: robots)
    assert fetcher.allowed("http://news.example.org/a.html")
    assert not fetcher.allowed("http://news.example.org/private/b.html")
    fetcher._wait_for("news.example.org")
    now[0] += 2.0
    fetcher._wait_for("news.example.org")
    assert slept == [3.0]  # 5 s after the last request, not the 1 s asked for
    fetcher._wait_for("other.example.org")
    assert slept == [3.0]


def test_a_crawl_delay_too_long_to_sleep_is_a_days_wait_not_the_end_of_the_run(monkeypatch):
    """A site's robots.txt is not ours to trust: "Crawl-delay: 99999999999" was an OverflowError when
    fetch slept before the host's second page, and the run ended in a traceback."""
    from briefing import fetch as fetching

    slept: list[float] = []
    fetcher = fetching.Fetcher(fetching.Options(delay=1.0), sleep=lambda s: slept.append(s) or None,
                               clock=lambda: 100.0)
    robots = fetching.Response("http://news.example.org/robots.txt", 200, "text/plain",
                               b"User-agent: *\nCrawl-delay: 99999999999\n")
    monkeypatch.setattr(fetcher, "get", lambda url, robots_=False, **kw: robots)
    assert fetcher.allowed("http://news.example.org/a.html")
    fetcher._wait_for("news.example.org")
    fetcher._wait_for("news.example.org")
    assert slept == [86_400.0]


ABOVE_0 = "is not a number of seconds above 0 (up to 86400)"
FROM_0 = "is not a number of seconds (0 to 86400)"


@pytest.mark.parametrize("option, value, says", [
    *(("--timeout", v, ABOVE_0) for v in ("0", "0.0", "inf", "1e300")), *(("--delay", v, FROM_0) for v in ("-1", "inf", "1e10"))])
def test_a_timeout_or_delay_out_of_range_is_one_line_and_exit_2(tmp_path, site, capsys, option, value, says):
    """--timeout 0 made every socket non-blocking: each URL failed with "cannot connect ([Errno 115]
    Operation now in progress)" and the run exited 0; --timeout inf (or 1e300) was an OverflowError's
    traceback, as --delay inf (or 1e10) was at the second request to a host."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/strike.html\n")
    with pytest.raises(SystemExit) as exited:
        fetch(tmp_path, option, value)
    assert exited.value.code == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert errors == [f"briefing fetch: error: argument {option}: '{value}' {says}"]
    assert Site.requests == [] and not (tmp_path / "seeds").exists()


def test_urls_that_differ_only_in_their_fragment_are_one_article_fetched_once(tmp_path, site, capsys):
    """A #fragment never reaches the server: `a.html#frag` is `a.html`, saved once, under its URL."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/strike.html\n")
    assert fetch(tmp_path) == 0
    capsys.readouterr()

    Site.requests = []
    (tmp_path / "urls.txt").write_text("\n".join([
        f"{site}/strike.html#section-2", f"{site}/exports.html#top", f"{site}/exports.html",
        f"{site}/exports.html#comments"]) + "\n")
    assert fetch(tmp_path) == 0
    out = capsys.readouterr().out
    assert f"seen    {site}/strike.html#section-2: fetched before" in out
    assert f"saved   {site}/exports.html#top: " in out
    assert f"seen    {site}/exports.html: fetched before" in out
    assert f"seen    {site}/exports.html#comments: fetched before" in out
    assert [path for path, _, _ in Site.requests if path != "/robots.txt"] == ["/exports.html"]
    assert len(list((tmp_path / "seeds").glob("*.html"))) == 2
    sidecars = sorted(p.read_text() for p in (tmp_path / "seeds").glob("*.meta.yaml"))
    assert [s.splitlines()[0] for s in sidecars] == [f'url: "{site}/exports.html"', f'url: "{site}/strike.html"']
    state = json.loads((tmp_path / "seeds" / ".fetched.json").read_text())
    assert set(state) == {f"{site}/strike.html", f"{site}/exports.html"}

    # A state file written before fragments were dropped: its `talks.html#x` is `talks.html`.
    state[f"{site}/talks.html#x"] = "seeds/talks.html"
    (tmp_path / "seeds" / ".fetched.json").write_text(json.dumps(state))
    Site.requests = []
    (tmp_path / "urls.txt").write_text(f"{site}/talks.html\n")
    assert fetch(tmp_path) == 0
    assert f"seen    {site}/talks.html: fetched before (seeds/talks.html)" in capsys.readouterr().out
    assert Site.requests == []



def test_an_answer_that_is_not_http_is_one_failed_url_and_the_run_goes_on(tmp_path, site, capsys):
    """A port that answers in another protocol ("SSH-2.0-…": BadStatusLine) or with a broken chunked
    body (IncompleteRead) ended the whole run in a traceback, exit 1, the URLs after it never tried."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text("\n".join([f"{site}/not-http", f"{site}/broken-chunks", f"{site}/strike.html"]))
    assert fetch(tmp_path) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert f"{site}/not-http: not an HTTP response ('SSH-2.0-OpenSSH_8.9')" in err
    assert f"{site}/broken-chunks: the response was cut short" in err
    assert f"saved   {site}/strike.html" in out
    assert len(list((tmp_path / "seeds").glob("*.html"))) == 1



def test_a_body_cut_short_of_its_content_length_is_not_saved(tmp_path, site, capsys):
    """The connection dropped after 300 of the 50,000 bytes the response announced: those 300 bytes were
    saved as the article, and, recorded as saved, never fetched again."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/cut-short\n")
    assert fetch(tmp_path) == 0
    err = capsys.readouterr().err
    assert f"{site}/cut-short: the response was cut short (300 of 50,000 bytes) (2 tries)" in err
    assert not list((tmp_path / "seeds").glob("*.html"))
    assert json.loads((tmp_path / "seeds" / ".fetched.json").read_text()) == {}


def test_a_body_that_trickles_in_for_ever_times_out(tmp_path, site, capsys):
    """A server that sends a few bytes every 0.1 s, each read well within --timeout 0.5, held the run for as
    long as it went on (--timeout was per read, not per request as the README says)."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/trickle\n{site}/strike.html\n")
    started = time.monotonic()
    assert fetch(tmp_path) == 0
    assert time.monotonic() - started < 6  # two tries of 0.5 s (a read may add its own 0.5), 1 s back-off
    out, err = capsys.readouterr()
    assert f"{site}/trickle: timed out (2 tries)" in err
    assert f"saved   {site}/strike.html" in out
    assert len(list((tmp_path / "seeds").glob("*.html"))) == 1


def test_a_url_file_saved_with_a_byte_order_mark_fetches_its_first_url(tmp_path, site, capsys):
    """Windows Notepad saves UTF-8 with a byte order mark: the first URL was read as "\\ufeffhttp://…" and
    skipped as "not an http or https URL"."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_bytes(f"\ufeff{site}/strike.html\r\n{site}/exports.html\r\n".encode())
    assert fetch(tmp_path) == 0
    out = capsys.readouterr().out
    assert f"saved   {site}/strike.html: " in out and f"saved   {site}/exports.html: " in out
    assert "skipped" not in out.splitlines()[0]


def test_a_comment_after_a_url_is_no_part_of_it(tmp_path, site, capsys):
    """README: "`#` starts a comment". A note after a URL (`URL  # Reuters`) was read as part of it: the
    article was saved under another name than the same URL without the note (so again, once the note
    changed), `.fetched.json` kept the URL with its trailing spaces and a feed's sidecar said
    `feed: "URL  "`. A `#` inside a URL is its fragment, as before."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/strike.html   # the strike, Reuters\n"
                                       f"{site}/feed.xml\t# the ministry's feed\n"
                                       f"{site}/exports.html#top # anchored\n")
    assert fetch(tmp_path) == 0
    out = capsys.readouterr().out
    assert f"saved   {site}/strike.html: " in out and f"feed    {site}/feed.xml: 2 entries" in out
    assert f"saved   {site}/exports.html#top: " in out and f"seen    {site}/exports.html: fetched before" in out
    assert "#" not in out.replace("#top", "")
    state = json.loads((tmp_path / "seeds" / ".fetched.json").read_text())
    assert set(state) == {f"{site}/strike.html", f"{site}/exports.html", f"{site}/talks.html"}
    sidecars = [p.read_text() for p in (tmp_path / "seeds").glob("*.meta.yaml")]
    assert sum(f'feed: "{site}/feed.xml"\n' in s for s in sidecars) == 1  # talks.html; exports.html came first

    (tmp_path / "urls.txt").write_text(f"{site}/strike.html\n")
    assert fetch(tmp_path) == 0
    assert f"seen    {site}/strike.html: fetched before" in capsys.readouterr().out
    assert len(list((tmp_path / "seeds").glob("*.html"))) == 3


def test_a_page_whose_charset_only_the_http_header_gives_is_read_in_that_charset(tmp_path, site, capsys):
    """A page in ISO-8859-2 whose server says so only in its Content-Type (no <meta charset>) was saved as
    it came, the header dropped: the build guessed its encoding ("read as iso8859_14 (guessed)") and
    quoted "Rzḟd ogġosiġ"; a KOI8-R text file was read as cp1252, every Russian word garbled."""
    from briefing.ingest import read_file

    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/polish.html\n{site}/russian.txt\n")
    assert fetch(tmp_path) == 0
    capsys.readouterr()
    [page] = (tmp_path / "seeds").glob("*.html")
    [text] = (tmp_path / "seeds").glob("*.txt")
    read = read_file(page, page.name, 1_000_000)
    assert POLISH in " ".join(read.text.split()) and not read.warnings
    read = read_file(text, text.name, 1_000_000)
    assert "Министр сказал, что программа начнётся" in read.text and not read.warnings


UNTYPED = {"/untyped-page": b"\n<!DOCTYPE html>" + PAGES["/strike.html"].split(b">", 1)[1],
           "/untyped-report": corpus.as_pdf(corpus.ARTICLES[1]), "/untyped-photo": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}


def test_a_response_without_a_content_type_is_saved_as_what_it_is(tmp_path, site, capsys):
    """With no Content-Type header, http.client says "text/plain": a web page was saved as `.txt`, and the
    build read its markup as the article (title `<html lang="en"><head><meta charset="utf-8">`, publication
    `<!DOCTYPE html>`); a PDF was saved as `.txt` too, and a PDF sent as application/octet-stream skipped."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text("\n".join(
        f"{site}{path}" for path in ("/untyped-page", "/untyped-report", "/untyped-photo", "/download?id=7")))
    assert fetch(tmp_path) == 0
    out = capsys.readouterr().out
    seeds = tmp_path / "seeds"
    assert len(list(seeds.glob("*.html"))) == 1 and len(list(seeds.glob("*.pdf"))) == 2
    assert not list(seeds.glob("*.txt"))
    assert f"skipped {site}/untyped-photo: a application/octet-stream response, not an article" in out



@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_fetch_stopped_midway_records_what_it_saved(tmp_path, site, stop):
    """`timeout 600 briefing fetch …` in cron, or systemd, stops a run with SIGTERM: .fetched.json, written
    when the run ends, was never written, so the next run fetched every article of the stopped one again
    ("an article saved once is never fetched again"). Ctrl-C wrote it, after a traceback."""
    (tmp_path / "cfg.yaml").write_text("{}\n")
    (tmp_path / "urls.txt").write_text(f"{site}/strike.html\n{site}/trickle\n")
    child = subprocess.Popen([sys.executable, "-m", "briefing", "fetch", "urls.txt", "--seeds", "seeds", "--config",
                              "cfg.yaml", "--delay", "0", "--timeout", "30"], cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not list((tmp_path / "seeds").glob("*.meta.yaml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        while "/trickle" not in [path for path, _, _ in Site.requests] and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(stop)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130 and "Traceback" not in err, err
    assert "stopped" in err
    assert set(json.loads((tmp_path / "seeds" / ".fetched.json").read_text())) == {f"{site}/strike.html"}


def test_a_url_with_a_user_and_password_is_fetched_with_them_and_they_reach_no_file_or_brief(tmp_path, site, capsys):
    # "https://user:password@host/…", as curl and wget take it, failed: "cannot connect (Name or service
    # not known)", the credentials read as part of the host's name. Now they are sent (HTTP Basic), and
    # kept out of the saved file's name and its sidecar, from where a brief citing it would publish them.
    (tmp_path / "cfg.yaml").write_text("")
    url = site.replace("://", "://reader:s3cr%C3%A9t@") + "/members/strike.html"
    (tmp_path / "urls.txt").write_text(url + "\n")
    assert fetch(tmp_path) == 0
    saved = sorted(p.name for p in (tmp_path / "seeds").iterdir())
    assert len(saved) == 3 and not any("s3cr" in name or "reader" in name for name in saved)
    sidecar = next((tmp_path / "seeds").glob("*.meta.yaml")).read_text()
    assert f'url: "{site}/members/strike.html"' in sidecar and "s3cr" not in sidecar and "reader" not in sidecar


@pytest.mark.parametrize("host, inside", [("127.0.0.1", True), ("10.1.2.3", True), ("169.254.169.254", True),
                                          ("192.168.0.10", True), ("::1", True), ("fd00::1", True), ("0.0.0.0", True),
                                          ("93.184.216.34", False), ("8.8.8.8", False), ("2606:4700::1111", False),
                                          ("no-such-host.invalid", False), (None, False)])
def test_private_loopback_and_link_local_addresses_are_internal(host, inside):
    from briefing.fetch import internal

    assert internal(host) is inside


def test_a_feed_or_redirect_on_the_internet_cannot_lead_fetch_into_a_private_network(tmp_path, site, capsys, monkeypatch):
    # A feed entry or a redirect could point at http://169.254.169.254/… (a cloud machine's credentials)
    # or an intranet page: fetch read it and saved it as an article, which a brief could then publish.
    # Here "localhost" plays the private network and 127.0.0.1 the internet.
    from briefing import fetch as fetching

    monkeypatch.setattr(fetching, "internal", lambda host: host == "localhost")
    port = site.rsplit(":", 1)[1]
    (tmp_path / "cfg.yaml").write_text("")
    (tmp_path / "urls.txt").write_text(f"{site}/mixed-feed.xml\n{site}/to-localhost\n"
                                       f"http://localhost:{port}/{corpus.ARTICLES[3].slug}.html\n")
    assert fetch(tmp_path) == 0
    out, err = capsys.readouterr()
    out, err = " ".join(out.split()), " ".join(err.split())
    assert f"saved {site}/{corpus.ARTICLES[1].slug}.html" in out  # the entry on the feed's own host
    assert (f"skipped http://localhost:{port}/{corpus.ARTICLES[2].slug}.html: an address of a private network, "
            "from a feed on the internet") in out
    assert (f"{site}/to-localhost: redirected to http://localhost:{port}/strike.html, an address of a private "
            "network") in err
    assert f"saved http://localhost:{port}/{corpus.ARTICLES[3].slug}.html" in out  # named in the file: fetched
    assert len(list((tmp_path / "seeds").glob("*.html"))) == 2


def test_a_retry_after_is_waited_for_and_one_too_long_fails_the_url_at_once(tmp_path, site, capsys):
    # A 429 or 503's Retry-After was ignored: fetch asked again after its own 1 s back-off, sooner than
    # the server asked, and waited out its retries on a server that asked for a day.
    (tmp_path / "cfg.yaml").write_text("")
    (tmp_path / "urls.txt").write_text(f"{site}/busy-for-2s\n{site}/busy-for-a-day\n")
    assert fetch(tmp_path) == 0
    out, err = (" ".join(text.split()) for text in capsys.readouterr())
    assert f"saved {site}/busy-for-2s" in out
    busy = [t for path, _, t in Site.requests if path == "/busy-for-2s"]
    assert len(busy) == 2 and busy[1] - busy[0] >= 1.9
    assert f"{site}/busy-for-a-day: HTTP 429 Too Many Requests, asking to wait 86,400 s; tried again at the next run" in err
    assert [path for path, _, _ in Site.requests].count("/busy-for-a-day") == 1
