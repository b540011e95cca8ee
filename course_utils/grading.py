"""Grade a class: run every submitted notebook in a fresh kernel and collect its self-check verdicts.

``make grade SUBMISSIONS=folder`` runs ``python -m course_utils.grading folder --report grades``.

Layouts understood (in ``folder``):

- one notebook per student: ``kim.ipynb``, ``lee.ipynb`` (the student is the file's name);
- one folder per student: ``kim/03_long_sequence.ipynb``, ``kim/05_seq2seq.ipynb`` (the student is the
  folder's name; it may hold several labs).

Which lab a notebook is comes from its content (the title and its ``labNN.check_...`` calls), not its
file name, so a renamed file is graded as the lab it is.

How a verdict is made, so that a notebook cannot fool its own checks: the submission is copied, and in
the copy every ``labNN.check_x(...)`` call is redirected to a grading function that the grader defines
in a cell just before it. The function loads a private copy of ``course_utils``, from sources the grader read
before any student code ran, calls the check on the student's answer and writes the verdict to a file
whose path the notebook never saw. Redefining a check, patching ``CheckResult``, printing a fake verdict,
editing a stored output or rewriting the course's files therefore changes nothing. This is not a sandbox:
students' code runs under the teacher's account (see the README for a container).

Each notebook runs in a fresh kernel, in its own process with a time limit and a memory limit, with the
network blocked as in the tests. A notebook that hits a limit gets ``error: time limit`` (or
``error: kernel died``) for the checks it did not reach; the class's run goes on.
"""

import argparse
import collections
import csv
import json
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from course_utils.paths import course_root, numbered_notebooks

CHECK_CALL = re.compile(r"\blab(\d\d)\.(check_\w+)\s*\(")
TITLE = re.compile(r"^#\s+(.+)$", re.MULTILINE)
OUTPUT_LIMIT = 1_000_000  # characters of printed output kept per cell; the rest is dropped


@dataclass
class Lab:
    """A lab as the course ships it: its number, title and the checks of its exercises, in order."""

    number: str
    title: str
    exercises: dict[str, str] = field(default_factory=dict)  # check -> "Exercise 1 · A ReLU RNN", in order

    @property
    def checks(self) -> list[str]:
        """The lab's checks, in the order its exercises call them."""
        return list(self.exercises)


@dataclass
class Graded:
    """One submitted file: who, which lab, and a verdict and hint per check (or why there are none)."""

    student: str
    file: str
    lab: str = ""
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)  # check -> (status, hint)
    note: str = ""
    counted: bool = True  # False for a student's duplicate that another submission outscores

    def correct(self) -> int:
        """How many checks this file got right."""
        return sum(status == "correct" for status, _ in self.verdicts.values())


def course_labs(root: Path) -> dict[str, Lab]:
    """The course's labs, read from its notebooks: {"03": Lab("03", "Lab 11-3 · ...", {check: heading})}."""
    labs = {}
    for path in numbered_notebooks(root / "notebooks"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        title = TITLE.search("".join(cells[0]["source"]))
        lab = Lab(path.name[:2], title.group(1).strip() if title else path.stem)
        heading = ""
        for cell in cells:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and source.startswith("### Exercise"):
                heading = source.splitlines()[0].removeprefix("### ").strip()
            for match in CHECK_CALL.finditer(source) if cell["cell_type"] == "code" else []:
                lab.exercises.setdefault(match.group(2), heading)
        labs[lab.number] = lab
    return labs


def find_submissions(folder: Path) -> tuple[list[tuple[str, Path]], list[Graded]]:
    """(student, notebook path) for every .ipynb, and a line for every other file found."""
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder of submissions at {folder}")
    found, other = [], []
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            for inner in sorted(p for p in path.rglob("*") if p.is_file()):
                if ".ipynb_checkpoints" in inner.parts:
                    continue
                if inner.suffix == ".ipynb":
                    found.append((path.name, inner))
                else:
                    other.append(Graded(path.name, str(inner.relative_to(folder)),
                                        note="ignored: not a notebook"))
        elif path.suffix == ".ipynb":
            found.append((path.stem, path))
        elif path.is_file():
            other.append(Graded(path.stem, path.name, note="ignored: not a notebook"))
    return found, other


def identify_lab(notebook: dict, labs: dict[str, Lab]) -> str | None:
    """The lab a notebook is: by its title, else by the lab whose checks it calls most."""
    cells = notebook.get("cells", [])
    first = "".join(cells[0].get("source", "")) if cells else ""
    title = TITLE.search(first)
    for number, lab in labs.items():
        if title and title.group(1).strip() == lab.title:
            return number
    calls = collections.Counter(m.group(1) for c in cells if c.get("cell_type") == "code"
                                for m in CHECK_CALL.finditer("".join(c.get("source", ""))))
    return calls.most_common(1)[0][0] if calls else None


def read_sources(root: Path) -> dict[str, tuple[str, str]]:
    """The course's own modules, read now, before any student code runs: {name: (path, text)}."""
    package = root / "course_utils"
    sources = {}
    for path in sorted(package.glob("*.py")) + sorted((package / "exercises").glob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        sources[name] = (str(path), path.read_text(encoding="utf-8"))
    return sources


# The grading function put at the top of every check cell of the copy. It runs the check from a private
# copy of course_utils (the student's own imports are put back afterwards) and writes the verdict where
# only the grader looks. {name}, {lab}, {sources} and {verdicts} are filled in by the grader.
GRADER_FUNCTION = '''\
def {name}(check_name, *args, **kwargs):
    import importlib, importlib.abc, importlib.util, json, sys
    sources = {sources!r}
    packages = {{"course_utils", "course_utils.exercises"}}

    class PrivateCopy(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, fullname, path=None, target=None):
            if fullname not in sources:
                return None
            return importlib.util.spec_from_loader(fullname, self, origin=sources[fullname][0],
                                                   is_package=fullname in packages)

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            file, text = sources[module.__name__]
            module.__file__ = file
            exec(compile(text, file, "exec"), module.__dict__)

    def course_modules():
        return [n for n in sys.modules if n == "course_utils" or n.startswith("course_utils.")]

    students = {{n: sys.modules.pop(n) for n in course_modules()}}
    finder = PrivateCopy()
    sys.meta_path.insert(0, finder)
    result = None
    try:
        checks = importlib.import_module("course_utils.exercises.lab{lab}")
        result = getattr(checks, check_name)(*args, **kwargs)
        if type(result) is sys.modules["course_utils.exercises.checking"].CheckResult:
            verdict = [result.status, result.message]
        else:
            verdict = ["error", "the check returned " + type(result).__name__]
    except Exception as error:
        verdict = ["error", type(error).__name__ + ": " + str(error)]
    finally:
        sys.meta_path.remove(finder)
        for n in course_modules():
            del sys.modules[n]
        sys.modules.update(students)
    with open({verdicts!r} + "/" + check_name + "-{nonce}.json", "w", encoding="utf-8") as file:
        json.dump(verdict, file)
    return result
'''


def redirect_checks(notebook: dict, lab: str, checks: list[str], sources: dict, verdicts: Path,
                    nonce: str) -> dict[str, int | None]:
    """Point the notebook's check calls at a grading function defined in a cell just before each.

    Returns the index of each check's cell in the changed notebook (``None``: the call was deleted).
    """
    name = f"_grade_{nonce}"
    function = GRADER_FUNCTION.format(name=name, lab=lab, sources=sources, verdicts=str(verdicts),
                                      nonce=nonce)
    cells, where = [], dict.fromkeys(checks)

    def graded(call: re.Match) -> bool:  # a call of one of this lab's checks
        return call.group(1) == lab and call.group(2) in where

    for cell in notebook["cells"]:
        source = "".join(cell.get("source", "")) if cell.get("cell_type") == "code" else ""
        calls = [m.group(2) for m in CHECK_CALL.finditer(source) if graded(m)]
        if calls:
            cells.append({"cell_type": "code", "id": f"grader-{len(cells)}", "execution_count": None,
                          "metadata": {"grader": True}, "outputs": [], "source": function})
            cell.setdefault("metadata", {})["grader_original"] = source  # put back in the executed copy
            cell["source"] = CHECK_CALL.sub(
                lambda m: f'{name}("{m.group(2)}", ' if graded(m) else m.group(0), source)
            cell["outputs"] = []  # a stored output is never read: the verdict comes from running the check
            for check in calls:
                where[check] = len(cells)
        cells.append(cell)
    notebook["cells"] = cells
    return where


def _limit_memory(gigabytes: float) -> None:
    limit = int(gigabytes * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run_worker(job: Path, time_limit: float, memory_gb: float) -> dict:
    """Execute one prepared notebook (its job file) in a worker process; return what the worker reports."""
    command = [sys.executable, "-m", "course_utils.grading", "--worker", str(job)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=time_limit + 60,
                             preexec_fn=lambda: _limit_memory(memory_gb), start_new_session=True)
    except subprocess.TimeoutExpired:
        return {"stopped": "time limit"}
    lines = run.stdout.strip().splitlines()
    if run.returncode != 0 or not lines:
        return {"stopped": f"grader worker failed: {run.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])


def worker(job: dict) -> dict:
    """In the worker process: run the notebook with nbclient, keep outputs small, save the executed copy."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    class CappedClient(NotebookClient):
        """Drops printed output beyond OUTPUT_LIMIT characters per cell, with a note saying so."""

        def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> object:
            if msg["msg_type"] == "stream":
                kept = sum(len(o.get("text", "")) for o in outs if o.get("output_type") == "stream")
                if kept >= OUTPUT_LIMIT:
                    return None
                if kept + len(msg["content"]["text"]) > OUTPUT_LIMIT:
                    msg["content"]["text"] = (msg["content"]["text"][:OUTPUT_LIMIT - kept]
                                              + f"\n[grader: output cut at {OUTPUT_LIMIT:,} characters]\n")
            return super().output(outs, msg, display_id, cell_index)

    notebook = nbformat.from_dict(job["notebook"])  # sources are strings: the grader read it with nbformat
    deadline = time.monotonic() + job["time_limit"]
    client = CappedClient(notebook, kernel_name="python3", allow_errors=True, record_timing=False,
                          timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
                          resources={"metadata": {"path": job["folder"]}})
    stopped = None
    try:
        client.execute(env=job["env"])
    except CellTimeoutError:
        stopped = "time limit"
    except DeadKernelError:
        stopped = "kernel died (memory limit?)"
    except Exception as error:  # noqa: BLE001 (any failure of one notebook is reported, not raised)
        stopped = f"{type(error).__name__}: {str(error)[:200]}"
    errors = {}
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":  # IPython's cell file names differ at every run
                message = re.sub(r"\(\d+\.py, line (\d+)\)", r"(line \1)", output["evalue"])
                errors[str(index)] = f"{output['ename']}: {message}"[:300]
    # The copy a teacher reads: the student's cells as written (the check calls ran through the grader).
    notebook.cells = [cell for cell in notebook.cells if not cell.metadata.get("grader")]
    for cell in notebook.cells:
        if "grader_original" in cell.metadata:
            cell.source = cell.metadata.pop("grader_original")
    nbformat.write(notebook, job["executed"])
    return {"stopped": stopped, "errors": errors}


def grade_notebook(student: str, path: Path, folder: Path, report: Path, labs: dict[str, Lab],
                   sources: dict, time_limit: float, memory_gb: float, only_lab: str | None) -> Graded:
    """Grade one submitted notebook; never raises for a bad submission."""
    import nbformat

    graded = Graded(student, str(path.relative_to(folder)))
    try:
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        if not isinstance(notebook.get("cells"), list):
            raise ValueError("no list of cells")
    except (UnicodeDecodeError, ValueError, AttributeError, KeyError) as error:
        graded.note = f"not a notebook: {type(error).__name__}: {str(error)[:120]}"
        return graded
    lab = identify_lab(notebook, labs)
    if lab is None or lab not in labs:
        graded.note = "not a lab of this course: no title or check of a lab found"
        return graded
    graded.lab = lab
    if only_lab and lab != only_lab:
        graded.note = f"another lab: this is {labs[lab].title}, not {labs[only_lab].title}"
        return graded
    checks = labs[lab].checks
    with tempfile.TemporaryDirectory(prefix="grade-") as private:
        verdicts = Path(private) / "verdicts"  # never inside the folder the kernel works in
        verdicts.mkdir()
        # A random name for the grading function and the verdict files: code that runs before the check
        # cannot know them, so it cannot leave a verdict of its own for the grader to find.
        nonce = secrets.token_hex(8)
        where = redirect_checks(notebook, lab, checks, sources, verdicts, nonce)
        work = Path(private) / "work"
        work.mkdir()
        executed = report / "executed" / student / path.name
        executed.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "OMP_NUM_THREADS": "1",
               "PYTHONPATH": str(course_root() / "tests" / "startup")}  # the tests' network block
        job = Path(private) / "job.json"
        job.write_text(json.dumps({"notebook": notebook, "folder": str(work), "executed": str(executed),
                                   "env": env, "time_limit": time_limit}), encoding="utf-8")
        outcome = _run_worker(job, time_limit, memory_gb)
        for check in checks:
            graded.verdicts[check] = _verdict(where[check], verdicts / f"{check}-{nonce}.json", outcome)
    if outcome.get("stopped"):
        graded.note = f"stopped: {outcome['stopped']}"
    return graded


def _verdict(cell: int | None, file: Path, outcome: dict) -> tuple[str, str]:
    if cell is None:
        return "error", "check cell missing: the call to the check was deleted"
    if file.exists():
        status, message = json.loads(file.read_text(encoding="utf-8"))
        return (status, "" if status == "correct" else message)
    if str(cell) in outcome.get("errors", {}):
        return "error", outcome["errors"][str(cell)]
    if outcome.get("stopped"):
        return "error", outcome["stopped"]
    return "error", "the check cell did not run"


def grade_class(submissions: Path, report: Path, *, jobs: int | None = None, time_limit: float = 600,
                memory_gb: float = 4, only_lab: str | None = None) -> list[Graded]:
    """Grade every submission in ``submissions``; write ``grades.csv``, ``summary.md`` and executed copies."""
    root = course_root()
    submissions, report = Path(submissions).resolve(), Path(report).resolve()
    found, graded = find_submissions(submissions)
    _check_report_folder(submissions, report)
    labs, sources = course_labs(root), read_sources(root)
    if report.exists():
        shutil.rmtree(report)
    report.mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        results = pool.map(lambda item: grade_notebook(item[0], item[1], submissions, report, labs,
                                                       sources, time_limit, memory_gb, only_lab), found)
        graded += list(results)
    graded.sort(key=lambda g: (g.student, g.file))
    _mark_duplicates(graded)
    write_csv(graded, labs, report / "grades.csv")
    (report / "summary.md").write_text(summary(graded, labs), encoding="utf-8")
    return graded


REPORT_FILES = {"grades.csv", "summary.md", "executed"}


def _check_report_folder(submissions: Path, report: Path) -> None:
    """Refuse a report folder that would overwrite submissions or anything but an earlier report."""
    if report == submissions or submissions in report.parents or report in submissions.parents:
        raise ValueError(f"the report folder {report} and the submissions {submissions} must not overlap: "
                         "choose a report folder outside the submissions")
    if report.exists() and not {p.name for p in report.iterdir()} <= REPORT_FILES:
        raise ValueError(f"{report} holds files that are not an earlier report: choose another report folder")


def _mark_duplicates(graded: list[Graded]) -> None:
    by_student_lab = collections.defaultdict(list)
    for g in graded:
        if g.lab and g.verdicts:
            by_student_lab[g.student, g.lab].append(g)
    for (_, lab), copies in by_student_lab.items():
        if len(copies) > 1:
            best = max(copies, key=Graded.correct)
            for g in copies:
                g.counted = g is best
                counted = "counted in the summary" if g.counted else "not counted (another scores higher)"
                note = f"{len(copies)} submissions of lab {lab} from this student; this one is {counted}"
                g.note = "; ".join(filter(None, [g.note, note]))


def counted(graded: list[Graded]) -> list[Graded]:
    """The rows the summary counts: graded ones, one per student and lab (the best of duplicates)."""
    return [g for g in graded if g.verdicts and g.counted]


def write_csv(graded: list[Graded], labs: dict[str, Lab], path: Path) -> None:
    """One row per student and file: checks right, then per check its status and its message.

    The message is the hint of a ``not yet``, what is missing for ``no answer yet`` and the error of an
    ``error``; it is empty for ``correct``.
    """
    seen = sorted({g.lab for g in graded if g.lab in labs})
    checks = [(lab, check) for lab in seen for check in labs[lab].checks]
    header = ["student", "file", "lab", "correct", "note"]
    for lab, check in checks:
        header += [f"lab{lab}.{check}", f"lab{lab}.{check} hint"]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for g in graded:
            score = f"{g.correct()} of {len(g.verdicts)}" if g.verdicts else ""
            row = [g.student, g.file, g.lab, score, g.note]
            for lab, check in checks:
                status, hint = g.verdicts.get(check, ("", "")) if g.lab == lab else ("", "")
                row += [status, hint]
            writer.writerow(row)


def summary(graded: list[Graded], labs: dict[str, Lab]) -> str:
    """A markdown summary: per lab and exercise, how many got it right, and the hint most often given."""
    lines = ["# Grades", ""]
    rows = counted(graded)
    for lab in sorted({g.lab for g in rows}):
        students = [g for g in rows if g.lab == lab]
        lines += [f"## {labs[lab].title}: {len(students)} students", "",
                  "| exercise (check) | correct | not yet | no answer yet | error | most frequent hint |",
                  "|---|---|---|---|---|---|"]
        missed = []
        for check in labs[lab].checks:
            statuses = collections.Counter(g.verdicts[check][0] for g in students)
            hints = collections.Counter(g.verdicts[check][1] for g in students
                                        if g.verdicts[check][0] == "not yet")
            shown = ""
            if hints:
                hint, times = hints.most_common(1)[0]
                others = f", {len(hints) - 1} other hints" if len(hints) > 1 else ""
                shown = f"{hint[:120]} ({times}×{others})".replace("|", "/")
            share = statuses["correct"] / len(students)
            missed.append((share, check))
            name = f"{labs[lab].exercises.get(check) or check} (`{check}`)"
            lines.append(f"| {name} | {statuses['correct']} ({share:.0%}) | {statuses['not yet']} | "
                         f"{statuses['no answer yet']} | {statuses['error']} | {shown} |")
        share, check = min(missed)
        lines += ["", f"Most missed: {labs[lab].exercises.get(check) or check} ({share:.0%} correct).", ""]
    errors = [f"- {g.student}, `{g.file}`, `{check}`: {hint}" for g in graded
              for check, (status, hint) in g.verdicts.items() if status == "error"]
    if errors:
        lines += ["## Errors", ""] + errors + [""]
    problems = [g for g in graded if g.note]
    if problems:
        lines += ["## Notes", ""] + [f"- {g.student}, `{g.file}`: {g.note}" for g in problems] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course_utils.grading SUBMISSIONS [--report DIR] ...``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", nargs="?", type=Path, help="the folder of submitted notebooks")
    parser.add_argument("--report", type=Path, default=Path("grades"), help="where to write (replaced)")
    parser.add_argument("--lab", help="grade only this lab, e.g. 03; other labs get a line in the report")
    parser.add_argument("--jobs", type=int, help="notebooks run at once (default: the number of cores)")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds a notebook may run")
    parser.add_argument("--memory-limit", type=float, default=4, help="GiB a notebook's process may use")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        job_file = Path(args.worker)
        job = json.loads(job_file.read_text(encoding="utf-8"))
        job_file.unlink()  # it names the verdict files: gone before any student code runs
        print(json.dumps(worker(job)))
        return
    if args.submissions is None:
        parser.error("give the folder of submissions")
    started = time.monotonic()
    graded = grade_class(args.submissions, args.report, jobs=args.jobs, time_limit=args.time_limit,
                         memory_gb=args.memory_limit, only_lab=args.lab)
    print(f"{len(graded)} files graded in {time.monotonic() - started:.0f} s: "
          f"{args.report / 'grades.csv'}, {args.report / 'summary.md'}, executed copies in "
          f"{args.report / 'executed'}")


if __name__ == "__main__":
    main()
