"""The language the self-checks answer in: English, or Korean in the Korean edition's notebooks.

The Korean notebooks (``notebooks/ko/``) start with ``set_language("ko")``. The
checks' sentences are written in English in ``course_utils/exercises`` and
translated through the gettext catalog ``course_utils/locale/ko.po``, which
``python -m course_utils.korean_edition`` keeps in step with the code.
"""

import functools
from pathlib import Path

import polib

LANGUAGES = ("en", "ko")
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_current = "en"


def set_language(language: str) -> None:
    """Make the self-checks answer in ``language``: ``"en"`` (the default) or ``"ko"``.

    Raises:
        ValueError: ``language`` is not one the course is translated into.
    """
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"the course speaks {' and '.join(map(repr, LANGUAGES))}, not {language!r}")
    _current = language


def current_language() -> str:
    """The language :func:`set_language` chose last (``"en"`` until it is called)."""
    return _current


def catalog_path(language: str) -> Path:
    """The gettext catalog of the checks' sentences in ``language``."""
    return _LOCALE_DIR / f"{language}.po"


@functools.cache
def translations(language: str) -> dict[str, str]:
    """English sentence -> its confirmed translation in ``language`` (fuzzy and empty ones are left out)."""
    catalog = polib.pofile(str(catalog_path(language)))
    return {entry.msgid: entry.msgstr for entry in catalog.translated_entries()}


def translate(english: str, language: str | None = None) -> str:
    """``english`` in ``language`` (the current one when ``None``); English when it has no translation yet."""
    language = language or _current
    if language == "en":
        return english
    return translations(language).get(english, english)
