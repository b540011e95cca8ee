"""Cutting a long sequence into overlapping (input, target) windows."""

from collections.abc import Sequence
from typing import TypeVar

from course_utils.checks import check_positive_int

S = TypeVar("S", bound=Sequence)


def sliding_windows(seq: S, length: int) -> list[tuple[S, S]]:
    """Return every (input, target) window pair of a sequence.

    The input is ``seq[i : i + length]`` and the target is the same window
    shifted one step to the right, ``seq[i + 1 : i + length + 1]``: at every
    position the target is the item that comes next. A sequence of ``n``
    items gives ``n - length`` pairs.

    Example:
        >>> sliding_windows("hello!", 3)
        [('hel', 'ell'), ('ell', 'llo'), ('llo', 'lo!')]

    Args:
        seq: A string, list, tensor or any other sliceable sequence.
        length: How many items each window holds, at least 1.

    Raises:
        ValueError: ``length`` is not a positive integer, or the sequence
            has no more than ``length`` items (one window needs ``length + 1``).
    """
    check_positive_int("window length", length)
    if len(seq) <= length:
        raise ValueError(
            f"a window of length {length} and its shifted target need {length + 1} items, "
            f"but the sequence has only {len(seq)}"
        )
    return [(seq[i : i + length], seq[i + 1 : i + length + 1]) for i in range(len(seq) - length)]
