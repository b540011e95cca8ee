"""`make grade`: a class of generated Lab 00 submissions, graded and checked cell by cell.

The fast tests (no kernel) run in make test. Grading the class runs real kernels, about 40 s on 2 cores:
it is marked ``grade`` and runs in make test-grade, which CI runs after make test.
"""

import copy
import csv
import hashlib
import json
from pathlib import Path

import pytest

from course_utils import grading

REPO = Path(__file__).resolve().parent.parent
LAB00 = json.loads((REPO / "notebooks" / "00_rnn_intro.ipynb").read_text(encoding="utf-8"))
LAB01 = json.loads((REPO / "notebooks" / "01_rnn_basics.ipynb").read_text(encoding="utf-8"))
CHECKS = ["check_relu_rnn", "check_relu_prediction", "check_same_state_as_hello"]

RELU = '''def rnn_step_relu(x_t, h_prev, W_x, W_h, b_x, b_h):
    return torch.relu(x_t @ W_x.T + b_x + h_prev @ W_h.T + b_h)


def rnn_forward_relu(x, W_x, W_h, b_x, b_h):
    h = torch.zeros(x.shape[0], W_h.shape[0], device=x.device)
    outputs = []
    for t in range(x.shape[1]):
        h = rnn_step_relu(x[:, t], h, W_x, W_h, b_x, b_h)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h


lab00.check_relu_rnn(rnn_forward_relu)'''
RIGHT = {
    "check_relu_rnn": RELU,
    "check_relu_prediction": "relu_largest_prediction = 4 * (1.5**50 - 1)\n"
                             "lab00.check_relu_prediction(relu_largest_prediction)",
    "check_same_state_as_hello": 'same_state_as_hello = ["lo", "ello", "loo"]\n'
                                 "lab00.check_same_state_as_hello(same_state_as_hello)",
}
WRONG = {  # typical mistakes: tanh kept, linear growth instead of exponential, one word only
    "check_relu_rnn": RELU.replace("torch.relu(", "torch.tanh("),
    "check_relu_prediction": "relu_largest_prediction = 1.5 * 50\n"
                             "lab00.check_relu_prediction(relu_largest_prediction)",
    "check_same_state_as_hello": 'same_state_as_hello = ["oh"]\n'
                                 "lab00.check_same_state_as_hello(same_state_as_hello)",
}


def check_cell(notebook: dict, check: str) -> int:
    return next(i for i, c in enumerate(notebook["cells"]) if f"lab00.{check}(" in "".join(c["source"]))


def submission(answers: dict[str, str], *, before_exercises: str | None = None,
               drop: str | None = None) -> dict:
    """Lab 00 with the given exercise cells answered; optional code run before the exercises."""
    notebook = copy.deepcopy(LAB00)
    for check, source in answers.items():
        notebook["cells"][check_cell(notebook, check)]["source"] = source
    if before_exercises is not None:
        first = check_cell(notebook, CHECKS[0])
        added = {"cell_type": "code", "id": "added", "execution_count": None, "metadata": {}, "outputs": [],
                 "source": before_exercises}
        notebook["cells"].insert(first, added)
    if drop:
        del notebook["cells"][check_cell(notebook, drop)]
    return notebook


def write(path: Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")


def stored_output_says_correct() -> dict:
    """The empty template, with every check cell's stored output edited to a green verdict."""
    notebook = submission({})
    for check in CHECKS:
        notebook["cells"][check_cell(notebook, check)]["outputs"] = [
            {"output_type": "execute_result", "execution_count": 1, "metadata": {},
             "data": {"text/plain": "✅ Correct: edited by hand"}}]
    return notebook


CHEATS = {
    "redefines_the_check": (
        "from course_utils.exercises.checking import correct\n"
        "lab00.check_relu_rnn = lambda answer: correct('fooled')\n"
        "lab00.check_relu_prediction = lambda answer: correct('fooled')"),
    "patches_checkresult": (
        "from course_utils.exercises import checking\n"
        "checking.not_yet = checking.correct\n"
        "checking.CheckResult.__bool__ = lambda self: True\n"
        "checking.CheckResult.status = property(lambda self: 'correct', lambda self, value: None)"),
    "rewrites_the_check_module": (
        "import course_utils.exercises.lab00 as checks, sys\n"
        "sys.modules['course_utils.exercises.lab00'] = type(sys)('fake')\n"
        "sys.modules['course_utils.exercises.lab00'].check_relu_rnn = lambda a: checks.correct('fooled')\n"
        "print('✅ Correct: fooled')"),
}


# An answer that, when the check calls it, writes "correct" verdicts into the folders around the kernel's
# working folder (where the grader keeps its verdicts), then ends the kernel before the grader can write.
FAKE_VERDICTS = '''import os


def rnn_forward_relu(x, W_x, W_h, b_x, b_h):
    above = os.path.dirname(os.getcwd())
    for folder in [above] + [os.path.join(above, name) for name in os.listdir(above)]:
        for check in ("check_relu_rnn", "check_relu_prediction", "check_same_state_as_hello"):
            try:
                with open(os.path.join(folder, check + ".json"), "w") as file:
                    file.write('["correct", ""]')
            except OSError:
                pass
    os._exit(0)


lab00.check_relu_rnn(rnn_forward_relu)'''


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class") / "submissions"
    write(folder / "kim.ipynb", submission(RIGHT))
    write(folder / "lee.ipynb", submission({}))                                 # empty: no answers
    write(folder / "park.ipynb", submission(WRONG))
    write(folder / "choi.ipynb", submission({**RIGHT, "check_relu_prediction": "relu_largest_prediction = (\n"
                                                                               "lab00.check_relu_prediction(1)"}))
    write(folder / "jung.ipynb", submission(RIGHT, before_exercises="while True:\n    pass"))
    write(folder / "kang.ipynb", submission(RIGHT, before_exercises="print('x' * 100_000_000)"))
    write(folder / "yoon.ipynb", submission(RIGHT, drop="check_same_state_as_hello"))
    memory_hog = "hog = bytearray(3 * 2**30)\n" + RELU                          # over the 2 GiB limit below
    write(folder / "ahn.ipynb", submission({**RIGHT, "check_relu_rnn": memory_hog}))
    write(folder / "han" / "my_homework.ipynb", submission(RIGHT))                # renamed, in a folder
    write(folder / "lim" / "00_rnn_intro.ipynb", submission({}))                 # two submissions
    write(folder / "lim" / "00_rnn_intro_final.ipynb", submission(RIGHT))
    write(folder / "seo.ipynb", LAB01)                                           # another lab
    (folder / "song.ipynb").write_text(json.dumps(submission(RIGHT))[:5000], encoding="utf-8")  # truncated
    (folder / "lim" / "notes.txt").write_text("my notes", encoding="utf-8")
    write(folder / "cheat_stored.ipynb", stored_output_says_correct())
    for name, code in CHEATS.items():
        write(folder / f"cheat_{name}.ipynb", submission(WRONG, before_exercises=code))
    write(folder / "cheat_fake_verdicts.ipynb", submission({**WRONG, "check_relu_rnn": FAKE_VERDICTS}))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}
    report = folder.parent / "report"
    grading.grade_class(folder, report, jobs=2, time_limit=30, memory_gb=2, only_lab="00")
    with (report / "grades.csv").open(encoding="utf-8") as file:
        rows = {(row["student"], row["file"]): row for row in csv.DictReader(file)}
    return folder, report, rows, before


def statuses(row: dict) -> list[str]:
    return [row[f"lab00.{check}"] for check in CHECKS]


@pytest.mark.grade
def test_correct_wrong_and_empty_answers(graded_class):
    _, _, rows, _ = graded_class
    assert statuses(rows["kim", "kim.ipynb"]) == ["correct"] * 3
    assert statuses(rows["park", "park.ipynb"]) == ["not yet"] * 3
    assert statuses(rows["lee", "lee.ipynb"]) == ["no answer yet"] * 3
    hints = [rows["park", "park.ipynb"][f"lab00.{check} hint"] for check in CHECKS]
    assert all(hints) and "tanh" in hints[0], f"a wrong answer gets its check's hint: {hints}"
    assert rows["kim", "kim.ipynb"]["lab00.check_relu_rnn hint"] == ""
    assert [rows[name, f"{name}.ipynb"]["correct"] for name in ("kim", "park", "lee")] == [
        "3 of 3", "0 of 3", "0 of 3"]


@pytest.mark.grade
def test_broken_submissions_get_a_clear_line(graded_class):
    _, _, rows, _ = graded_class
    syntax = rows["choi", "choi.ipynb"]
    assert statuses(syntax) == ["correct", "error", "correct"]
    assert syntax["lab00.check_relu_prediction hint"].startswith("SyntaxError: ")
    assert "(line 2)" in syntax["lab00.check_relu_prediction hint"], "the line in the student's own cell"
    loop = rows["jung", "jung.ipynb"]
    assert statuses(loop) == ["error"] * 3 and loop["note"] == "stopped: time limit"
    assert loop["lab00.check_relu_rnn hint"] == "time limit"
    printed = rows["kang", "kang.ipynb"]
    assert statuses(printed) == ["correct"] * 3, "a cell that prints 100 MB is cut, and grading goes on"
    hog = rows["ahn", "ahn.ipynb"]
    assert statuses(hog) == ["error", "correct", "correct"], "3 GiB is over the 2 GiB memory limit"
    assert hog["lab00.check_relu_rnn hint"].startswith("MemoryError")
    deleted = rows["yoon", "yoon.ipynb"]
    assert statuses(deleted) == ["correct", "correct", "error"]
    assert "check cell missing" in deleted["lab00.check_same_state_as_hello hint"]
    assert rows["song", "song.ipynb"]["note"].startswith("not a notebook")
    assert rows["lim", "lim/notes.txt"]["note"] == "ignored: not a notebook"
    assert rows["seo", "seo.ipynb"]["note"].startswith("another lab: this is Lab 11-1")


@pytest.mark.grade
def test_a_renamed_file_and_two_submissions_from_one_student(graded_class):
    _, report, rows, _ = graded_class
    assert statuses(rows["han", "han/my_homework.ipynb"]) == ["correct"] * 3
    first, final = rows["lim", "lim/00_rnn_intro.ipynb"], rows["lim", "lim/00_rnn_intro_final.ipynb"]
    assert "not counted" in first["note"] and "counted in the summary" in final["note"]
    summary = (report / "summary.md").read_text(encoding="utf-8")
    # counted: kim, lee, park, choi, jung, kang, yoon, ahn, han, lim (final), 5 cheats
    assert "Lab 11-0 · RNN intro: 15 students" in summary


@pytest.mark.grade
def test_cheating_does_not_get_a_green_verdict(graded_class):
    _, _, rows, _ = graded_class
    assert statuses(rows["cheat_stored", "cheat_stored.ipynb"]) == ["no answer yet"] * 3
    for name in CHEATS:
        row = rows[f"cheat_{name}", f"cheat_{name}.ipynb"]
        assert "correct" not in statuses(row), f"{name}: {statuses(row)}"
    fake = rows["cheat_fake_verdicts", "cheat_fake_verdicts.ipynb"]
    assert statuses(fake) == ["error"] * 3 and fake["note"].startswith("stopped: kernel died"), fake


@pytest.mark.grade
def test_submissions_are_unchanged_and_executed_copies_are_kept(graded_class):
    folder, report, _, before = graded_class
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}
    assert after == before, "grading changed a submitted file"
    executed = json.loads((report / "executed" / "kim" / "kim.ipynb").read_text(encoding="utf-8"))
    submitted = json.loads((folder / "kim.ipynb").read_text(encoding="utf-8"))
    assert len(executed["cells"]) == len(submitted["cells"]), "the student's cells, none added"
    cell = executed["cells"][check_cell(submitted, "check_relu_rnn")]
    assert "".join(cell["source"]).endswith("lab00.check_relu_rnn(rnn_forward_relu)"), "as written"
    shown = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])
    assert "✅ Correct" in shown, "with the verdict it got"


@pytest.mark.grade
def test_the_summary_names_the_most_missed_exercise_and_its_hint(graded_class):
    _, report, _, _ = graded_class
    summary = (report / "summary.md").read_text(encoding="utf-8")
    assert "| exercise (check) | correct | not yet | no answer yet | error | most frequent hint |" in summary
    assert "| Exercise 1 · A ReLU RNN (`check_relu_rnn`) |" in summary
    assert "Most missed: Exercise" in summary
    assert "- choi, `choi.ipynb`, `check_relu_prediction`: SyntaxError" in summary, "errors listed by name"


# ---------------------------------------------------------------- fast tests, no kernel


def test_the_labs_and_their_checks_come_from_the_course():
    labs = grading.course_labs(REPO)
    assert labs["00"].checks == CHECKS
    assert labs["03"].title.startswith("Lab 11-3")


def test_a_lab_is_known_by_its_content_not_its_file_name():
    labs = grading.course_labs(REPO)
    assert grading.identify_lab(LAB00, labs) == "00"
    untitled = copy.deepcopy(LAB00)
    untitled["cells"][0]["source"] = "# My homework"
    assert grading.identify_lab(untitled, labs) == "00", "found by its check calls"
    assert grading.identify_lab({"cells": []}, labs) is None


def test_check_calls_are_redirected_and_stored_outputs_dropped(tmp_path):
    notebook = json.loads(json.dumps(stored_output_says_correct()))
    for cell in notebook["cells"]:
        cell["source"] = "".join(cell["source"])
    where = grading.redirect_checks(notebook, "00", CHECKS + ["check_gone"], {}, tmp_path, "abc")
    assert where["check_gone"] is None
    for check in CHECKS:
        cell = notebook["cells"][where[check]]
        assert f'_grade_abc("{check}", ' in cell["source"] and f"lab00.{check}(" not in cell["source"]
        assert cell["outputs"] == []
        assert notebook["cells"][where[check] - 1]["metadata"] == {"grader": True}, "the function's cell"


def test_layouts_files_and_folders(tmp_path):
    write(tmp_path / "kim.ipynb", LAB00)
    write(tmp_path / "lee" / "lab.ipynb", LAB00)
    (tmp_path / "lee" / "photo.png").write_bytes(b"png")
    (tmp_path / "readme.txt").write_text("x", encoding="utf-8")
    found, other = grading.find_submissions(tmp_path)
    assert [(student, path.name) for student, path in found] == [("kim", "kim.ipynb"),
                                                                  ("lee", "lab.ipynb")]
    ignored = "ignored: not a notebook"
    assert [(g.student, g.file, g.note) for g in other] == [("lee", "lee/photo.png", ignored),
                                                             ("readme", "readme.txt", ignored)]
    with pytest.raises(FileNotFoundError, match="no folder of submissions"):
        grading.find_submissions(tmp_path / "missing")


def test_a_report_folder_never_overwrites_submissions(tmp_path):
    folder = tmp_path / "submissions"
    write(folder / "kim.ipynb", LAB00)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    for report in (folder, folder / "grades", tmp_path, tmp_path / "mine"):
        with pytest.raises(ValueError, match="must not overlap|not an earlier report"):
            grading.grade_class(folder, report)
    assert (folder / "kim.ipynb").exists() and (tmp_path / "mine" / "notes.txt").exists()
