"""The Korean edition: every cell translated, nothing stale, and the self-checks answering in Korean.

The drift tests fail, naming the notebook and the cell, when an English markdown cell has no
translation or a fuzzy one, or when a file in notebooks/ko/ is not what make korean would write.
"""

import re
from pathlib import Path

import nbformat
import polib
import pytest
import run_times

from course_utils import korean_edition as edition
from course_utils import set_language
from course_utils.exercises import lab00, lab01
from course_utils.exercises.checking import CHECK_METADATA, CheckResult, Message, message, not_yet
from course_utils.language import current_language, translate

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = edition.english_notebooks(REPO)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves the checks speaking English, as a fresh kernel does."""
    yield
    set_language("en")


def catalog_of(notebook: Path) -> polib.POFile:
    return polib.pofile(str(edition.catalog_path(notebook, REPO)), wrapwidth=0)


def cells_of(entry: polib.POEntry) -> str:
    """Where an entry's English comes from: ``04_time_series.ipynb:cell-05`` (and any other place)."""
    return ", ".join(":".join(filter(None, place)) for place in entry.occurrences)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_every_markdown_cell_has_a_confirmed_translation(notebook):
    assert edition.catalog_path(notebook, REPO).exists(), f"no catalog for {notebook}: run make korean"
    catalog = edition.merge(edition.notebook_entries(notebook, REPO), catalog_of(notebook))
    todo = [(cells_of(entry), "fuzzy" if entry.msgstr else "not translated")
            for entry in edition.untranslated(catalog)]
    catalog_file = edition.catalog_path(notebook, REPO).relative_to(REPO)
    assert not todo, f"{notebook}: cells {todo} need a translation in {catalog_file}"


def test_the_korean_edition_is_what_make_korean_writes():
    stale = [str(path.relative_to(REPO)) for path, text in edition.updates(REPO).items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"out of date (an English cell, output or check changed): {stale}; run make korean"


def test_nothing_in_notebooks_ko_that_the_english_does_not_have():
    expected = {edition.korean_notebook_path(n, REPO) for n in NOTEBOOKS}
    expected |= {edition.catalog_path(n, REPO) for n in NOTEBOOKS}
    found = {p for p in (REPO / "notebooks" / "ko").rglob("*") if p.suffix in (".ipynb", ".po")}
    assert found - expected == set(), "a Korean notebook or catalog whose English notebook is gone"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_translations_keep_code_formulas_links_tags_and_headings(notebook):
    problems = [f"{cells_of(entry)}: {problem}" for entry in catalog_of(notebook) if entry.msgstr
                for problem in edition.structure_problems(entry.msgid, entry.msgstr)]
    assert not problems, f"{notebook}: {problems}"


def glossary() -> list[tuple[str, list[str], list[str]]]:
    """(English, Korean terms, rejected words) for each row of notebooks/ko/GLOSSARY.md."""
    rows = []
    for line in (REPO / "notebooks" / "ko" / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "---"):
            split = lambda text: [word.strip() for word in text.split(",") if word.strip()]  # noqa: E731
            rows.append((cells[0], split(cells[1].replace(" / ", ", ")), split(cells[2])))
    return rows


def test_the_glossary_is_read():
    rows = glossary()
    assert len(rows) > 50
    assert ("hidden state", ["은닉 상태"], ["숨은 상태", "히든 상태", "은닉 스테이트"]) in rows


def korean_texts() -> list[tuple[str, str]]:
    """(where, Korean text) for every translated cell and check sentence, and for README.ko.md."""
    texts = [(cells_of(e), e.msgstr) for n in NOTEBOOKS for e in catalog_of(n)]
    checks = polib.pofile(str(edition.check_catalog_path("ko")), wrapwidth=0)
    readme = ("README.ko.md", (REPO / "README.ko.md").read_text(encoding="utf-8"))
    return texts + [(f"check sentence {e.msgid[:40]!r}", e.msgstr) for e in checks] + [readme]


def test_no_translation_uses_a_word_the_glossary_rejects():
    rejected = {word: english for english, _, words in glossary() for word in words}
    # a word, not the end of a longer one: 크로스 엔트로피 holds 로스 (loss)
    as_word = {word: re.compile(r"(?<![\uac00-\ud7a3])" + re.escape(word)) for word in rejected}
    found = [f"{where}: {word!r} (the glossary says {english!r})"
             for where, text in korean_texts() for word, english in rejected.items()
             if as_word[word].search(text)]
    assert not found, found


def test_changing_one_english_sentence_makes_its_translation_fuzzy():
    old = polib.POFile()
    old.append(polib.POEntry(msgid="The loss falls.", msgstr="손실이 줄어듭니다."))
    old.append(polib.POEntry(msgid="Unchanged.", msgstr="그대로입니다."))
    new_entries = [polib.POEntry(msgid="The loss falls fast."), polib.POEntry(msgid="Unchanged."),
                   polib.POEntry(msgid="A brand new cell about something else entirely.")]
    merged = {entry.msgid: entry for entry in edition.merge(new_entries, old)}
    changed = merged["The loss falls fast."]
    assert changed.msgstr == "손실이 줄어듭니다." and "fuzzy" in changed.flags
    assert changed.previous_msgid == "The loss falls."
    assert merged["Unchanged."].msgstr == "그대로입니다." and not merged["Unchanged."].flags
    assert merged["A brand new cell about something else entirely."].msgstr == ""
    assert len(edition.untranslated(edition.merge(new_entries, old))) == 2


def test_a_new_run_time_moves_into_the_translation_without_a_translator():
    old = polib.POFile()
    old.append(polib.POEntry(msgid="# Lab\n\n**Run time:** about 20 seconds on 2 CPU cores.",
                             msgstr="# Lab\n\n**실행 시간:** CPU 코어 2개에서 약 20초."))
    new = polib.POEntry(msgid="# Lab\n\n**Run time:** about 15 seconds on 2 CPU cores.")
    merged = edition.merge([new], old)
    assert merged[0].msgstr == "# Lab\n\n**실행 시간:** CPU 코어 2개에서 약 15초." and not merged[0].flags


def test_links_out_of_notebooks_get_one_more_level():
    lab, solution = Path("04_time_series.ipynb"), Path("solutions/04_time_series.ipynb")
    assert edition._relinked("![a](../image/x.png)", lab) == "![a](../../image/x.png)"
    assert edition._relinked("[b](../../image/x.png)", solution) == "[b](../../../image/x.png)"
    assert edition._relinked("[home](../README.md#labs)", lab) == "[home](../../README.ko.md#labs)"
    assert edition._relinked("[next](05_seq2seq.ipynb) [s](solutions/04_time_series.ipynb)", lab) == (
        "[next](05_seq2seq.ipynb) [s](solutions/04_time_series.ipynb)")
    assert edition._relinked('<img src="../image/x.png"> [w](https://pytorch.org)', lab) == (
        '<img src="../../image/x.png"> [w](https://pytorch.org)')


def test_a_korean_notebook_keeps_the_english_code_and_outputs():
    notebook = Path("00_rnn_intro.ipynb")
    english = nbformat.read(REPO / "notebooks" / notebook, as_version=4)
    korean = nbformat.read(edition.korean_notebook_path(notebook, REPO), as_version=4)
    code = lambda nb: [c for c in nb.cells if c.cell_type == "code"]  # noqa: E731
    assert code(korean)[0].source == edition.LANGUAGE_CELL
    assert [c.source for c in code(korean)[1:]] == [c.source for c in code(english)]
    counts = [1] + [c.execution_count + 1 for c in code(english)]
    assert [c.execution_count for c in code(korean)] == counts
    for en, ko in zip(code(english), code(korean)[1:], strict=True):
        for en_output, ko_output in zip(en.outputs, ko.outputs, strict=True):
            if CHECK_METADATA not in en_output.get("metadata", {}):
                assert {k: v for k, v in ko_output.items() if k != "execution_count"} == (
                    {k: v for k, v in en_output.items() if k != "execution_count"})


def test_stored_verdicts_are_shown_in_korean():
    verdicts = [output for notebook in NOTEBOOKS
                for cell in nbformat.read(edition.korean_notebook_path(notebook, REPO), as_version=4).cells
                if cell.cell_type == "code" for output in cell.outputs
                if CHECK_METADATA in output.get("metadata", {})]
    check_cells = [cell for notebook in NOTEBOOKS
                   for cell in nbformat.read(REPO / "notebooks" / notebook, as_version=4).cells
                   if cell.cell_type == "code" and re.search(r"lab\d\d\.check_\w+\(", cell.source)]
    assert len(check_cells) > 60 and len(verdicts) == len(check_cells), (
        "a check cell's stored verdict carries no metadata to show it in Korean: run make execute")
    shown = [v.data["text/plain"] for v in verdicts]
    verdict = re.compile(r"(✅ 정답|❌ 아직|⏳ 아직 답이 없음): ")
    assert all(verdict.match(text) and HANGUL.search(text[8:]) for text in shown)


# The self-checks in both languages ------------------------------------------------------------------------

def test_checks_answer_in_the_language_set():
    assert current_language() == "en"
    assert repr(lab00.check_relu_rnn(None)).startswith("⏳ No answer yet: write rnn_step_relu")
    set_language("ko")
    answer = repr(lab00.check_relu_rnn(None))
    assert answer.startswith("⏳ 아직 답이 없음: ") and "rnn_step_relu" in answer
    assert HANGUL.search(answer[len("⏳ 아직 답이 없음: "):])
    set_language("en")
    assert repr(lab00.check_relu_rnn(None)).startswith("⏳ No answer yet:")


def test_a_hint_with_values_in_korean():
    set_language("ko")
    result = lab01.check_gru_parameter_count("many")
    assert result.status == "not yet" and "'many'" in result.message and HANGUL.search(result.message)
    assert repr(result).startswith("❌ 아직: ")
    assert repr(lab01.check_gru_parameter_count(3 * 3 * (4 + 3 + 2))).startswith("✅ 정답: ")


def test_a_verdict_made_in_english_shows_in_korean_later():
    """A sentence is translated when it is shown, so set_language works on results already made."""
    result = lab01.check_gru_parameter_count("many")
    english = repr(result)
    set_language("ko")
    assert repr(result) != english and repr(result).startswith("❌ 아직: ")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'en' and 'ko', not 'fr'"):
        set_language("fr")


def test_a_stored_verdict_round_trips_through_its_metadata():
    inner = message("count the {0}'s blocks again (section 3).", "LSTM")
    result = not_yet("{0}: {1}", "LSTM, input_size=5", inner)
    data, metadata = result._repr_mimebundle_()
    stored = metadata[CHECK_METADATA]
    again = CheckResult(stored["status"], Message.from_json(stored))
    assert data["text/plain"] == repr(result) == repr(again)
    assert again.sentence.in_language("ko") == result.sentence.in_language("ko")


def test_message_formats_values_now_and_keeps_plain_places():
    sentence = message("got {0!r}, {1:.2f} and {{braces}}.", "x", 2.0 / 3)
    assert sentence.template == "got {0}, {1} and {{braces}}." and sentence.values == ("'x'", "0.67")
    assert str(sentence) == "got 'x', 0.67 and {braces}."
    with pytest.raises(ValueError, match="2 places for 1 values"):
        message("{0} and {1}", 1)
    with pytest.raises(TypeError, match="a check's sentence is a message"):
        CheckResult("correct", "plain text")


def check_sentence_catalog() -> polib.POFile:
    return polib.pofile(str(edition.check_catalog_path("ko")), wrapwidth=0)


def test_every_check_sentence_has_a_korean_translation_with_the_same_places():
    catalog = check_sentence_catalog()
    sentences = {entry.msgid for entry in edition.check_sentence_entries(REPO)}
    assert len(sentences) > 300 and sentences == {entry.msgid for entry in catalog}
    todo = [entry.msgid for entry in edition.untranslated(catalog)]
    assert not todo, f"{len(todo)} check sentences to translate in course_utils/locale/ko.po, e.g. {todo[:3]}"
    places = re.compile(r"\{\d+\}")
    wrong = [e.msgid for e in catalog if sorted(places.findall(e.msgid)) != sorted(places.findall(e.msgstr))]
    assert not wrong, f"translations with other {{0}}, {{1}} places than their English: {wrong}"
    for entry in catalog:  # each translation formats (no stray brace)
        entry.msgstr.format(*range(len(places.findall(entry.msgid))))


def test_translate_falls_back_to_english_only_for_english():
    assert translate("no such sentence", "en") == "no such sentence"
    some = next(iter(check_sentence_catalog().translated_entries()))
    assert translate(some.msgid, "ko") == some.msgstr


def test_the_korean_readme_has_the_english_run_times_and_links_the_korean_notebooks():
    english_text = (REPO / "README.md").read_text(encoding="utf-8")
    english = {name: times for name, _, *times in run_times.ROW.findall(english_text)}
    korean_text = (REPO / "README.ko.md").read_text(encoding="utf-8")
    korean = {name: times for name, folder, *times in run_times.ROW.findall(korean_text)
              if folder == "notebooks/ko/"}
    assert len(english) == len(NOTEBOOKS) // 2 and korean == english, "make run-times rewrites both READMEs"
    for target in re.findall(r"\]\((notebooks/ko/[^)#]+)\)", korean_text):
        assert (REPO / target).exists(), f"README.ko.md links to {target}, which does not exist"
    assert "jupyterlab-language-pack-ko-kr" in korean_text and "make korean" in korean_text
