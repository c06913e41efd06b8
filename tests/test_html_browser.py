"""brief.html in a real browser: headless Chromium (Debian's, which `make test` installs) driven by
selenium. The seeds brief loads with no console error, every citation mark opens its source passage with
the cited span highlighted, the keyboard reaches a mark, opens it and closes it, and a hostile brief runs
no script but the page's own.

Set BRIEFING_SCREENSHOT=FILE to keep the screenshot the test takes (the README's comes from here)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from briefing.render import html as html_writer
from briefing.render.markdown import Rendered
from briefing.templates import Templates
from tests.test_hostile_output import hostile_brief
from tests.verify import all_items, build_seeds, cited_text, collapse

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000")


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="briefing-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory):
    work = tmp_path_factory.mktemp("html")
    out = build_seeds(work, "--format", "html", "--format", "json")
    assert (out / "brief.html").resolve().parent == (out / "current").resolve()  # published as the others
    return work, out / "brief.html", json.loads((out / "brief.json").read_text(encoding="utf-8"))


def errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def load(driver, page: Path) -> None:
    driver.get(page.as_uri())
    driver.get_log("browser")  # nothing before this page
    driver.refresh()


def panel(driver):
    return driver.find_element(By.ID, "passage-panel")


def active(driver):
    return driver.switch_to.active_element


def test_the_page_loads_without_console_errors_and_shows_every_section(browser, seeds_page):
    _, page, brief = seeds_page
    load(browser, page)
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]
    for section in brief["sections"]:
        assert section["title"] in headings
    assert {"Key judgments", "Methodology", "Sources", "Notes"} <= set(headings)
    assert browser.execute_script("const i = document.querySelector('figure img'); return i.complete && i.naturalWidth") > 0
    assert not panel(browser).is_displayed()
    assert errors(browser) == []


def test_every_citation_mark_opens_its_source_passage_with_the_cited_span_highlighted(browser, seeds_page):
    work, page, brief = seeds_page
    load(browser, page)
    marks = browser.find_elements(By.CSS_SELECTOR, "main a.cite")
    items = all_items(brief)
    assert len(marks) == len(items)
    for mark, item in zip(marks, items):
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
        mark.click()
        assert panel(browser).is_displayed()
        shown = browser.find_elements(By.CSS_SELECTOR, "#passage-body .passage mark")
        assert collapse(shown[0].text) == collapse(cited_text(brief, item["citations"][0], work)), item["text"]
        others = list(dict.fromkeys(c["source"] for c in item["citations"]))[1:5]
        assert len(shown) == 1 + len(others)
        for mark_text, source in zip(shown[1:], others):
            cite = next(c for c in item["citations"] if c["source"] == source)
            assert collapse(mark_text.text) == collapse(cited_text(brief, cite, work))
        ref = browser.find_element(By.CSS_SELECTOR, "#passage-body .passage.primary .passage-id").text
        assert ref == item["citations"][0]["source"]
        active(browser).send_keys(Keys.ESCAPE)
        assert not panel(browser).is_displayed()
    assert errors(browser) == []


def test_the_keyboard_reaches_a_citation_opens_it_and_escape_returns_to_it(browser, seeds_page):
    _, page, _ = seeds_page
    load(browser, page)
    for _ in range(60):
        active(browser).send_keys(Keys.TAB)
        if "cite" in (active(browser).get_attribute("class") or ""):
            break
    mark = active(browser)
    assert mark.get_attribute("class") == "cite"
    mark.send_keys(Keys.ENTER)
    assert panel(browser).is_displayed()
    assert active(browser).get_attribute("id") == "passage-panel"
    assert mark.get_attribute("aria-expanded") == "true"
    active(browser).send_keys(Keys.TAB)
    assert active(browser).get_attribute("id") == "passage-close"
    active(browser).send_keys(Keys.ESCAPE)
    assert not panel(browser).is_displayed()
    assert active(browser) == mark
    mark.send_keys(Keys.ENTER)
    browser.find_element(By.ID, "passage-close").send_keys(Keys.ENTER)  # the close button, by keyboard
    assert not panel(browser).is_displayed() and active(browser) == mark


def test_printed_the_panel_is_hidden_and_the_notes_shown(browser, seeds_page):
    _, page, brief = seeds_page
    load(browser, page)
    browser.find_element(By.CSS_SELECTOR, "main a.cite").click()
    assert panel(browser).is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not panel(browser).is_displayed()
        notes = browser.find_elements(By.CSS_SELECTOR, "section.notes li")
        assert len(notes) == len(all_items(brief)) and all(n.is_displayed() for n in notes)
        assert browser.execute_script("return getComputedStyle(document.querySelector('main')).boxShadow") == "none"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_screenshot_of_the_page_with_a_passage_open(browser, seeds_page, tmp_path):
    _, page, _ = seeds_page
    load(browser, page)
    browser.find_element(By.CSS_SELECTOR, "main a.cite").click()
    shot = tmp_path / "brief-html.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("BRIEFING_SCREENSHOT"):
        shutil.copy(shot, os.environ["BRIEFING_SCREENSHOT"])


def test_a_hostile_brief_runs_no_script_but_its_own_and_shows_every_value_as_text(browser, tmp_path):
    brief = hostile_brief()
    page = tmp_path / "brief.html"
    html_writer.write(Rendered(brief, Templates.default()), page)
    load(browser, page)
    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert.text
    assert browser.title == " ".join(brief.title.split())
    for mark in browser.find_elements(By.CSS_SELECTOR, "main a.cite"):
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
        mark.click()
        body = browser.find_element(By.ID, "passage-body")
        assert "<script>alert(1)</script>" in body.text
        for link in body.find_elements(By.TAG_NAME, "a"):
            assert link.get_attribute("href").startswith("https://ok.example/")
        active(browser).send_keys(Keys.ESCAPE)
    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert.text
    assert errors(browser) == []


def test_a_passage_with_a_long_unbroken_word_wraps_inside_the_panel_at_phone_width(browser, tmp_path):
    # A cited sentence holding a long URL or word ran off the panel's right edge, at phone width and on
    # a desktop alike, behind a horizontal scroll bar: the cited words could not be read.
    from briefing.model import Brief, Citation, Item, Metadata, Section, Source

    long_word = "https://registry.example.org/files?id=" + "0123456789abcdef" * 10
    sentence = f"The ministry published the full list of sanctioned firms at {long_word} on Monday."
    source = Source("S1", "seeds/list.txt", "b" * 64, f"{sentence}\n", Metadata(title="The list", date="2022-10-03"))
    start = source.text.index(sentence)
    item = Item(sentence, 0.9, (Citation("S1", start, start + len(sentence)),), "lists")
    brief = Brief(title="Lists", generated_at="2022-10-05T06:00:00+00:00", sources=(source,), key_judgments=(),
                  sections=(Section("lists", "Lists", "", (item,)),), skipped=(),
                  stats={"sources": 1, "independent_sources": 1, "sentences": 1, "duplicates": 0,
                         "dropped_blocks": 0, "themes": 1})
    page = tmp_path / "brief.html"
    html_writer.write(Rendered(brief, Templates.default()), page)
    size = browser.get_window_size()
    try:
        for width in (390, 1400):
            browser.set_window_size(width, 900)
            load(browser, page)
            browser.find_element(By.CSS_SELECTOR, "main a.cite").click()
            shown = panel(browser)
            assert shown.is_displayed()
            assert browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", shown), width
            highlighted = browser.find_element(By.CSS_SELECTOR, "#passage-body .passage mark")
            assert browser.execute_script(
                "return arguments[0].getBoundingClientRect().right <= arguments[1].getBoundingClientRect().right",
                highlighted, shown), width
            active(browser).send_keys(Keys.ESCAPE)
    finally:
        browser.set_window_size(size["width"], size["height"])


def test_at_phone_width_the_figure_keeps_its_printed_size_and_scrolls_sideways_within_the_page(browser, seeds_page):
    # At 390 px the coverage figure was shrunk to the column, about half its printed size: its source
    # and theme names, 7.5 pt on paper, came out under 6 px high and could not be read. It now keeps the
    # size it has on paper (the <img>'s width) and scrolls sideways inside its figure; the page does not.
    _, page, _ = seeds_page
    size = browser.get_window_size()
    try:
        for width in (390, 1400):
            browser.set_window_size(width, 900)
            load(browser, page)
            shown, printed, page_fits = browser.execute_script(
                "const i = document.querySelector('figure img'), d = document.documentElement;"
                "return [i.getBoundingClientRect().width, Number(i.getAttribute('width')),"
                "        d.scrollWidth <= d.clientWidth];")
            assert round(shown) == printed, width
            assert page_fits, width
            figure = browser.find_element(By.CSS_SELECTOR, "figure")
            caption = browser.find_element(By.CSS_SELECTOR, "figure figcaption")
            assert caption.size["width"] <= figure.size["width"], width  # the caption wraps in the column
    finally:
        browser.set_window_size(size["width"], size["height"])
