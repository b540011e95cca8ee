"""The Korean edition: ``notebooks/ko/`` generated from the English notebooks and gettext catalogs.

Every English lab and solutions notebook has a catalog beside its Korean copy
(``notebooks/ko/04_time_series.po``, ``notebooks/ko/solutions/04_time_series.po``),
with one entry per markdown cell: the English cell is the ``msgid``, its Korean
translation the ``msgstr``. The Korean notebook is the English one with each
markdown cell replaced by its translation; its code cells and stored outputs
are the English notebook's, so it shows exactly what was run and tested. Only
two things change on the way:

- a cell with ``set_language("ko")`` comes before the first code cell, so that
  the self-checks answer in Korean; the check verdicts stored in the outputs
  are shown in Korean from the template and values kept in their metadata,
  with the checks' catalog ``course_utils/locale/ko.po``;
- links that leave ``notebooks/`` (images, the README) get one more ``../``,
  because the Korean notebooks sit one folder deeper.

``python -m course_utils.korean_edition`` (``make korean``) merges every
catalog with its English notebook, as gettext's ``msgmerge`` does (a cell whose
English changed keeps its old translation, marked fuzzy, with the old English
beside it), and regenerates ``notebooks/ko/``. ``--check`` changes nothing and
lists what is out of date; the tests compare :func:`updates` with the files.
"""

import argparse
import ast
import difflib
import os
import re
from pathlib import Path

import nbformat
import polib

from course_utils.exercises.checking import CHECK_METADATA, CheckResult, Message, plain_template
from course_utils.language import catalog_path as check_catalog_path
from course_utils.paths import course_root, numbered_notebooks

LANGUAGE = "ko"
#: A fuzzy translation is offered for a changed cell when its old English is at least this similar
#: (difflib's ratio), as msgmerge offers one for a close enough old message.
FUZZY_SIMILARITY = 0.6
_HEADER = {
    "Project-Id-Version": "RNNs with PyTorch",
    "Language": LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def english_notebooks(root: Path | None = None) -> list[Path]:
    """The English lab and solutions notebooks, relative to ``notebooks/``, in course order."""
    notebooks = (root or course_root()) / "notebooks"
    found = numbered_notebooks(notebooks) + numbered_notebooks(notebooks / "solutions")
    return [path.relative_to(notebooks) for path in found]


def catalog_path(notebook: Path, root: Path | None = None) -> Path:
    """Where the catalog of ``notebook`` (relative to ``notebooks/``) lives."""
    return (root or course_root()) / "notebooks" / LANGUAGE / notebook.with_suffix(".po")


def korean_notebook_path(notebook: Path, root: Path | None = None) -> Path:
    """Where the Korean copy of ``notebook`` (relative to ``notebooks/``) lives."""
    return (root or course_root()) / "notebooks" / LANGUAGE / notebook


_RUN_TIME_EN = re.compile(r"(\*\*Run time:\*\* about )(\d+)( seconds)")
_RUN_TIME_KO = re.compile(r"(약 )(\d+)(초)")


def _only_run_time_changed(old_english: str, new_english: str) -> str | None:
    """The new run time when the two texts differ in nothing else (make run-times rewrites it)."""
    new_time = _RUN_TIME_EN.search(new_english)
    if new_time and _RUN_TIME_EN.sub(r"\1N\3", old_english) == _RUN_TIME_EN.sub(r"\1N\3", new_english):
        return new_time.group(2)
    return None


def merge(entries: list[polib.POEntry], old: polib.POFile | None) -> polib.POFile:
    """A catalog of ``entries`` (English, no translation yet) that keeps what ``old`` translated.

    This is what gettext's ``msgmerge`` does. An English text found unchanged in
    ``old`` keeps its translation. A changed one gets the translation of the
    most similar old English text, marked fuzzy with that old text as
    ``previous_msgid``, so a translator sees what changed; a new one gets an
    empty translation. One exception: a title whose only change is the run time
    that ``make run-times`` measured gets the new number in its translation too.

    Args:
        entries: One entry per English text, in the order the catalog lists them.
        old: The current catalog, or ``None`` when there is none yet.

    Returns:
        The merged catalog.
    """
    old_entries = {entry.msgid: entry for entry in old or [] if not entry.obsolete}
    merged = polib.POFile(wrapwidth=0)
    merged.metadata = dict(_HEADER)
    for entry in entries:
        if entry.msgid in old_entries:
            kept = old_entries[entry.msgid]
            entry.msgstr, entry.flags = kept.msgstr, list(kept.flags)
            entry.previous_msgid = kept.previous_msgid if "fuzzy" in kept.flags else None
        else:
            closest = difflib.get_close_matches(entry.msgid, list(old_entries), n=1, cutoff=FUZZY_SIMILARITY)
            if closest and old_entries[closest[0]].msgstr:
                before = old_entries[closest[0]]
                run_time = _only_run_time_changed(before.msgid, entry.msgid)
                if run_time is not None and "fuzzy" not in before.flags:
                    entry.msgstr = _RUN_TIME_KO.sub(rf"\g<1>{run_time}\3", before.msgstr, count=1)
                else:
                    entry.msgstr, entry.flags, entry.previous_msgid = before.msgstr, ["fuzzy"], before.msgid
        merged.append(entry)
    return merged


def notebook_entries(notebook: Path, root: Path | None = None) -> list[polib.POEntry]:
    """One catalog entry per distinct markdown cell of ``notebook`` (relative to ``notebooks/``)."""
    english = nbformat.read((root or course_root()) / "notebooks" / notebook, as_version=4)
    by_source: dict[str, polib.POEntry] = {}
    for cell in english.cells:
        if cell.cell_type != "markdown":
            continue
        where = (notebook.as_posix(), cell.id)
        if cell.source in by_source:  # the same English twice: one entry, both places
            by_source[cell.source].occurrences.append(where)
        else:
            by_source[cell.source] = polib.POEntry(msgid=cell.source, msgstr="", occurrences=[where])
    return list(by_source.values())


#: The functions whose first argument is a sentence of a check (see ``course_utils.exercises.checking``).
SENTENCE_FUNCTIONS = {"message", "correct", "not_yet", "no_answer_yet", "Hint", "NoAnswerYet"}


def check_sentence_entries(root: Path | None = None) -> list[polib.POEntry]:
    """One catalog entry per distinct sentence of the exercise checks, read from their source code.

    A sentence is the literal first argument of a call of :data:`SENTENCE_FUNCTIONS`,
    with its places numbered ``{0}``, ``{1}`` ... as :func:`message` shows
    them; a comment tells the translator what fills each place.
    """
    folder = (root or course_root()) / "course_utils" / "exercises"
    by_template: dict[str, polib.POEntry] = {}
    for path in sorted(folder.glob("*.py")):
        calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Call) and node.args
                 and getattr(node.func, "id", getattr(node.func, "attr", None)) in SENTENCE_FUNCTIONS
                 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]
        for call in sorted(calls, key=lambda node: node.lineno):
            template, places = plain_template(call.args[0].value)
            where = (f"course_utils/exercises/{path.name}", "")  # no line number: it moves with every edit
            if template in by_template:
                if where not in by_template[template].occurrences:
                    by_template[template].occurrences.append(where)
                continue
            filled = [f"{{{place}}} = {ast.unparse(call.args[1 + index])}"
                      for place, (index, _, _) in enumerate(places) if 1 + index < len(call.args)]
            by_template[template] = polib.POEntry(msgid=template, msgstr="", occurrences=[where],
                                                  comment="; ".join(filled))
    return list(by_template.values())


def untranslated(catalog: polib.POFile) -> list[polib.POEntry]:
    """Entries with no translation, or a fuzzy one (which a translator must still confirm)."""
    return [entry for entry in catalog if not entry.obsolete and (not entry.msgstr or "fuzzy" in entry.flags)]


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$\n]+?(?<!\\)\$", re.DOTALL)  # a dollar amount is \$100
# A link or image target, in markdown (group 2) or in an HTML attribute (group 5), with what surrounds it.
_LINK = re.compile(r"(\]\()([^)\s]+)(\))|((?:src|href)=\")([^\"]+)(\")")
_HTML_TAG = re.compile(r"</?(?:details|summary|br|img|b|i|sub|sup|table|tr|td|th)\b[^>]*>")
_HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)


def structure_problems(english: str, korean: str) -> list[str]:
    """What a translation of one markdown cell changed that it must keep as in the English.

    Code spans, formulas, link and image targets, HTML tags (``<details>``)
    and heading levels are not translated: a translation that drops or alters
    one would break a link, a formula or the page's outline.

    Returns:
        One sentence per difference; empty when the structure is kept.
    """
    problems = []
    checks = {
        "code spans": lambda text: sorted(match.group(0) for match in _CODE_SPAN.finditer(text)),
        "formulas": lambda text: sorted(_MATH.findall(_CODE_SPAN.sub("", text))),
        "link targets": lambda text: sorted(link.group(2) or link.group(5) for link in _LINK.finditer(text)),
        "HTML tags": lambda text: sorted(_HTML_TAG.findall(text)),
        "headings": lambda text: _HEADING.findall(text),
    }
    for what, found in checks.items():
        expected, got = found(english), found(korean)
        if expected != got:
            missing = [item for item in expected if item not in got]
            extra = [item for item in got if item not in expected]
            problems.append(f"{what} differ: missing {missing}, unexpected {extra}")
    return problems


#: The cell the Korean notebooks gain before their first code cell.
LANGUAGE_CELL = (
    "from course_utils import set_language\n\n"
    "set_language(\"ko\")  # 자가 점검이 한국어로 답합니다"
)


def _relinked(markdown: str, notebook: Path) -> str:
    """``markdown`` of ``notebook`` with its links fixed for the Korean copy, one folder deeper.

    A link to another notebook stays as it is (its Korean copy sits at the
    same place in ``notebooks/ko/``); a link out of ``notebooks/`` (an image,
    ``data/README.md``) gets one more ``../``, and the README becomes ``README.ko.md``.
    """
    english_folder = Path("notebooks") / notebook.parent
    korean_folder = Path("notebooks") / LANGUAGE / notebook.parent

    def relinked(match: re.Match) -> str:
        before, target, after = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
            match.group(4), match.group(5), match.group(6))
        if re.match(r"[a-z]+:|#|/", target):  # a web address, an anchor on the page, an absolute path
            return match.group(0)
        path, hash_sign, anchor = target.partition("#")
        resolved = Path(os.path.normpath(english_folder / path))
        if resolved.parts[0] == "notebooks":
            return match.group(0)
        if resolved == Path("README.md"):
            resolved = Path("README.ko.md")
        return before + os.path.relpath(resolved, korean_folder) + hash_sign + anchor + after

    return _LINK.sub(relinked, markdown)


def _korean_verdict(output: nbformat.NotebookNode) -> None:
    """Show a stored check verdict in Korean, from the template and values kept in its metadata."""
    stored = output.get("metadata", {}).get(CHECK_METADATA)
    if stored:
        verdict = CheckResult(stored["status"], Message.from_json(stored))
        output.data["text/plain"] = verdict.in_language(LANGUAGE)


def korean_notebook(notebook: Path, catalog: polib.POFile, root: Path | None = None) -> nbformat.NotebookNode:
    """The Korean copy of ``notebook`` (relative to ``notebooks/``), translated with ``catalog``.

    Markdown cells are replaced by their confirmed translations (a cell with
    none, or a fuzzy one, stays English: the tests fail on it). Code cells and
    outputs are the English notebook's, with two changes: :data:`LANGUAGE_CELL`
    comes before the first code cell (execution counts move up by one), and
    stored check verdicts are shown in Korean.
    """
    korean = nbformat.read((root or course_root()) / "notebooks" / notebook, as_version=4)
    translations = {entry.msgid: entry.msgstr for entry in catalog.translated_entries()}
    for cell in korean.cells:
        if cell.cell_type == "markdown":
            cell.source = _relinked(translations.get(cell.source, cell.source), notebook)
        elif cell.cell_type == "code":
            cell.execution_count = cell.execution_count and cell.execution_count + 1
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = output.execution_count and output.execution_count + 1
                _korean_verdict(output)
    first_code = next(index for index, cell in enumerate(korean.cells) if cell.cell_type == "code")
    language_cell = nbformat.v4.new_code_cell(LANGUAGE_CELL, id="korean-edition", execution_count=1)
    korean.cells.insert(first_code, language_cell)
    return korean


def _read_catalog(path: Path) -> polib.POFile | None:
    return polib.pofile(str(path), wrapwidth=0) if path.exists() else None


def updates(root: Path | None = None) -> dict[Path, str]:
    """Every file of the Korean edition as merging and regenerating would write it: path -> text.

    The catalogs of the notebooks and of the checks' sentences (merged with
    what they hold), and the Korean notebooks.
    """
    root = root or course_root()
    files: dict[Path, str] = {}
    for notebook in english_notebooks(root):
        path = catalog_path(notebook, root)
        catalog = merge(notebook_entries(notebook, root), _read_catalog(path))
        files[path] = str(catalog)
        korean = korean_notebook(notebook, catalog, root)
        files[korean_notebook_path(notebook, root)] = nbformat.writes(korean) + "\n"
    checks = check_catalog_path(LANGUAGE)
    files[checks] = str(merge(check_sentence_entries(root), _read_catalog(checks)))
    return files


def main(argv: list[str] | None = None) -> int:
    """``python -m course_utils.korean_edition [--check]``: update the Korean edition, or list stale files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is stale")
    arguments = parser.parse_args(argv)
    root = course_root()
    wanted = updates(root)
    stale = [path for path, text in wanted.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    for path in stale:
        if not arguments.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted[path], encoding="utf-8")
        print(f"{'out of date' if arguments.check else 'updated'}: {path.relative_to(root)}")
    for path in sorted((root / "notebooks" / LANGUAGE).rglob("*.po")) + [check_catalog_path(LANGUAGE)]:
        catalog = _read_catalog(path)
        todo = untranslated(catalog) if catalog else []
        if todo:
            print(f"{path.relative_to(root)}: {len(todo)} to translate or confirm (fuzzy)")
    return 1 if arguments.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
