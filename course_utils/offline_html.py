"""Render the executed notebooks to static HTML that reads without a network.

``make html`` runs ``python -m course_utils.offline_html html``. The folder it
writes mirrors ``notebooks/``: ``index.html`` (the labs in order, each with its
solutions), one page per lab and ``solutions/`` with one page per lab's
solutions. Every page shows the stored outputs; the diagrams are embedded in
the page, links between notebooks point to the pages, and the formulas are
typeset by a copy of MathJax in ``mathjax/``. Nothing is loaded from the
internet, so a teacher can hand out the folder as it is.

This is tooling for the course, not something a lab uses.
"""

import argparse
import html
import re
import shutil
from pathlib import Path

import jinja2
import jupyter_server_mathjax
import nbformat
from nbconvert import HTMLExporter

from course_utils.paths import course_root

# The lab template loads require.js and mermaid from a CDN; the course needs neither. The local
# MathJax (from jupyter_server_mathjax, as the classic notebook used it) ships the STIX web fonts only.
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], preferredFont: null, imageFont: null,
                                 font: "STIX-Web", webFont: "STIX-Web"}});
</script>
{{ super() }}
{%- endblock html_head_js_mathjax -%}
"""
_MATHJAX_CONFIG = "MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
_NOTEBOOK_LINK = re.compile(r"\]\(((?:\.\./|solutions/)?\d\d_[a-z0-9_]+)\.ipynb(#[^)]*)?\)")
_README_LINK = re.compile(r"\]\((?:\.\./)+README\.md(#[^)]*)?\)")
# The alt text may hold brackets ("h_n[0]"), so it ends at the first "](", not at the first "]".
_MARKDOWN_IMAGE = re.compile(r"(!\[.*?\]\()([^)\s]+)")


def _exporter(mathjax_url: str) -> HTMLExporter:
    """An HTML exporter with the lab look, embedded images and no CDN scripts."""
    return HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
        embed_images=True,
        mathjax_url=mathjax_url,
        theme="light",
    )


def _link_pages(markdown: str, index_page: str) -> str:
    """Point links to notebooks at their pages, and links to the README at the index."""
    markdown = _NOTEBOOK_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", markdown)
    return _README_LINK.sub(lambda m: f"]({index_page}{m.group(1) or ''})", markdown)


def _images_from_root(markdown: str, notebook_dir: Path, root: Path) -> str:
    """Rewrite local image paths relative to ``root``: nbconvert embeds only images below its base folder."""

    def from_root(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith(("http://", "https://", "data:", "attachment:")):
            return match.group(0)
        return match.group(1) + (notebook_dir / target).resolve().relative_to(root).as_posix()

    return _MARKDOWN_IMAGE.sub(from_root, markdown)


def render_notebook(notebook_path: Path, page_path: Path, depth: int) -> None:
    """Render one executed notebook to one self-contained HTML page.

    Args:
        notebook_path: The ``.ipynb`` file, with its stored outputs.
        page_path: Where to write the page.
        depth: How many folders below the output root the page lies (0 for a
            lab, 1 for its solutions), to reach ``mathjax/`` and ``index.html``.
    """
    up, root = "../" * depth, course_root()
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _link_pages(cell.source, f"{up}index.html")
            cell.source = _images_from_root(cell.source, notebook_path.parent.resolve(), root)
    resources = {"metadata": {"path": str(root), "name": notebook_path.stem}}
    body, _ = _exporter(f"{up}mathjax/{_MATHJAX_CONFIG}").from_notebook_node(notebook, resources=resources)
    page_path.parent.mkdir(parents=True, exist_ok=True)
    page_path.write_text(body, encoding="utf-8")


def _title(notebook_path: Path) -> str:
    """The first line of a notebook's title cell, without the ``#``."""
    first_cell = nbformat.read(notebook_path, as_version=4).cells[0]
    return first_cell.source.splitlines()[0].lstrip("# ").strip()


def _index_page(rows: list[tuple[str, str, str | None]]) -> str:
    """The index: a table of the labs in order, each with a link to its solutions."""
    lines = []
    for title, page, solutions_page in rows:
        solutions = f'<a href="{solutions_page}">solutions</a>' if solutions_page else ""
        lines.append(f'<tr><td><a href="{page}">{html.escape(title)}</a></td><td>{solutions}</td></tr>')
    table = "\n".join(lines)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Recurrent Neural Networks with PyTorch</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}
td {{ padding: 0.3em 1em 0.3em 0; }}
</style>
</head>
<body>
<h1>Recurrent Neural Networks with PyTorch</h1>
<p>The course's notebooks with their stored outputs, in the order to read them. Each lab ends with
exercises; try them before you open the lab's solutions. To run the code, open the notebooks in
JupyterLab (see the course's README).</p>
<table>
{table}
</table>
</body>
</html>
"""


def build_site(output_dir: Path, notebooks_dir: Path | None = None) -> list[Path]:
    """Render every lab and every solutions notebook, write the index and copy MathJax.

    Args:
        output_dir: The folder to write; it is emptied first.
        notebooks_dir: Where the notebooks are (default: the course's ``notebooks/``).

    Returns:
        The pages written, index first.

    Raises:
        ValueError: ``notebooks_dir`` holds no numbered notebook.
    """
    notebooks_dir = notebooks_dir or course_root() / "notebooks"
    labs = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if not labs:
        raise ValueError(f"no numbered notebook (00_name.ipynb) in {notebooks_dir}")
    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True)
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", output_dir / "mathjax")
    rows, pages = [], []
    for lab in labs:
        render_notebook(lab, output_dir / f"{lab.stem}.html", depth=0)
        pages.append(output_dir / f"{lab.stem}.html")
        solutions = notebooks_dir / "solutions" / lab.name
        solutions_page = None
        if solutions.exists():
            render_notebook(solutions, output_dir / "solutions" / f"{lab.stem}.html", depth=1)
            pages.append(output_dir / "solutions" / f"{lab.stem}.html")
            solutions_page = f"solutions/{lab.stem}.html"
        rows.append((_title(lab), f"{lab.stem}.html", solutions_page))
    index = output_dir / "index.html"
    index.write_text(_index_page(rows), encoding="utf-8")
    return [index, *pages]


def main() -> None:
    """Command line: ``python -m course_utils.offline_html OUTPUT_DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path, help="folder to write (emptied first)")
    pages = build_site(parser.parse_args().output_dir)
    print(f"wrote {len(pages)} pages; open {pages[0]} in a browser")


if __name__ == "__main__":
    main()
