"""Pytest set-up shared by the unit tests and nbval's notebook runs."""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell, IPyNbFile

# tests/startup/network_guard.py blocks the network; its sitecustomize.py loads it in every new process,
# with tests/startup/machine_emulation.py when make test-machines asks for another seed or GPU-like noise.
STARTUP_DIR = str(Path(__file__).resolve().parent / "tests" / "startup")
NOTEBOOK_DIR = Path(__file__).resolve().parent / "notebooks"

# Run-time budget of each notebook under nbval on 2 CPU cores (../shared/COURSE_DESIGN.md).
DEFAULT_BUDGET_S = 20.0
BUDGET_S = {"05": 25.0, "07": 30.0, "08": 30.0, "09": 30.0}

_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_addoption(parser):
    parser.addoption(
        "--record-outputs", metavar="DIR",
        help="write what each notebook cell printed to DIR/<notebook>.jsonl (make test-machines reads it)",
    )


def pytest_configure(config):
    """Block the network here and in every process started from here (nbval's kernels included)."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if STARTUP_DIR not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([STARTUP_DIR, *filter(None, paths)])
    sys.path.insert(0, STARTUP_DIR)
    import network_guard  # noqa: F401 (importing it blocks the network)


def pytest_collectstart(collector):
    """Compare only plain-text outputs of cells tagged nbval-check-output.

    A DataFrame's HTML carries the same content as its text, and plots are
    never compared: their pixels change with library versions.
    """
    if isinstance(collector, IPyNbFile):
        collector.skip_compare += ("text/html", "application/javascript", "image/png", "stderr")


def budget_of(path: str) -> float:
    """The run-time budget of a notebook (a lab's solutions get the lab's), from its path."""
    return BUDGET_S.get(Path(path).name[:2], DEFAULT_BUDGET_S)


def pytest_collection_modifyitems(items):
    """Mark the Korean notebooks' cells ``korean``; run the notebooks with the largest budgets first.

    The Korean notebooks run in make test-korean, not in make test (their code is the English one's).

    pytest-xdist sends each file to one worker as a whole; starting the longest files first lets the
    workers finish together instead of one waiting for the other's last long notebook. The sort is
    stable, so a notebook's cells keep their order.
    """
    def order(item: pytest.Item) -> tuple[int, float]:
        path = item.nodeid.split("::")[0]
        return (0, -budget_of(path)) if path.endswith(".ipynb") else (1, 0.0)

    items.sort(key=order)
    korean = NOTEBOOK_DIR / "ko"
    for item in items:
        if isinstance(item, IPyNbCell) and korean in Path(str(item.parent.fspath)).resolve().parents:
            item.add_marker(pytest.mark.korean)


def pytest_runtest_teardown(item):
    """With --record-outputs, keep what each notebook cell printed, to compare runs across machines."""
    folder = item.config.getoption("--record-outputs")
    if not folder or not isinstance(item, IPyNbCell) or item.test_outputs is None:
        return
    texts = [o.get("text") or o.get("data", {}).get("text/plain") or o.get("evalue", "")
             for o in item.test_outputs]
    notebook = Path(str(item.parent.fspath)).resolve().relative_to(NOTEBOOK_DIR)
    record = Path(folder) / f"{notebook.with_suffix('')}.jsonl"
    record.parent.mkdir(parents=True, exist_ok=True)
    with record.open("a", encoding="utf-8") as file:
        file.write(json.dumps({"cell": item.cell_num, "outputs": texts}) + "\n")


def pytest_runtest_logreport(report):
    """Add each notebook cell's set-up, run and tear-down time to its notebook."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    """Print every notebook's total time (kernel start included) beside its budget."""
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook run times")
    for path, seconds in sorted(_notebook_seconds.items()):
        budget = budget_of(path)
        flag = "ok" if seconds <= budget else "OVER BUDGET"
        terminalreporter.write_line(f"{seconds:6.1f} s  (budget {budget:.0f} s, {flag})  {path}")
