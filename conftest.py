"""Pytest set-up shared by the unit tests and nbval's notebook runs."""

import os
import sys
from collections import defaultdict
from pathlib import Path

from nbval.plugin import IPyNbFile

# tests/offline/network_guard.py blocks the network; its sitecustomize.py loads it in every new process.
OFFLINE_DIR = str(Path(__file__).resolve().parent / "tests" / "offline")

# Run-time budget of each notebook under nbval on 2 CPU cores (../shared/COURSE_DESIGN.md).
DEFAULT_BUDGET_S = 20.0
BUDGET_S = {"05": 25.0, "07": 30.0, "08": 30.0}

_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_configure(config):
    """Block the network here and in every process started from here (nbval's kernels included)."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if OFFLINE_DIR not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([OFFLINE_DIR, *filter(None, paths)])
    sys.path.insert(0, OFFLINE_DIR)
    import network_guard  # noqa: F401 (importing it blocks the network)


def pytest_collectstart(collector):
    """Compare only plain-text outputs of cells tagged nbval-check-output.

    A DataFrame's HTML carries the same content as its text, and plots are
    never compared: their pixels change with library versions.
    """
    if isinstance(collector, IPyNbFile):
        collector.skip_compare += ("text/html", "application/javascript", "image/png", "stderr")


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
        number = path.rsplit("/", 1)[-1][:2]
        budget = BUDGET_S.get(number, DEFAULT_BUDGET_S)
        flag = "ok" if seconds <= budget else "OVER BUDGET"
        terminalreporter.write_line(f"{seconds:6.1f} s  (budget {budget:.0f} s, {flag})  {path}")
