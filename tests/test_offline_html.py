"""`make html`: every executed notebook as a page that reads offline, with an index in lab order."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from course_utils.offline_html import _images_from_root, build_site

# Building every page takes a while: these run in make test-site (CI runs it after make test), not make test.
pytestmark = pytest.mark.site

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
LABS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((NOTEBOOK_DIR / "solutions").glob("[0-9][0-9]_*.ipynb"))


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
        if tag == "link" and attributes.get("href"):
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
    output = tmp_path_factory.mktemp("html")
    build_site(output)
    return output


def test_every_notebook_has_a_page(site):
    for notebook in LABS:
        assert (site / f"{notebook.stem}.html").exists(), notebook.name
    for notebook in SOLUTIONS:
        assert (site / "solutions" / f"{notebook.stem}.html").exists(), f"solutions/{notebook.name}"


def test_the_index_lists_the_labs_in_order_with_their_solutions(site):
    links = references(site / "index.html").links
    assert [link for link in links if "/" not in link] == [f"{n.stem}.html" for n in LABS]
    assert [link for link in links if link.startswith("solutions/")] == [
        f"solutions/{n.stem}.html" for n in SOLUTIONS
    ]


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html")) + sorted(site.glob("solutions/*.html"))


def test_nothing_is_loaded_from_the_network(site):
    for page in pages(site):
        for tag, url in references(page).loaded:
            assert not re.match(r"(https?:)?//", url), f"{page.name}: <{tag}> loads {url}"
            if not url.startswith("data:"):
                assert local_target(page, url).is_file(), f"{page.name}: <{tag}> {url} does not resolve"


def test_every_local_link_resolves(site):
    for page in pages(site):
        for url in references(page).links:
            if url.startswith(("#", "http://", "https://", "mailto:")):
                continue
            assert local_target(page, url).is_file(), f"{page.relative_to(site)}: link {url} does not resolve"


def count_images(notebook: Path) -> int:
    """Markdown images plus stored image outputs: each should be one <img> in the page."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    in_markdown = len(re.findall(r"!\[", markdown))
    in_outputs = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    return in_markdown + in_outputs


def test_every_image_and_plot_is_in_its_page(site):
    for notebook in LABS + SOLUTIONS:
        folder = site / "solutions" if notebook.parent.name == "solutions" else site
        images = [url for tag, url in references(folder / f"{notebook.stem}.html").loaded if tag == "img"]
        assert len(images) == count_images(notebook), f"{notebook.name}: images missing from the page"
        assert all(url.startswith("data:image/") for url in images), f"{notebook.name}: an image not embedded"


def test_the_formulas_are_typeset_by_the_local_mathjax(site):
    page = (site / "00_rnn_intro.html").read_text(encoding="utf-8")
    assert 'src="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"' in page
    assert (site / "mathjax" / "config" / "TeX-AMS-MML_HTMLorMML-full.js").is_file()
    assert 'webFont: "STIX-Web"' in page and (site / "mathjax" / "fonts" / "HTML-CSS" / "STIX-Web").is_dir()


def test_an_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no numbered notebook"):
        build_site(tmp_path / "html", notebooks_dir=tmp_path)


@pytest.mark.parametrize("alt", ["A diagram", "h_n[0] at step 3 and output[:, t]"])
def test_a_markdown_image_is_found_whatever_its_alt_text(alt, tmp_path):
    notebook_dir = tmp_path / "notebooks"
    markdown = f"Before.\n\n![{alt}](../image/cell.png)\n\nAfter [a link](01_rnn_basics.ipynb)."
    rewritten = _images_from_root(markdown, notebook_dir, tmp_path)
    assert f"![{alt}](image/cell.png)" in rewritten
    assert "After [a link](01_rnn_basics.ipynb)." in rewritten
