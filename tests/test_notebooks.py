"""Hygiene of every notebook: what a student reads on GitHub before running anything."""

import json
import re
from pathlib import Path

import pytest
import run_times

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
SOLUTIONS = sorted((NOTEBOOK_DIR / "solutions").glob("*.ipynb"))
ORIGINAL_LABS = 7  # notebooks 00-06 follow the lecture's Labs 11-0 to 11-6

ABSOLUTE_PATH = re.compile(r"(/home/|/Users/|/tmp/|/work/|/root/|/opt/|site-packages|[A-Z]:\\)")
MEMORY_ADDRESS = re.compile(r"at 0x[0-9a-fA-F]{6,}")
MARKDOWN_LINK = re.compile(r"!?\[.*?\]\(([^)\s]+)[^)]*\)")
MARKDOWN_IMAGE = re.compile(r"!\[.*?\]\(([^)\s]+)")  # alt text may hold brackets: h_n[0]
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


# A number as a notebook prints or quotes it: "40.8", "0.246", "98.3 %" (the % is group 2).
NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(\s*%)?")
# A measured range, "between 0.999 and 1.001" or "−6.5 % to −4.1 %": its ends may equal a printed number.
_END = r"[−-]?\\?\$?\d+(?:\.\d+)?(?:\s*%)?"
CODE_SPAN = re.compile(r"`[^`]*`")  # `max_norm=0.25` is code, not a result
RANGE = re.compile(rf"between\s+{_END}\s+and\s+{_END}|{_END}\s+(?:to|–)\s+{_END}")


def printed_by_training(notebook: dict) -> set[str]:
    """Every number printed by a code cell that nbval does not compare: results that vary by machine."""
    found = set()
    for cell in code_cells(notebook):
        if "nbval-check-output" in cell.get("metadata", {}).get("tags", []):
            continue  # exact on every machine, so it may be quoted
        for output in cell.get("outputs", []):
            text = "".join(output.get("text") or output.get("data", {}).get("text/plain") or "")
            found.update(number for number, _ in NUMBER.findall(text))
    return found


def quoted_numbers(markdown: str) -> list[str]:
    """Numbers a sentence quotes from a run: with a decimal point and two significant digits, not in code."""
    prose = RANGE.sub(" ", CODE_SPAN.sub(" ", markdown))
    return [number for number, _ in NUMBER.findall(prose)
            if "." in number and len(number.replace(".", "").strip("0")) >= 2]


def quotes_of_untagged_numbers(notebook: dict) -> dict[int, list[str]]:
    """Markdown cell index -> the numbers it quotes that an untagged code cell printed."""
    printed = printed_by_training(notebook)
    quoted = {index: [number for number in quoted_numbers(source(cell)) if number in printed]
              for index, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "markdown"}
    return {index: numbers for index, numbers in quoted.items() if numbers}


def test_markdown_quotes_no_number_that_a_training_cell_printed(any_notebook_path):
    """A number printed by an untagged cell can differ on another machine, so no sentence may state it.

    Quote the range measured across machines and seeds (make test-machines), or let the code print the
    sentence from its own run.
    """
    quoted = quotes_of_untagged_numbers(load(any_notebook_path))
    assert not quoted, f"markdown cells quote numbers that an untagged cell printed: {quoted}"


def test_a_quoted_training_number_is_caught_and_a_range_or_a_tagged_one_is_not():
    def notebook(markdown: str, printed: str, tags: list[str]) -> dict:
        code = {"cell_type": "code", "source": ["train()"], "metadata": {"tags": tags},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": [printed]}]}
        return {"cells": [code, {"cell_type": "markdown", "source": [markdown]}]}

    printed = "largest gradient norm 40.8 (max_norm 0.25); accuracy 53.2%\n"
    caught = quotes_of_untagged_numbers(notebook("a norm of 40.8, then 53.2 %", printed, []))
    assert caught == {1: ["40.8", "53.2"]}
    assert quotes_of_untagged_numbers(notebook("between 40.8 and 52.0", printed, [])) == {}
    assert quotes_of_untagged_numbers(notebook("from 12 % to 53.2 %", printed, [])) == {}
    assert quotes_of_untagged_numbers(notebook("clipped at `max_norm=0.25`", printed, [])) == {}
    assert quotes_of_untagged_numbers(notebook("a norm of 40.8", printed, ["nbval-check-output"])) == {}


def readme_run_times() -> dict[str, float]:
    """Each notebook's run time in seconds, from the README's table "The labs at a glance"."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    times = {}
    for name, folder, lab, solutions in run_times.ROW.findall(readme):
        if folder == "notebooks/":
            times[f"{name}.ipynb"], times[f"solutions/{name}.ipynb"] = float(lab), float(solutions)
    return times


def title_run_time(notebook: dict) -> int:
    """The "about N seconds" of a notebook's title cell."""
    match = run_times.TITLE.search(source(notebook["cells"][0]))
    assert match, "the title cell should say '**Run time:** about N seconds'"
    return int(match.group(1))


def test_title_run_times_agree_with_the_readme():
    times = readme_run_times()
    every = sorted(str(p.relative_to(NOTEBOOK_DIR)) for p in NOTEBOOKS + SOLUTIONS)
    assert sorted(times) == every, "the README's table should list every lab with its solutions"
    wrong = {}
    for name, seconds in times.items():
        expected = max(5, 5 * round(seconds / 5))  # the README's measurement, to the nearest 5 seconds
        stated = title_run_time(load(NOTEBOOK_DIR / name))
        if stated != expected:
            wrong[name] = f"says about {stated} s; the README measured {seconds} s: write about {expected}"
    assert not wrong, wrong


def test_markdown_cells_are_short_enough_to_read(any_notebook_path):
    """A markdown cell of more than 200 words is one a student skims past: split it at a paragraph."""
    long_cells = {i: len(source(c).split()) for i, c in enumerate(load(any_notebook_path)["cells"])
                  if c["cell_type"] == "markdown" and len(source(c).split()) > 200}
    assert not long_cells, f"markdown cells over 200 words (cell: words): {long_cells}"
