"""`make html`: the course site, checked as files and in a real browser.

The site is built once for this module (about 15 s). The browser tests drive Debian's Chromium through
chromedriver with Selenium, load every page from file:// with the network unreachable, and keep a
screenshot of each lab in ``site-screenshots/`` (not in git). Without Chromium they are skipped with a
one-line reason, except under ``CI=true``, where a missing browser fails.
"""

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_notebooks import MARKDOWN_IMAGE

from course_utils.course_site import build_site

# Building every page takes a while: these run in make test-site (CI runs it after make test), not make test.
pytestmark = pytest.mark.site

REPO = Path(__file__).resolve().parent.parent
LABS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((REPO / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
# The reading order: the home page, the labs, then the worked solutions (sidebar and previous/next).
ORDER = ["README.html"] + [f"notebooks/{n.stem}.html" for n in LABS] + [
    f"notebooks/solutions/{n.stem}.html" for n in SOLUTIONS]
# The Korean site, in ko/: the same pages from README.ko.md and notebooks/ko/.
KOREAN_ORDER = ["ko/README.ko.html"] + [f"ko/notebooks/ko/{n.stem}.html" for n in LABS] + [
    f"ko/notebooks/ko/solutions/{n.stem}.html" for n in SOLUTIONS]
SCREENSHOTS = REPO / "site-screenshots"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


class References(HTMLParser):
    """Collects what a page loads (scripts, styles, images) and where its links point."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[tuple[str, str]] = []  # (tag, url)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "img", "iframe", "source") and attributes.get("src"):
            self.loaded.append((tag, attributes["src"]))
        if tag == "link" and attributes.get("href", "#") != "#" and attributes.get("rel") != "canonical":
            self.loaded.append((tag, attributes["href"]))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def references(page: Path) -> References:
    parser = References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def local_target(page: Path, url: str) -> Path:
    return (page.parent / unquote(urlsplit(url).path)).resolve()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("site") / "html"
    build_site(output)
    return output


def test_the_build_writes_nothing_beside_its_folder(site):
    assert [p.name for p in site.parent.iterdir()] == ["html"]


# ---------------------------------------------------------------- the files


def test_every_notebook_has_a_page_and_index_leads_home(site):
    for page in ORDER + KOREAN_ORDER:
        assert (site / page).is_file(), page
    assert 'url=README.html' in (site / "index.html").read_text(encoding="utf-8")
    assert 'url=README.ko.html' in (site / "ko" / "index.html").read_text(encoding="utf-8")


def pages(site: Path) -> list[Path]:
    glossary = site / "ko" / "notebooks" / "ko" / "GLOSSARY.html"
    others = [site / "search.html", site / "ko" / "search.html", glossary]
    return [site / page for page in ORDER + KOREAN_ORDER] + others


def test_every_page_links_to_itself_in_the_other_language(site):
    for english, korean in zip(ORDER, KOREAN_ORDER, strict=True):
        for page, other, language in ((english, korean, "en"), (korean, english, "ko")):
            html = (site / page).read_text(encoding="utf-8")
            assert f'<html lang="{language}"' in html, f"{page}: not marked as {language}"
            switch = re.search(r'<p class="language-switch"><a href="([^"]+)"', html)
            assert switch, f"{page}: no language switch"
            assert local_target(site / page, switch.group(1)) == (site / other).resolve(), (
                f"{page}: the switch leads to {switch.group(1)}, not {other}")


def test_a_page_with_no_counterpart_switches_to_the_other_home(site):
    page = site / "ko" / "notebooks" / "ko" / "GLOSSARY.html"
    switch = re.search(r'<p class="language-switch"><a href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert switch and local_target(page, switch.group(1)) == (site / "README.html").resolve()


def test_the_korean_pages_are_korean_and_their_verdicts_too(site):
    html = (site / "ko" / "notebooks" / "ko" / "00_rnn_intro.html").read_text(encoding="utf-8")
    assert "<title>Lab 11-0 · RNN 소개" in html and "⏳ 아직 답이 없음:" in html
    assert "실습" in (site / "ko" / "README.ko.html").read_text(encoding="utf-8")


def test_nothing_is_loaded_from_the_network(site):
    for page in pages(site):
        for tag, url in references(page).loaded:
            assert not re.match(r"(https?:)?//", url), f"{page.name}: <{tag}> loads {url}"
            if not url.startswith("data:"):
                assert local_target(page, url).is_file(), f"{page.name}: <{tag}> {url} does not resolve"


def test_every_local_link_resolves(site):
    for page in pages(site):
        html = page.read_text(encoding="utf-8")
        for url in references(page).links:
            if url.startswith("#") and len(url) > 1:  # MyST writes a link it cannot resolve as #target
                assert f'id="{url[1:]}"' in html, f"{page.relative_to(site)}: link {url} leads nowhere"
            if url.startswith(("#", "http://", "https://", "mailto:")):
                continue
            assert local_target(page, url).is_file(), f"{page.relative_to(site)}: link {url} does not resolve"


def count_images(notebook: Path) -> int:
    """Markdown images plus stored image outputs: each should be one <img> in the page."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    in_markdown = len(MARKDOWN_IMAGE.findall(markdown))
    in_outputs = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    return in_markdown + in_outputs


def test_every_image_and_plot_is_in_its_page(site):
    for notebook in LABS + SOLUTIONS:
        under = "solutions" if notebook.parent.name == "solutions" else ""
        for folder in (site / "notebooks" / under, site / "ko" / "notebooks" / "ko" / under):
            images = [url for tag, url in references(folder / f"{notebook.stem}.html").loaded if tag == "img"]
            assert len(images) == count_images(notebook), f"{folder / notebook.stem}: images missing"


def test_the_formulas_are_typeset_by_the_local_mathjax(site):
    for page in (site / "notebooks" / "00_rnn_intro.html",
                 site / "notebooks" / "solutions" / "00_rnn_intro.html"):
        scripts = [url for tag, url in references(page).loaded if tag == "script"]
        mathjax = [url for url in scripts if urlsplit(url).path.endswith("mathjax/tex-svg.js")]
        assert mathjax and local_target(page, mathjax[0]).is_file(), f"{page.name}: no local MathJax"


def test_an_empty_folder_is_a_clear_error(tmp_path):
    (tmp_path / "notebooks").mkdir()
    with pytest.raises(ValueError, match="no numbered notebook"):
        build_site(tmp_path / "html", root=tmp_path)


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        reason = "no Chromium: the browser tests of the site need Debian's chromium and chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: .ci/run installs them)")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=1280,900",
                     # every http(s) request goes to a closed port: the network is unreachable
                     "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def open_page(browser, site: Path, page: str) -> None:
    browser.get((site / page).as_uri())
    browser.execute_async_script(  # wait until MathJax has typeset the page
        "const done = arguments[arguments.length - 1];"
        "if (!window.MathJax || !MathJax.startup) { done(false); return; }"
        "MathJax.startup.promise.then(() => done(true));")


TYPESET = """
if (!window.MathJax || !MathJax.startup || !MathJax.startup.document) {
  return {typeset: [], sphinx_math: document.querySelectorAll('span.math, div.math').length, containers: 0};
}
const items = MathJax.startup.document.math.toArray ? MathJax.startup.document.math.toArray()
                                                      : Array.from(MathJax.startup.document.math);
return {typeset: items.map(item => item.math),
        sphinx_math: document.querySelectorAll('span.math, div.math').length,
        containers: document.querySelectorAll('mjx-container').length};
"""

# Text a reader sees, outside code and outputs: raw $…$ (a $ not followed by a digit) or \( … \).
READER_TEXT = """
const parts = [];
const walker = document.createTreeWalker(document.querySelector('article') || document.body,
                                         NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const hidden = node.parentElement.closest('pre, code, mjx-container, script, style, .cell_output');
  if (!hidden) parts.push(node.data);
}
return parts.join(' ');
"""


def test_every_page_in_the_browser(browser, site):
    """Formulas typeset, no raw math, images decoded, no console error, no sideways scroll at 400 px."""
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = []
    for page in ORDER + KOREAN_ORDER:
        browser.set_window_size(1280, 900)
        open_page(browser, site, page)
        math = browser.execute_script(TYPESET)
        if math["sphinx_math"] and math["containers"] < math["sphinx_math"]:
            problems.append(f"{page}: {math['containers']} of {math['sphinx_math']} formulas typeset")
        # "$100 to over $800" read as math would typeset "100 to over ": a number, then words
        amounts = [tex for tex in math["typeset"] if re.match(r"\s*\d[\d,.]*\s+[A-Za-z]{2,}\b", tex)]
        if amounts:
            problems.append(f"{page}: a dollar amount became math: {amounts[:3]}")
        text = browser.execute_script(READER_TEXT)
        raw = re.findall(r"\$(?!\d)[^$\n]{1,40}\$|\\\(|\\\[", text)
        if raw:
            problems.append(f"{page}: raw math in the text: {raw[:3]}")
        broken = browser.execute_script(
            "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.getAttribute('src').slice(0, 60));")
        if broken:
            problems.append(f"{page}: images not decoded: {broken}")
        errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        if errors:
            problems.append(f"{page}: console errors: {errors[:3]}")
        if "notebooks/" in page and "/solutions/" not in page:
            prefix = "ko-" if page.startswith("ko/") else ""
            browser.save_screenshot(str(SCREENSHOTS / f"{prefix}{Path(page).stem}.png"))
        browser.set_window_size(400, 800)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        if overflow > 0:
            problems.append(f"{page}: at 400 px the page scrolls sideways by {overflow} px")
    assert not problems, "\n".join(problems)


def test_dollar_amounts_stay_text(browser, site):
    open_page(browser, site, "notebooks/04_time_series.html")
    text = browser.execute_script(READER_TEXT)
    assert re.search(r"\$100 to over \$800", text), "04's '$100 to over $800' should read as text"


def test_previous_and_next_follow_the_reading_order(browser, site):
    browser.set_window_size(1280, 900)
    for before, page, after in zip([None] + ORDER[:-1], ORDER, ORDER[1:] + [None], strict=True):
        open_page(browser, site, page)
        for css, expected in (("a.left-prev", before), ("a.right-next", after)):
            links = browser.find_elements("css selector", css)
            if expected is None:
                assert not links, f"{page}: {css} should not exist"
                continue
            assert links, f"{page}: no {css} link"
            target = Path(unquote(urlsplit(links[0].get_attribute("href")).path)).resolve()
            assert target == (site / expected).resolve(), f"{page}: {css} leads to {target.name}"


def test_the_sidebar_lists_every_page_and_leads_there(browser, site):
    browser.set_window_size(1280, 900)
    open_page(browser, site, "notebooks/03_long_sequence.html")
    hrefs = [a.get_attribute("href") for a in browser.find_elements("css selector", "nav.bd-links a")]
    listed = [Path(unquote(urlsplit(h).path)).resolve() for h in hrefs]
    for page in ORDER[1:]:
        assert (site / page).resolve() in listed, f"the sidebar does not list {page}"
    link = browser.find_element("css selector", "nav.bd-links a[href$='06_packed_sequence.html']")
    browser.execute_script("arguments[0].click();", link)
    assert browser.current_url.endswith("notebooks/06_packed_sequence.html")
    assert "PackedSequence" in browser.title


def test_search_finds_a_word_from_lab_06(browser, site):
    browser.get((site / "search.html").as_uri() + "?q=enforce_sorted")
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; const started = Date.now();"
        "(function wait() { const n = document.querySelectorAll('#search-results li').length;"
        "  if (n || Date.now() - started > 20000) done(n); else setTimeout(wait, 100); })();")
    results = [a.get_attribute("href") for a in browser.find_elements("css selector", "#search-results li a")]
    assert any("06_packed_sequence.html" in href for href in results), f"search results: {results}"


def test_the_theme_switches_to_dark_and_back(browser, site):
    browser.set_window_size(1280, 900)
    open_page(browser, site, "README.html")
    themes = {}
    for mode in ("dark", "light", "auto"):  # the header's theme menu: its three entries
        browser.execute_script(f"document.querySelector('.theme-change-button[data-mode={mode}]').click();")
        themes[mode] = browser.execute_script("return document.documentElement.dataset.theme;")
    assert themes["dark"] == "dark" and themes["light"] == "light", f"themes seen: {themes}"
