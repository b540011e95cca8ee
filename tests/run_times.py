"""Write the notebook run times of a `make test` log into the READMEs' tables and every notebook's title.

    make test 2>&1 | tee test.log && make run-times LOG=test.log

Each title's "**Run time:** about N seconds" becomes the measured time rounded to 5 s (at least 5).
"""

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^\s*([\d.]+) s  \(budget \d+ s, [A-Za-z ]+\)  notebooks/(\S+\.ipynb)$", re.MULTILINE)
# A row of "The labs at a glance": the notebook, its folder (the Korean README links notebooks/ko/), and the
# lab's and its solutions' seconds.
ROW = re.compile(r"^\| \[`(\d\d_\w+)`\]\((notebooks/(?:ko/)?)\1\.ipynb\) \| ([\d.]+) s \| \[([\d.]+) s\]",
                 re.MULTILINE)
READMES = ("README.md", "README.ko.md")  # the Korean one links to notebooks/ko/
TITLE = re.compile(r"\*\*Run time:\*\* about (\d+) seconds")


def run_times(log: str) -> dict[str, float]:
    """{"03_long_sequence.ipynb": 6.8, "solutions/03_long_sequence.ipynb": 12.2, ...} from the log."""
    times = {name: float(seconds) for seconds, name in LINE.findall(log)}
    if not times:
        raise ValueError("no notebook run times in this log: give the output of make test")
    return times


def update(times: dict[str, float]) -> list[str]:
    """Rewrite the READMEs' run-time columns and the notebooks' titles; return what changed.

    The Korean notebooks' titles follow when make korean regenerates them (make run-times runs it).
    """
    def row(match: re.Match) -> str:
        name, folder = match.group(1), match.group(2)
        lab, solutions = times[f"{name}.ipynb"], times[f"solutions/{name}.ipynb"]
        return f"| [`{name}`]({folder}{name}.ipynb) | {lab:.1f} s | [{solutions:.1f} s]"

    for readme in (REPO / name for name in READMES):
        if readme.exists():
            readme.write_text(ROW.sub(row, readme.read_text(encoding="utf-8")), encoding="utf-8")
    changed = []
    for name, seconds in times.items():
        path = REPO / "notebooks" / name
        notebook = json.loads(path.read_text(encoding="utf-8"))
        title = notebook["cells"][0]
        source = "".join(title["source"])
        about = f"**Run time:** about {max(5, 5 * round(seconds / 5))} seconds"
        new = TITLE.sub(about, source)
        if new != source:
            lines = new.split("\n")
            title["source"] = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(f"{name}: {about}")
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/run_times.py MAKE_TEST_LOG")
    for line in update(run_times(Path(sys.argv[1]).read_text(encoding="utf-8"))):
        print(line)
