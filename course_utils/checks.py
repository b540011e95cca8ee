"""Argument checks shared by course_utils: a clear ValueError instead of a silent wrong answer."""

from collections.abc import Iterable
from numbers import Integral

import torch


def check_positive_int(name: str, value: object) -> None:
    """Raise a ValueError naming ``name`` unless ``value`` is an int of at least 1 (``True`` is not)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def checked_ids(ids: Iterable[int] | torch.Tensor, vocab_size: int) -> torch.Tensor:
    """Return token ids as an int64 tensor of the same shape, after checking them.

    Args:
        ids: A list of ids, or an integer tensor of any shape.
        vocab_size: The number of tokens; valid ids are ``0 .. vocab_size - 1``.

    Raises:
        ValueError: an id is not a whole number (a float, a bool) or is out of range.
    """
    if isinstance(ids, torch.Tensor):
        if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
            raise ValueError(f"ids must be whole numbers, got a tensor of {ids.dtype}")
        id_tensor = ids.long()
    else:
        id_list = list(ids)
        not_whole = [i for i in id_list if isinstance(i, bool) or not isinstance(i, Integral)]
        if not_whole:
            raise ValueError(f"ids must be whole numbers, got {not_whole}")
        id_tensor = torch.tensor(id_list, dtype=torch.long)
    bad = sorted({i for i in id_tensor.flatten().tolist() if not 0 <= i < vocab_size})
    if bad:
        raise ValueError(f"Id(s) {bad} are outside this vocabulary's range 0..{vocab_size - 1}")
    return id_tensor
