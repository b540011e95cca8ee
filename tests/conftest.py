"""Fixtures for the unit tests (the root conftest.py serves the notebooks too)."""

import pytest

from course_utils.exercises.checking import CheckResult, Message
from course_utils.language import translations


def templates(sentence: Message) -> list[str]:
    """The template of ``sentence`` and of every sentence inside it."""
    inner = [t for value in sentence.values if isinstance(value, Message) for t in templates(value)]
    return [sentence.template, *inner]


@pytest.fixture(autouse=True)
def every_verdict_also_reads_in_korean(request, monkeypatch):
    """In the tests of the exercise checks, every verdict a check gives must have a Korean translation.

    The checks are tested in English, through hundreds of right and wrong answers; this makes the same
    tests prove that each sentence they reach is in course_utils/locale/ko.po and formats in Korean.
    """
    if not request.module.__name__.startswith("test_exercises_lab"):
        yield
        return
    made: list[CheckResult] = []
    original = CheckResult.__post_init__

    def record(result: CheckResult) -> None:
        original(result)
        made.append(result)

    monkeypatch.setattr(CheckResult, "__post_init__", record)
    yield
    missing = {t for result in made for t in templates(result.sentence) if t not in translations("ko")}
    assert not missing, f"check sentences with no Korean translation in course_utils/locale/ko.po: {missing}"
    for result in made:
        result.in_language("ko")  # a translation with a broken place raises here
