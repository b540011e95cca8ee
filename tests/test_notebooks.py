"""Hygiene of every notebook: what a student reads on GitHub before running anything."""

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SOLUTIONS = sorted((NOTEBOOK_DIR / "solutions").glob("*.ipynb"))
ORIGINAL_LABS = 7  # notebooks 00-06 follow the lecture's Labs 11-0 to 11-6

ABSOLUTE_PATH = re.compile(r"(/home/|/Users/|/tmp/|/work/|/root/|/opt/|site-packages|[A-Z]:\\)")
MEMORY_ADDRESS = re.compile(r"at 0x[0-9a-fA-F]{6,}")
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)[^)]*\)")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
HTML_IMAGE = re.compile(r"<img[^>]+src=[\"']([^\"']+)[\"']")
COURSE_FILE = re.compile(r"(data|image)_path\(\s*[\"']([^\"']+)[\"']")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code" and source(c).strip()]


def test_the_course_has_its_first_labs():
    names = [p.name for p in NOTEBOOKS]
    assert "00_rnn_intro.ipynb" in names and "01_rnn_basics.ipynb" in names, names


def test_notebooks_are_numbered_without_gaps():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(len(NOTEBOOKS))), f"expected 00, 01, 02, ... got {numbers}"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook_path(request) -> Path:
    return request.param


@pytest.fixture(params=NOTEBOOKS + SOLUTIONS, ids=lambda p: str(p.relative_to(NOTEBOOK_DIR)))
def any_notebook_path(request) -> Path:
    """A lab or a lab's solutions: both are read on GitHub and run by nbval."""
    return request.param


def test_file_name(notebook_path):
    assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", notebook_path.name)


def test_title_names_its_lab(notebook_path):
    first = load(notebook_path)["cells"][0]
    assert first["cell_type"] == "markdown", "the first cell is the title cell"
    number = int(notebook_path.name[:2])
    title = source(first).splitlines()[0]
    if number < ORIGINAL_LABS:
        assert title.startswith(f"# Lab 11-{number} · "), f"title should name Lab 11-{number}: {title}"
    else:
        assert re.match(r"# \S", title), f"no title: {title}"


def test_follows_the_template(notebook_path):
    cells = load(notebook_path)["cells"]
    title, setup, last = source(cells[0]), source(cells[1]), source(cells[-1])
    for part in ("You will learn", "Run time"):
        assert part in title, f"the title cell should say '{part}'"
    for call in ("get_device()", "seed_everything("):
        assert call in setup, f"the setup cell (second cell) should call {call}"
    headings = [line for c in cells if c["cell_type"] == "markdown" for line in source(c).splitlines()]
    for heading in ("## Key takeaways", "## Exercises"):
        assert heading in headings, f"the notebook should end with a '{heading}' section"
    assert cells[-1]["cell_type"] == "markdown" and "**Next:**" in last, "the last cell links to what is next"


def test_kernel_is_python3(any_notebook_path):
    assert load(any_notebook_path)["metadata"]["kernelspec"]["name"] == "python3"


def test_outputs_come_from_one_run_in_order(any_notebook_path):
    counts = [c["execution_count"] for c in code_cells(load(any_notebook_path))]
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: re-run the notebook top to bottom with `make execute`"
    )


def test_outputs_are_clean(any_notebook_path):
    for index, cell in enumerate(code_cells(load(any_notebook_path))):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"code cell {index} stored an error"
            text = json.dumps(output.get("text", "")) + json.dumps(
                {k: v for k, v in output.get("data", {}).items() if not k.startswith("image/")}
            )
            assert not ABSOLUTE_PATH.search(text), f"code cell {index}: absolute path in an output"
            assert not MEMORY_ADDRESS.search(text), f"code cell {index}: memory address in an output"
            assert "Traceback" not in text, f"code cell {index}: a traceback in an output"


def test_referenced_files_exist(any_notebook_path):
    notebook_path = any_notebook_path
    notebook = load(notebook_path)
    for cell in notebook["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown":
            for target in MARKDOWN_LINK.findall(text) + HTML_IMAGE.findall(text):
                if target.startswith(("http://", "https://", "#", "mailto:")):
                    continue
                assert (notebook_path.parent / target.split("#")[0]).exists(), f"missing {target}"
        for folder, name in COURSE_FILE.findall(text):
            assert (REPO / folder / name).exists(), f"missing {folder}/{name}"


def test_images_are_local(any_notebook_path):
    for cell in load(any_notebook_path)["cells"]:
        if cell["cell_type"] == "markdown":
            text = source(cell)
            images = MARKDOWN_IMAGE.findall(text) + HTML_IMAGE.findall(text)
            remote = [t for t in images if t.startswith(("http://", "https://"))]
            assert not remote, f"images must ship in image/ so the course works offline: {remote}"
