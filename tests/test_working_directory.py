"""Notebooks give the same results whatever folder their kernel starts in.

JupyterLab and nbval start a notebook's kernel in the notebook's folder; VS Code, by default, and a
teacher's own script may start it in the repository root. Files are found through
``course_utils.data_path`` / ``image_path``, never through a path relative to the working directory.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (REPO / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)
# "../data/x.csv", "data/x.csv", or a bare name handed straight to a function that opens a file
RELATIVE_PATH = re.compile(r"[\"'](\.\.?/|data/|image/)|\b(open|read_csv|load_ohlcv|savefig)\(\s*[\"']")
TOUCHES_FILES = re.compile(r"\b(data_path|image_path|open|read_csv|load_ohlcv|savefig|save|load)\(")


def code_of(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO / "notebooks")))
def test_no_path_relative_to_the_working_directory(path):
    for index, code in enumerate(code_of(path)):
        assert not RELATIVE_PATH.search(code), (
            f"code cell {index} names a file by a relative path; use course_utils.data_path(...)"
        )


FILE_NOTEBOOKS = [p for p in NOTEBOOKS if any(TOUCHES_FILES.search(code) for code in code_of(p))]


def up_to_the_last_file(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook's cells up to its last code cell that opens a file: the cells a path could break."""
    last = max(index for index, cell in enumerate(notebook.cells)
               if cell.cell_type == "code" and TOUCHES_FILES.search(cell.source))
    notebook.cells = notebook.cells[:last + 1]
    return notebook


def checked_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """The text of every cell nbval compares (tagged nbval-check-output)."""
    return [
        json.dumps([o.get("text", o.get("data", {}).get("text/plain")) for o in cell.outputs])
        for cell in notebook.cells
        if "nbval-check-output" in cell.metadata.get("tags", [])
    ]


def test_some_notebook_reads_a_file():
    assert FILE_NOTEBOOKS, "no notebook reads a file: the test below would prove nothing"


@pytest.mark.parametrize("path", FILE_NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO / "notebooks")))
def test_a_notebook_that_reads_files_runs_the_same_from_the_repository_root(path):
    """Run its cells up to the last one that reads a file (not the training after it), from the root."""
    stored = up_to_the_last_file(nbformat.read(path, as_version=4))
    fresh = up_to_the_last_file(nbformat.read(path, as_version=4))
    from_root = {"metadata": {"path": str(REPO)}}  # the kernel's working directory
    NotebookClient(fresh, kernel_name="python3", timeout=300, resources=from_root).execute()
    assert checked_outputs(stored), "no tagged cell to compare: tag the cells whose output is exact"
    assert checked_outputs(fresh) == checked_outputs(stored)
