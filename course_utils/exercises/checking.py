"""What every exercise check returns, and the helpers the checks share."""

import functools
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, ParamSpec

import numpy as np
import torch

P = ParamSpec("P")
Status = Literal["correct", "not yet", "no answer yet"]
_ICONS: dict[str, str] = {"correct": "✅", "not yet": "❌", "no answer yet": "⏳"}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one exercise check.

    It is truthy only when the answer is correct, so ``assert check(...)``
    works, and Jupyter shows it as one line such as ``✅ Correct: ...``.

    Attributes:
        status: ``"correct"``, ``"not yet"`` (wrong, with a hint) or
            ``"no answer yet"`` (the placeholder is still there).
        message: What is right, or a hint about what is wrong. It never
            contains the expected answer.
    """

    status: Status
    message: str

    def __bool__(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"{_ICONS[self.status]} {self.status.capitalize()}: {self.message}"


def correct(message: str) -> CheckResult:
    """A right answer, with a sentence on what it shows."""
    return CheckResult("correct", message)


def not_yet(hint: str) -> CheckResult:
    """A wrong answer, with a hint about what is wrong (never the answer)."""
    return CheckResult("not yet", hint)


def no_answer_yet(what_to_do: str) -> CheckResult:
    """The exercise's placeholder is still in place."""
    return CheckResult("no answer yet", what_to_do)


def is_placeholder(answer: object) -> bool:
    """Whether ``answer`` is still the ``None`` (or ``...``) an exercise cell starts with."""
    return answer is None or answer is Ellipsis


class Hint(Exception):  # noqa: N818 (it is a hint for the student, not an error of ours)
    """Raised inside a check to answer "not yet" with this hint; see :func:`exercise_check`."""


class NoAnswerYet(Exception):  # noqa: N818 (a state of the exercise, not an error of ours)
    """Raised inside a check to answer "no answer yet" with this message; see :func:`exercise_check`."""


def exercise_check(check: Callable[P, CheckResult]) -> Callable[P, CheckResult]:
    """Turn a :class:`Hint` or :class:`NoAnswerYet` raised inside ``check`` into its result."""

    @functools.wraps(check)
    def checked(*args: P.args, **kwargs: P.kwargs) -> CheckResult:
        try:
            return check(*args, **kwargs)
        except Hint as hint:
            return not_yet(str(hint))
        except NoAnswerYet as missing:
            return no_answer_yet(str(missing))

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
        raise Hint(f"expected a function, got {type(function).__name__}.")
    try:
        returned = function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 (any error in a student's code becomes a hint)
        raise Hint(f"calling it raised {type(error).__name__}: {error}") from error
    name = getattr(function, "__name__", "your function")
    if returned is None:
        raise NoAnswerYet(f"{name} returns None: write its body (or add the missing return).")
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
