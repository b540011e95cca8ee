"""What every exercise check returns, and the helpers the checks share."""

import functools
import numbers
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, ParamSpec

import numpy as np
import torch

from course_utils.language import current_language, translate

P = ParamSpec("P")
Status = Literal["correct", "not yet", "no answer yet"]
_ICONS: dict[str, str] = {"correct": "✅", "not yet": "❌", "no answer yet": "⏳"}
#: How a verdict starts, in each language the checks speak.
VERDICTS: dict[str, dict[str, str]] = {
    "en": {"correct": "Correct", "not yet": "Not yet", "no answer yet": "No answer yet"},
    "ko": {"correct": "정답", "not yet": "아직", "no answer yet": "아직 답이 없음"},
}


@dataclass(frozen=True)
class Message:
    """One sentence of a check: an English template and the values that fill it.

    It is shown in the language :func:`course_utils.set_language` chose, so the
    translation is looked up when the sentence is shown, not when it is made.

    Attributes:
        template: The English sentence, with ``{0}``, ``{1}`` ... where the values go.
        values: The values, already formatted as text, or sentences of their own.
    """

    template: str
    values: tuple["str | Message", ...] = ()

    def in_language(self, language: str | None = None) -> str:
        """The sentence in ``language`` (the current one when ``None``)."""
        values = [value.in_language(language) if isinstance(value, Message) else value
                  for value in self.values]
        return translate(self.template, language).format(*values)

    def as_json(self) -> dict:
        """The template and values as JSON-ready lists and strings (a stored verdict's metadata)."""
        values = [value.as_json() if isinstance(value, Message) else value for value in self.values]
        return {"template": self.template, "values": values}

    @classmethod
    def from_json(cls, stored: dict) -> "Message":
        """The message :meth:`as_json` gave."""
        values = [cls.from_json(value) if isinstance(value, dict) else value for value in stored["values"]]
        return cls(stored["template"], tuple(values))

    def __str__(self) -> str:
        return self.in_language()


def message(template: str, *values: object) -> Message:
    """A check's sentence, to be translated: ``message("got {0}, expected {1:.2f}.", got, expected)``.

    Each value is formatted now, with the conversion and format spec its place
    gives (``{0!r}``, ``{1:.2f}``), so a translation only needs ``{0}``,
    ``{1}`` ... in any order. ``make korean`` collects the sentences for the
    translation catalog from the literal first argument of this function and of
    :func:`correct`, :func:`not_yet`, :func:`no_answer_yet`, :class:`Hint` and
    :class:`NoAnswerYet`, so a sentence is a literal string, never an f-string.

    Raises:
        ValueError: the template names a place by name, or not one place per value.
    """
    plain, places = plain_template(template)
    if len(places) != len(values) or any(index >= len(values) for index, _, _ in places):
        raise ValueError(f"{template!r} has {len(places)} places for {len(values)} values")
    formatted: list[str | Message] = []
    for index, conversion, spec in places:
        value = values[index]
        if isinstance(value, Message) and not (spec or conversion):  # a sentence inside a sentence
            formatted.append(value)
            continue
        value = repr(value) if conversion == "r" else str(value) if conversion == "s" else value
        formatted.append(format(value, spec))
    return Message(plain, tuple(formatted))


def plain_template(template: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``template`` with its places numbered ``{0}``, ``{1}`` ... in order, and what each place asked for.

    ``"{1} after {0:.2f}"`` gives ``("{0} after {1}", [(1, "", ""), (0, "", ".2f")])``: the plain
    template is the English a translation catalog holds; each place keeps the index of its value, its
    conversion (``"r"``, ``"s"`` or ``""``) and its format spec.

    Raises:
        ValueError: a place has a name instead of a number.
    """
    plain, places = [], []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        plain.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is None:
            continue
        if not field.isdigit():
            raise ValueError(f"{template!r}: places are {{0}}, {{1}} ..., one per value; got {{{field}}}")
        plain.append(f"{{{len(places)}}}")
        places.append((int(field), conversion or "", spec or ""))
    return "".join(plain), places


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one exercise check.

    It is truthy only when the answer is correct, so ``assert check(...)``
    works, and Jupyter shows it as one line such as ``✅ Correct: ...``, in
    the language :func:`course_utils.set_language` chose (``✅ 정답: ...``).

    Attributes:
        status: ``"correct"``, ``"not yet"`` (wrong, with a hint) or
            ``"no answer yet"`` (the placeholder is still there).
        sentence: What is right, or a hint about what is wrong. It never
            contains the expected answer. ``message`` is its text.
    """

    status: Status
    sentence: Message

    def __post_init__(self) -> None:
        if not isinstance(self.sentence, Message):
            raise TypeError(f"a check's sentence is a message(...), to be translated; got {self.sentence!r}")

    @property
    def message(self) -> str:
        """The sentence, in the current language."""
        return str(self.sentence)

    def __bool__(self) -> bool:
        return self.status == "correct"

    def in_language(self, language: str | None = None) -> str:
        """The verdict as one line, ``✅ Correct: ...``, in ``language`` (by default the current one)."""
        language = language or current_language()
        verdict = VERDICTS[language][self.status]
        return f"{_ICONS[self.status]} {verdict}: {self.sentence.in_language(language)}"

    def __repr__(self) -> str:
        return self.in_language()

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> tuple[dict, dict]:
        """What Jupyter stores: the line, and (as metadata) what it takes to show it in another language."""
        stored = {"status": self.status, **self.sentence.as_json()}
        return {"text/plain": repr(self)}, {CHECK_METADATA: stored}


#: The key of a stored verdict's metadata, from which the Korean edition shows it in Korean.
CHECK_METADATA = "course_utils_check"


def _sentence(sentence: "Message | str", values: tuple[object, ...]) -> Message:
    """A :class:`Message` as it is, or one made from a template and its values (see :func:`message`)."""
    if isinstance(sentence, Message):
        if values:
            raise TypeError("a message(...) already holds its values")
        return sentence
    return message(sentence, *values)


def correct(sentence: Message | str, *values: object) -> CheckResult:
    """A right answer, with a sentence on what it shows: a template and its values, as for :func:`message`."""
    return CheckResult("correct", _sentence(sentence, values))


def not_yet(hint: Message | str, *values: object) -> CheckResult:
    """A wrong answer, with a hint about what is wrong (never the answer)."""
    return CheckResult("not yet", _sentence(hint, values))


def no_answer_yet(what_to_do: Message | str, *values: object) -> CheckResult:
    """The exercise's placeholder is still in place."""
    return CheckResult("no answer yet", _sentence(what_to_do, values))


def is_placeholder(answer: object) -> bool:
    """Whether ``answer`` is still the ``None`` (or ``...``) an exercise cell starts with."""
    return answer is None or answer is Ellipsis


class Hint(Exception):  # noqa: N818 (it is a hint for the student, not an error of ours)
    """Raised inside a check to answer "not yet": ``Hint(template, *values)``; see :func:`exercise_check`."""


class NoAnswerYet(Exception):  # noqa: N818 (a state of the exercise, not an error of ours)
    """Raised inside a check to answer "no answer yet": ``NoAnswerYet(template, *values)``."""


def exercise_check(check: Callable[P, CheckResult]) -> Callable[P, CheckResult]:
    """Turn a :class:`Hint` or :class:`NoAnswerYet` raised inside ``check`` into its result."""

    @functools.wraps(check)
    def checked(*args: P.args, **kwargs: P.kwargs) -> CheckResult:
        try:
            return check(*args, **kwargs)
        except Hint as hint:
            return not_yet(*hint.args)
        except NoAnswerYet as missing:
            return no_answer_yet(*missing.args)

    return checked


def call_answer(function: object, *args: object, **kwargs: object) -> Any:  # noqa: ANN401 (any answer)
    """Call a student's function; turn an exception or a ``None`` result into a hint.

    Args:
        function: The student's function.
        *args: Positional arguments for it.
        **kwargs: Keyword arguments for it.

    Returns:
        What the function returned.

    Raises:
        Hint: ``function`` is not callable, or calling it raised an exception.
        NoAnswerYet: it returned ``None``, as a function whose body is still ``...`` does.
    """
    if not callable(function):
        raise Hint("expected a function, got {0}.", type(function).__name__)
    try:
        returned = function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 (any error in a student's code becomes a hint)
        raise Hint("calling it raised {0}: {1}", type(error).__name__, error) from error
    name = getattr(function, "__name__", "your function")
    if returned is None:
        raise NoAnswerYet("{0} returns None: write its body (or add the missing return).", name)
    return returned


def _single_value(answer: object) -> object:
    """The value inside a 1-element tensor, NumPy array or NumPy number (as Python's); else ``answer``."""
    if isinstance(answer, torch.Tensor):
        return answer.item() if answer.numel() == 1 else answer
    if isinstance(answer, (np.ndarray, np.generic)):
        return answer.item() if answer.size == 1 else answer
    return answer


def as_number(answer: object) -> float | None:
    """A real number as ``float``: Python's, NumPy's (``np.float32``), or one in a 1-element tensor or array.

    ``bool`` is not a number here, so ``True`` gives ``None`` as a string or a list does.
    """
    answer = _single_value(answer)
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        return float(answer)
    return None


def as_bool(answer: object) -> bool | None:
    """``True`` or ``False``: Python's, NumPy's (``np.bool_``), or in a 1-element bool tensor or array.

    A number is not a truth value here, so ``1`` and ``tensor(1.0)`` give ``None``.
    """
    answer = _single_value(answer)
    return answer if isinstance(answer, bool) else None


def as_whole_number(answer: object) -> int | None:
    """A whole number as ``int``: ``640``, ``640.0``, ``tensor(640)`` or ``np.int64(640)`` (``np.prod``)."""
    number = as_number(answer)
    return int(number) if number is not None and number.is_integer() else None


def as_tensor(answer: object, dtype: torch.dtype = torch.float) -> torch.Tensor | None:
    """Numbers given as a tensor, NumPy array or (nested) list, as a detached CPU tensor; else ``None``."""
    if isinstance(answer, torch.Tensor):
        return answer.detach().cpu().to(dtype)
    if isinstance(answer, (list, tuple)) or hasattr(answer, "__array__"):
        try:
            return torch.as_tensor(answer, dtype=dtype)
        except (TypeError, ValueError, RuntimeError):
            return None
    return None


def as_shape(answer: object) -> tuple[int, ...] | None:
    """A shape given as a tuple, list, ``torch.Size`` or 1-D NumPy array of whole numbers; else ``None``."""
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list, torch.Size)):
        return None
    sizes = [as_whole_number(n) for n in answer]
    return None if None in sizes else tuple(sizes)
