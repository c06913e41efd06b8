"""`briefing serve`: which steps a change re-runs, that a themes change re-scores the corpus kept in
memory without reading the seeds again, the served page (reload script, error banner, CSP), the
watcher, and the whole command in headless Chromium: a saved themes file shows in the open page, a
broken one shows its error in a banner until it is fixed, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from briefing import live
from briefing.cli import main, parser, settings_from, templates_of
from briefing.config import ConfigError, Selection, Settings, load_themes, themes_of
from briefing.corpus import read_seeds
from briefing.errors import BuildError
from briefing.live import Inputs, Session, Step, first_step
from briefing.progress import Progress
from briefing.serve import RELOAD_SCRIPT, Latest, Watcher, described, served, server, watch_and_rebuild, watched
from briefing.templates import Templates
from tests.test_html_browser import browser, errors  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
THEMES = ROOT / "templates" / "themes.yaml"
FIRST_TITLE = load_themes(THEMES)[0].title


def inputs(tmp: Path, **changes) -> Inputs:
    settings = Settings(seeds=tmp / "seeds", out=tmp / "out").model_copy(update=changes)
    return Inputs(settings, load_themes(THEMES), Templates.default())


def retitled(themes_text: str, title: str) -> str:
    return themes_text.replace(f"title: {FIRST_TITLE}\n", f"title: {title}\n", 1)


# --- what a change re-runs ------------------------------------------------------------------------------


def test_each_change_re_runs_from_the_first_step_it_makes_stale(tmp_path):
    before = inputs(tmp_path)
    themes = load_themes(THEMES)
    other_themes = [themes[0].model_copy(update={"title": "Another title"}), *themes[1:]]
    seeds_file = (tmp_path / "seeds" / "a.txt").resolve()
    template_file = Templates.default().directory.resolve() / "brief.md.j2"
    cases = {
        "a seeds file": ({seeds_file}, before, Step.READ),
        "the seeds folder": (set(), inputs(tmp_path, seeds=tmp_path / "other"), Step.READ),
        "--since": (set(), inputs(tmp_path, since=date(2022, 1, 1)), Step.READ),
        "same_fact_similarity": (set(), inputs(tmp_path, selection=Selection(same_fact_similarity=0.6)), Step.REPEAT),
        "a theme's title": (set(), Inputs(before.settings, other_themes, before.templates), Step.SCORE),
        "words_per_theme": (set(), inputs(tmp_path, selection=Selection(words_per_theme=90)), Step.SCORE),
        "the title": (set(), inputs(tmp_path, title="Another brief"), Step.SCORE),
        "a template file": ({template_file}, before, Step.RENDER),
        "--template": (set(), Inputs(before.settings, before.themes,
                                     Templates(Templates.default().directory, "note")), Step.RENDER),
        "a seeds file and a template": ({seeds_file, template_file}, before, Step.READ),
        "nothing the brief depends on": ({(tmp_path / "notes.txt").resolve()}, inputs(tmp_path, formats=["pdf"]),
                                         None),
    }
    for name, (changed, after, step) in cases.items():
        assert first_step(changed, before, after) == step, name


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The seeds and the default themes copied into tmp_path, as the working folder."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(THEMES, tmp_path / "themes.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1669852800")
    return tmp_path


def session_of(folder: Path) -> Session:
    def load() -> Inputs:
        settings = Settings(seeds=folder / "seeds", out=folder / "out", themes=folder / "themes.yaml")
        return Inputs(settings, load_themes(folder / "themes.yaml"), Templates.default())

    session = Session(load, Progress(quiet=True))
    session.run(Step.READ)
    return session


def test_a_themes_change_re_scores_the_corpus_in_memory_without_reading_the_seeds_again(project, monkeypatch):
    reads = []

    def counted(*args):
        reads.append(args)
        return read_seeds(*args)

    monkeypatch.setattr(live, "read_seeds", counted)
    session = session_of(project)
    corpus = session.read
    assert len(reads) == 1 and f">{FIRST_TITLE}<" in session.page
    themes = project / "themes.yaml"
    themes.write_text(retitled(themes.read_text(encoding="utf-8"), "Leaders who push back"), encoding="utf-8")
    assert session.update({themes.resolve()}) == Step.SCORE
    assert len(reads) == 1 and session.read is corpus
    assert ">Leaders who push back<" in session.page and f">{FIRST_TITLE}<" not in session.page
    (project / "seeds" / "000_bdf31170debefaa5.txt").unlink()
    assert session.update({(project / "seeds" / "000_bdf31170debefaa5.txt").resolve()}) == Step.READ
    assert len(reads) == 2 and session.analysis.brief.stats["sources"] == 4
    session.close()


def test_a_bad_themes_file_keeps_the_last_good_page_and_the_fix_rebuilds_it(project):
    session = session_of(project)
    good = session.page
    themes = project / "themes.yaml"
    text = themes.read_text(encoding="utf-8")
    themes.write_text("themes: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"themes.yaml:\d+: not valid YAML"):
        session.update({themes.resolve()})
    assert session.page == good
    themes.write_text(retitled(text, "Fixed title"), encoding="utf-8")
    assert session.update({themes.resolve()}) == Step.SCORE
    assert ">Fixed title<" in session.page
    session.close()


class Saves:
    """Stands in for the Watcher: each change serve waits for is an edit made then (it returns the paths
    it changed); after the last, Stop ends serve's loop."""

    class Stop(Exception):
        pass

    def __init__(self, *edits: Callable[[], set[Path]]) -> None:
        self.edits = iter(edits)

    def watch(self, folders, relevant) -> None:
        pass

    def changes(self) -> set[Path]:
        edit = next(self.edits, None)
        if edit is None:
            raise Saves.Stop
        return edit()


def replaced(path: Path, old: str, new: str) -> Callable[[], set[Path]]:
    return lambda: (path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8"),
                    {path.resolve()})[1]


def renamed(path: Path, to: Path) -> Callable[[], set[Path]]:
    return lambda: (path.rename(to), {path.resolve(), to.resolve()})[1]


@pytest.mark.parametrize("broken", ["themes", "config", "template", "seeds"])
def test_a_file_saved_back_as_it_was_at_the_last_good_build_takes_the_banner_down(project, broken):
    """Broken, then restored to its last good content (`cp good.yaml themes.yaml`): nothing the brief
    depends on changed since the last good build, so there is nothing to rebuild, but the banner must go
    and the page show that brief again, as for any fixed file. The themes and config once kept the
    banner up for good ("nothing the brief depends on")."""
    shutil.copy(ROOT / "briefing.yaml", project / "briefing.yaml")
    shutil.copytree(Templates.default().directory, project / "tpl")
    args = parser().parse_args(["serve", "--seeds", "seeds", "--themes", "themes.yaml", "--out", "out",
                                "--templates", "tpl"])

    def load() -> Inputs:
        settings = settings_from(args)
        return Inputs(settings, themes_of(settings), templates_of(settings))

    session = Session(load, Progress(quiet=True))
    session.run(Step.READ)
    good = session.page
    latest = Latest()
    latest.publish(good)
    edits = {"themes": (project / "themes.yaml", "keywords:", "keywordz:"),
             "config": (project / "briefing.yaml", "title:", "title: ["),
             "template": (project / "tpl" / "brief.md.j2", "{%", "{% if %}{%")}
    if broken == "seeds":
        saves = Saves(renamed(project / "seeds", project / "gone"), renamed(project / "gone", project / "seeds"))
    else:
        path, old, new = edits[broken]
        saves = Saves(replaced(path, old, new), replaced(path, new, old))
    shown: list[tuple[str, bool, bool]] = []  # each line serve printed, whether an error, whether the banner is up
    with pytest.raises(Saves.Stop):
        watch_and_rebuild(session, latest, saves, None, lambda line, problem=False: shown.append(
            (line, problem, b'id="serve-error"' in latest.body)))
    session.close()
    (_, failed, banner_up), (line, problem, banner_still_up) = shown
    assert failed and banner_up, shown
    assert not problem and not banner_still_up and "nothing the brief depends on" not in line, line
    assert latest.build == 3 and session.page == good
    assert latest.body == served(good, 3, None) and b'id="serve-error"' not in latest.body


def test_an_error_raised_while_a_template_runs_keeps_the_last_good_page_and_is_told_as_build_tells_it(
        project, capsys):
    custom = project / "mytemplates"
    custom.mkdir()
    template = custom / "brief.md.j2"
    template.write_text("# {{ brief.title }}\n")

    def load() -> Inputs:
        settings = Settings(seeds=project / "seeds", out=project / "out", themes=project / "themes.yaml")
        return Inputs(settings, load_themes(project / "themes.yaml"), Templates(custom))

    session = Session(load, Progress(quiet=True))
    session.run(Step.READ)
    good = session.page
    template.write_text("# {{ brief.title }}\n\n{{ 1/0 }}\n")
    with pytest.raises(BuildError, match=r"mytemplates/brief.md.j2:3: ZeroDivisionError: division by zero$") as raised:
        session.update({template.resolve()})
    assert raised.value.exit_code == 2 and session.page == good
    session.close()
    assert main(["serve", "-q", "--seeds", "seeds", "--themes", "themes.yaml", "--templates", "mytemplates",
                 "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "mytemplates/brief.md.j2:3: ZeroDivisionError" in err and "Traceback" not in err


def test_the_page_serve_shows_is_the_page_build_writes(project):
    session = session_of(project)
    assert main(["build", "-q", "--seeds", "seeds", "--themes", "themes.yaml", "--out", "built",
                 "--format", "html"]) == 0
    assert session.page == (project / "built" / "brief.html").read_text(encoding="utf-8")
    assert RELOAD_SCRIPT not in session.page
    session.close()


# --- the served page ------------------------------------------------------------------------------------


def test_the_served_page_adds_the_reload_script_and_the_banner_and_allows_them_in_its_csp():
    from briefing.render.html import csp_hash

    page = ('<html><head><meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; '
            "style-src &#39;sha256-a&#39;; script-src &#39;sha256-b&#39;\"></head><body><main>x</main></body></html>")
    quiet = served(page, 7, None).decode()
    assert '<script data-build="7">' in quiet and "serve-error" not in quiet
    policy = re.search(r'content="([^"]*)"', quiet)[1].replace("&#39;", "'")
    assert csp_hash(RELOAD_SCRIPT) in policy.split("script-src")[1] and "connect-src 'self'" in policy
    failed = served(page, 8, "themes.yaml:2: <script>alert(1)</script>").decode()
    assert "themes.yaml:2: &lt;script&gt;alert(1)&lt;/script&gt;" in failed
    assert failed.index('id="serve-error"') < failed.index("<main>")


def test_a_long_poll_returns_when_a_new_build_is_published():
    latest = Latest()
    latest.publish("<html><body></body></html>")
    threading.Timer(0.2, latest.publish, ["<html><body>new</body></html>"]).start()
    assert latest.after(1, timeout=30) == 2
    assert b"new" in latest.body


def test_the_server_listens_on_localhost_only_by_default():
    assert parser().parse_args(["serve"]).host == "127.0.0.1"
    httpd = server("127.0.0.1", 0, Latest())
    try:
        assert httpd.server_address[0] == "127.0.0.1" and httpd.server_address[1] > 0
    finally:
        httpd.server_close()


def test_served_on_localhost_a_request_for_another_sites_name_is_refused():
    import http.client

    latest = Latest()
    latest.publish("<html><body>Secret findings</body></html>")
    httpd = server("127.0.0.1", 0, latest)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        port = httpd.server_address[1]
        for host, status in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), ("[::1]", 200),
                             (f"attacker.example:{port}", 403), ("attacker.example", 403)):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/", headers={"Host": host})
            answer = connection.getresponse()
            assert answer.status == status, host
            assert (b"Secret findings" in answer.read()) == (status == 200)
            connection.close()
    finally:
        httpd.shutdown()
        httpd.server_close()



def test_a_reload_poll_with_a_build_number_that_is_no_number_is_answered_not_a_traceback(capsys):
    """`/__reload?build=²` ("²".isdigit() is true, int("²") a ValueError) or a build number of 5,000 digits
    (past Python's int limit) dropped the connection and printed a traceback in serve's terminal; any page
    open in the browser can send such a request to 127.0.0.1."""
    import http.client

    latest = Latest()
    latest.publish("<html><body>Brief</body></html>")
    httpd = server("127.0.0.1", 0, latest)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for build in ("%C2%B2", "9" * 5000, "-1", "0"):  # none is the build served: answered at once
            connection = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=30)
            connection.request("GET", f"/__reload?build={build}")
            answer = connection.getresponse()
            assert answer.status == 200 and answer.read() == b'{"build": 1}', build[:10]
            connection.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert "Traceback" not in capsys.readouterr().err



def test_a_head_request_is_answered_as_a_get_without_the_body():
    """`curl -I http://127.0.0.1:8000/` (or a link checker) got "501 Unsupported method ('HEAD')"; HTTP asks
    every server that answers GET to answer HEAD. The Host check holds for it too."""
    import http.client

    latest = Latest()
    latest.publish("<html><body>Secret findings</body></html>")
    httpd = server("127.0.0.1", 0, latest)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for host, status in (("127.0.0.1", 200), ("attacker.example", 403)):
            connection = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=30)
            connection.request("HEAD", "/", headers={"Host": host})
            answer = connection.getresponse()
            assert answer.status == status and answer.read() == b"", host
            if status == 200:
                assert answer.getheader("Content-Type") == "text/html; charset=utf-8"
                assert int(answer.getheader("Content-Length")) == len(latest.body)
            connection.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_changed_files_name_is_one_line_as_brief_json_writes_it(tmp_path):
    # A seed named with a tab or a line break broke serve's line in two.
    changed = [tmp_path / "seeds" / "a\tb\n.txt", tmp_path / "seeds" / "c\\d.txt"]
    assert described(changed, tmp_path) == "seeds/a\\x09b\\x0a.txt, seeds/c\\\\d.txt"


def test_the_watcher_takes_an_editors_save_as_one_change(tmp_path):
    themes = tmp_path / "themes.yaml"
    themes.write_text("a", encoding="utf-8")
    watcher = Watcher()
    try:
        watcher.watch({tmp_path.resolve(): False}, lambda p: p == themes.resolve())
        swap = tmp_path / ".themes.yaml.swp"
        swap.write_text("b", encoding="utf-8")
        os.replace(swap, themes)  # as vim and most editors save: a new file renamed over the old
        themes.read_text(encoding="utf-8")  # reading is no change
        assert watcher.changes() == {themes.resolve()}
        assert watcher.found.empty()
    finally:
        watcher.close()



def events_after(watcher: Watcher, seconds: float = 1.5) -> set[Path]:
    """The paths the watcher reported within `seconds` (changes() would wait for ever for one that never comes)."""
    found: set[Path] = set()
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            found.add(watcher.found.get(timeout=left))
        except queue.Empty:
            break
    return found


@pytest.mark.parametrize("where", ["beside the config", "elsewhere"])
def test_a_seeds_folder_moved_away_and_made_again_is_watched_again(project, where):
    """`mv seeds seeds.old; cp -r backup seeds` (or a sync tool that replaces the folder): the watch stayed on
    the folder moved away, so a file saved in the new seeds folder was never noticed, while a file written
    in seeds.old rebuilt the brief as "seeds/… changed". Elsewhere than the working folder (whose config
    is watched) the new folder was not even seen to come back."""
    base = project if where == "beside the config" else project / "data"
    if base != project:
        (project / "seeds").rename(base.mkdir() or base / "seeds")
    seeds, old = base / "seeds", base / "seeds.old"
    settings = inputs(project, seeds=seeds)
    watcher = Watcher()
    try:
        watcher.watch(*watched(settings, None, project))
        seeds.rename(old)
        assert seeds.resolve() in events_after(watcher)
        watcher.watch(*watched(settings, None, project))  # as serve does after each change
        shutil.copytree(old, seeds)
        assert seeds.resolve() in events_after(watcher)
        watcher.watch(*watched(settings, None, project))
        (old / "stale.txt").write_text("not a seed any more", encoding="utf-8")
        (seeds / "new.txt").write_text("a new article", encoding="utf-8")
        changed = events_after(watcher)
        assert (seeds / "new.txt").resolve() in changed
        assert (seeds / "stale.txt").resolve() not in changed
    finally:
        watcher.close()


# --- the command in a browser ---------------------------------------------------------------------------


def url_of(child: subprocess.Popen) -> str:
    """The URL `serve` prints once it serves (it builds first)."""
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(child.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=300)
    match = re.search(r"http://\S+/", found[0] if found else "")
    assert match, f"serve printed no URL: {found}"
    return match[0]


def titles(driver) -> list[str]:
    """The page's section titles, read in one script: the page may replace its body between two
    reads of an element (Chrome then says "Node with given id does not belong to the document")."""
    return driver.execute_script("return [...document.querySelectorAll('main h2')].map(h => h.innerText)")


def banner(driver) -> str | None:
    return driver.execute_script("const shown = document.getElementById('serve-error');"
                                 "return shown ? shown.innerText : null")


def test_serve_shows_a_saved_themes_file_and_a_bad_ones_error_in_the_open_page(browser, project):  # noqa: F811
    """Set BRIEFING_SERVE_SCREENSHOT=FILE to keep the screenshot of the page with the banner (the README's)."""
    shutil.copy(ROOT / "briefing.yaml", project / "briefing.yaml")
    themes = project / "themes.yaml"
    text = themes.read_text(encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-m", "briefing", "serve", "--seeds", "seeds", "--themes", "themes.yaml",
                              "--out", "out", "--port", "0"], cwd=project, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "COLUMNS": "300", "PYTHONFAULTHANDLER": "1"})
    try:
        url = url_of(child)
        assert url.startswith("http://127.0.0.1:")
        browser.get(url)
        assert FIRST_TITLE in titles(browser)
        browser.get_log("browser")
        wait = WebDriverWait(browser, 120, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException])

        themes.write_text(retitled(text, "Leaders who push back"), encoding="utf-8")
        wait.until(lambda d: "Leaders who push back" in titles(d))
        assert banner(browser) is None

        themes.write_text("themes:\n  - id: [\n", encoding="utf-8")
        wait.until(lambda d: banner(d) is not None)
        assert "themes.yaml:" in banner(browser) and "not valid YAML" in banner(browser)
        assert "Leaders who push back" in titles(browser)  # the last good brief stays
        if os.environ.get("BRIEFING_SERVE_SCREENSHOT"):
            browser.save_screenshot(os.environ["BRIEFING_SERVE_SCREENSHOT"])

        themes.write_text(retitled(text, "Fixed at last"), encoding="utf-8")
        wait.until(lambda d: "Fixed at last" in titles(d) and banner(d) is None)
        assert not [e for e in errors(browser) if "Content Security Policy" in e]
    finally:
        child.send_signal(signal.SIGINT)
        try:
            _, stderr = child.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            # Still running a minute after Ctrl-C: have it print where each of its threads is
            # (PYTHONFAULTHANDLER), so that the failure says where it hangs.
            child.send_signal(signal.SIGABRT)
            _, stuck = child.communicate(timeout=30)
            raise AssertionError(f"serve did not stop on Ctrl-C; its threads:\n{stuck[-6000:]}") from None
    assert child.returncode == 0, stderr
    assert "Traceback" not in stderr and "stopped" in stderr
    assert "themes.yaml changed: scored and selected, rendered" in stderr
    assert not (project / "out" / "brief.html").exists()  # serve publishes nothing


def test_serve_stops_at_a_bad_themes_file_at_start_as_build_does(project, capsys):
    (project / "themes.yaml").write_text("themes: [\n", encoding="utf-8")
    assert main(["serve", "--themes", "themes.yaml", "--port", "0"]) == 2
    assert "themes.yaml:" in capsys.readouterr().err


def test_serve_warns_on_an_address_other_machines_reach_even_with_quiet(project, capsys, monkeypatch):
    """-q prints nothing but errors, and once hid this warning too: that the brief is open to the network
    is not a progress line to hide. `serve` itself is not run (it would listen on 0.0.0.0)."""
    import briefing.serve

    hosts: list[str] = []
    monkeypatch.setattr(briefing.serve, "serve", lambda start, host, *rest: hosts.append(host) or 0)
    for quiet in (["-q"], []):
        assert main(["serve", *quiet, "--host", "0.0.0.0", "--port", "0"]) == 0
        shown = capsys.readouterr()
        assert "warning: --host 0.0.0.0: the brief is served, with no password" in shown.err, quiet
        assert shown.out == ""
    assert main(["serve", "-q", "--host", "127.0.0.1", "--port", "0"]) == 0
    assert main(["serve", "--host", "localhost", "--port", "0"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert hosts == ["0.0.0.0", "0.0.0.0", "127.0.0.1", "localhost"]


def test_sigterm_stops_serve_cleanly_too(project):
    child = subprocess.Popen([sys.executable, "-m", "briefing", "serve", "-q", "--seeds", "seeds", "--port", "0"],
                             cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url_of(child)
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 0 and "Traceback" not in stderr


def test_ctrl_c_stops_serve_whichever_of_its_threads_the_signal_lands_on():
    """A SIGINT that lands on another of serve's threads (here the watcher's own, sent with pthread_kill):
    the main thread, waiting for a change, must still stop."""
    code = ("import signal, threading, time\n"
            "signal.signal(signal.SIGINT, signal.default_int_handler)  # as serve installs its own\n"
            "from briefing.serve import Watcher\n"
            "watcher = Watcher()\n"
            "def interrupt():\n"
            "    time.sleep(0.5)\n"
            "    signal.pthread_kill(threading.get_ident(), signal.SIGINT)\n"
            "threading.Thread(target=interrupt, daemon=True).start()\n"
            "try:\n"
            "    watcher.changes()\n"
            "except KeyboardInterrupt:\n"
            "    print('stopped', flush=True)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=ROOT)
    try:
        out, err = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    assert out.strip() == "stopped", err


def test_sigint_stops_serve_even_when_it_was_started_with_sigint_ignored(project):
    """A shell starts a command with `&` with SIGINT ignored, and Python keeps it so: `kill -INT` must still
    stop serve, as the README promises."""
    child = subprocess.Popen([sys.executable, "-m", "briefing", "serve", "-q", "--seeds", "seeds", "--port", "0"],
                             cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    url_of(child)
    child.send_signal(signal.SIGINT)
    try:
        _, stderr = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        raise AssertionError("serve went on running after SIGINT") from None
    assert child.returncode == 0 and "Traceback" not in stderr
