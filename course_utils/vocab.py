"""A character vocabulary: characters <-> integer ids <-> one-hot vectors."""

from collections.abc import Iterable

import torch
import torch.nn.functional as F

from course_utils.checks import checked_ids


class CharVocab:
    """The sorted set of characters of a text, with encode/decode/one-hot.

    The characters are sorted, so the same text always gives the same ids.
    (``list(set(text))`` does not: its order changes with Python's hash seed,
    so the original lecture's ids, and with them its training runs, changed
    from one run to the next.)

    Example:
        >>> vocab = CharVocab("hihello")
        >>> vocab.chars
        ['e', 'h', 'i', 'l', 'o']
        >>> vocab.encode("hi")
        [1, 2]
        >>> vocab.decode([2, 1])
        'ih'
    """

    def __init__(self, text: str) -> None:
        """Build the vocabulary of every distinct character in ``text``.

        Raises:
            ValueError: ``text`` is empty or not a string.
        """
        if not isinstance(text, str) or not text:
            raise ValueError(f"CharVocab needs a non-empty string, got {text!r}")
        self.chars: list[str] = sorted(set(text))
        self.char_to_id: dict[str, int] = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: object) -> bool:
        return char in self.char_to_id

    def __repr__(self) -> str:
        return f"CharVocab({''.join(self.chars)!r})"

    def encode(self, text: str) -> list[int]:
        """Turn a string into a list of ids, one per character.

        Raises:
            ValueError: a character of ``text`` is not in the vocabulary; the
                message names it and lists the known characters.
        """
        unknown = sorted(set(text) - self.char_to_id.keys())
        if unknown:
            raise ValueError(
                f"Unknown character(s) {unknown} in {text!r}; this vocabulary knows {self.chars}"
            )
        return [self.char_to_id[c] for c in text]

    def decode(self, ids: Iterable[int] | torch.Tensor) -> str:
        """Turn ids (a list or a 1-D tensor) back into a string.

        Raises:
            ValueError: an id is outside ``0 .. len(vocab) - 1``.
        """
        id_list = checked_ids(ids, len(self)).flatten().tolist()
        return "".join(self.chars[i] for i in id_list)

    def one_hot(self, ids: Iterable[int] | torch.Tensor) -> torch.Tensor:
        """Turn ids into one-hot float vectors.

        Args:
            ids: A list of ids, or a tensor of ids of any shape.

        Returns:
            A float32 tensor of shape ``(*ids.shape, len(vocab))``; for a list
            of ids that is ``(len(ids), len(vocab))``. It is on the device of
            ``ids`` when they are a tensor, and on the CPU for a list.

        Raises:
            ValueError: an id is outside ``0 .. len(vocab) - 1``.
        """
        return F.one_hot(checked_ids(ids, len(self)), num_classes=len(self)).float()
