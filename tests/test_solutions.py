"""Every lab's exercises have self-checks, and a solutions notebook whose checks all say "correct"."""

import importlib
import inspect
import json
import re
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
LABS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"\b(lab\d\d)\.(check_\w+)\(")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def check_functions(lab: Path) -> set[str]:
    module = importlib.import_module(f"course_utils.exercises.lab{lab.name[:2]}")
    return {name for name, _ in inspect.getmembers(module, inspect.isfunction) if name.startswith("check_")}


def called_checks(path: Path) -> set[str]:
    code = [source(c) for c in load(path)["cells"] if c["cell_type"] == "code"]
    return {name for text in code for _, name in CHECK_CALL.findall(text)}


@pytest.fixture(params=LABS, ids=lambda p: p.name)
def lab(request) -> Path:
    return request.param


def test_every_lab_has_solutions(lab):
    assert (NOTEBOOK_DIR / "solutions" / lab.name).exists(), f"write notebooks/solutions/{lab.name}"


def test_every_solutions_notebook_has_its_lab():
    for solutions in (NOTEBOOK_DIR / "solutions").glob("*.ipynb"):
        assert (NOTEBOOK_DIR / solutions.name).exists(), f"{solutions.name} has no lab"


def test_every_lab_has_checks(lab):
    assert check_functions(lab), f"course_utils.exercises.lab{lab.name[:2]} has no check_ function"


def test_the_lab_calls_every_check_and_points_to_the_solutions(lab):
    assert called_checks(lab) == check_functions(lab), "the exercises should call each of the lab's checks"
    exercises = next(source(c) for c in load(lab)["cells"] if source(c).startswith("## Exercises"))
    assert f"(solutions/{lab.name})" in exercises, "the Exercises cell should link to the worked solutions"


def test_the_lab_stores_no_answer(lab):
    """The stored lab shows the placeholders: a check that says correct there would give answers away."""
    for cell in load(lab)["cells"]:
        if cell["cell_type"] == "code" and CHECK_CALL.search(source(cell)):
            shown = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])
            assert shown.startswith("⏳ No answer yet"), f"a check in {lab.name} shows {shown!r}"


def test_the_solutions_follow_the_template(lab):
    cells = load(NOTEBOOK_DIR / "solutions" / lab.name)["cells"]
    lab_title = source(load(lab)["cells"][0]).splitlines()[0].removeprefix("# ")
    title = source(cells[0])
    assert title.splitlines()[0] == f"# Solutions · {lab_title}", "title: '# Solutions · ' + the lab's title"
    assert f"(../{lab.name})" in title, "the title cell should link back to the lab"
    assert "Run time" in title, "the title cell should say 'Run time'"
    for call in ("get_device()", "seed_everything("):
        assert call in source(cells[1]), f"the setup cell (second cell) should call {call}"


def test_the_solutions_pass_every_check(lab):
    path = NOTEBOOK_DIR / "solutions" / lab.name
    assert called_checks(path) == check_functions(lab), "the solutions should pass each of the lab's checks"
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code" and CHECK_CALL.search(source(cell)):
            shown = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])
            assert shown.startswith("✅ Correct"), f"a check in solutions/{lab.name} shows {shown!r}"
            assert "nbval-check-output" in cell["metadata"].get("tags", []), (
                "tag every check cell of a solution nbval-check-output, so that nbval re-checks its verdict"
            )
