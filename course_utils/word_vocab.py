"""A word vocabulary for sequence-to-sequence models: words <-> integer ids.

Four special tokens have fixed ids in every vocabulary: ``<pad>`` = 0 fills the
end of short sequences in a batch, ``<sos>`` = 1 starts a decoder's output,
``<eos>`` = 2 ends it, and ``<unk>`` = 3 stands for any word the vocabulary has
not seen. The words follow, sorted, so the same sentences always give the
same ids.
"""

from collections.abc import Iterable, Sequence

import torch

from course_utils.checks import checked_ids

Sentence = str | Sequence[str]


class WordVocab:
    """The sorted set of words of some sentences, plus four special tokens.

    A sentence is either a string, split on whitespace (``"I feel hungry"`` ->
    ``["I", "feel", "hungry"]``), or a list of tokens that you split yourself
    (for example to keep ``"."`` as its own token). Words are case-sensitive.

    A word that was not in the sentences the vocabulary was built from encodes
    to ``<unk>`` (id 3): never a ``KeyError``. A token spelled exactly like a
    special token (``"<eos>"``) encodes to that special token's id.

    Example:
        >>> vocab = WordVocab(["I feel hungry", "I feel fine"])
        >>> vocab.tokens
        ['<pad>', '<sos>', '<eos>', '<unk>', 'I', 'feel', 'fine', 'hungry']
        >>> vocab.encode("I feel sleepy", add_eos=True)
        [4, 5, 3, 2]
        >>> vocab.decode([1, 4, 5, 7, 2, 0, 0])
        'I feel hungry'
    """

    PAD = "<pad>"
    SOS = "<sos>"
    EOS = "<eos>"
    UNK = "<unk>"
    SPECIALS = (PAD, SOS, EOS, UNK)
    pad_id = 0
    sos_id = 1
    eos_id = 2
    unk_id = 3

    def __init__(self, sentences: Iterable[Sentence]) -> None:
        """Build the vocabulary of every distinct word in ``sentences``.

        Args:
            sentences: Strings (split on whitespace) or lists of tokens. Special
                tokens such as ``"<unk>"`` found among them keep their fixed ids.

        Raises:
            ValueError: there are no sentences, a sentence is empty, or a token
                is not a non-empty string without whitespace.
        """
        words: set[str] = set()
        count = 0
        for index, sentence in enumerate(sentences):
            words.update(self._tokens_of(sentence, what=f"sentence {index}"))
            count += 1
        if count == 0:
            raise ValueError("WordVocab needs at least one sentence, got none")
        self.words: list[str] = sorted(words - set(self.SPECIALS))
        self.tokens: list[str] = [*self.SPECIALS, *self.words]
        self.token_to_id: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self.token_to_id

    def __repr__(self) -> str:
        shown = " ".join(self.words[:8]) + (" ..." if len(self.words) > 8 else "")
        return f"WordVocab({len(self.words)} words + 4 specials: {shown})"

    @staticmethod
    def tokenize(sentence: str) -> list[str]:
        """Split a sentence on whitespace, the way strings are split everywhere in this class."""
        return sentence.split()

    def encode(self, sentence: Sentence, *, add_sos: bool = False, add_eos: bool = False) -> list[int]:
        """Turn a sentence into a list of ids, one per token.

        Args:
            sentence: A string (split on whitespace) or a list of tokens.
            add_sos: Put ``<sos>`` (id 1) in front.
            add_eos: Put ``<eos>`` (id 2) at the end.

        Returns:
            The ids. A word the vocabulary does not know becomes ``<unk>`` (id 3).

        Raises:
            ValueError: the sentence is empty (or only whitespace), or a token is
                not a non-empty string without whitespace.
        """
        tokens = self._tokens_of(sentence, what="the sentence")
        ids = [self.token_to_id.get(token, self.unk_id) for token in tokens]
        return [self.sos_id] * add_sos + ids + [self.eos_id] * add_eos

    def decode(self, ids: Iterable[int] | torch.Tensor, *, keep_specials: bool = False) -> str:
        """Turn ids (a list or a 1-D tensor) back into a sentence, words joined by spaces.

        Args:
            ids: Token ids, e.g. a decoder's output for one sentence.
            keep_specials: Show every token as it is, ``<pad>`` and all. By
                default the sentence stops at the first ``<eos>``, and ``<pad>``
                and ``<sos>`` are left out; ``<unk>`` is kept, since it marks a
                word that is really there.

        Returns:
            The sentence; an empty string when no word is left.

        Raises:
            ValueError: an id is not a whole number, is outside ``0 .. len(vocab) - 1``,
                or ``ids`` is a tensor with more than one dimension.
        """
        tokens = [self.tokens[i] for i in self._checked_ids(ids)]
        if not keep_specials:
            if self.EOS in tokens:
                tokens = tokens[: tokens.index(self.EOS)]
            tokens = [t for t in tokens if t not in (self.PAD, self.SOS)]
        return " ".join(tokens)

    def _tokens_of(self, sentence: Sentence, *, what: str) -> list[str]:
        """Split a string, or check a list of tokens; raise ValueError when it is empty or malformed."""
        if isinstance(sentence, str):
            tokens = self.tokenize(sentence)
        elif isinstance(sentence, Sequence):
            tokens = list(sentence)
            bad = [t for t in tokens if not isinstance(t, str) or not t or t != "".join(t.split())]
            if bad:
                raise ValueError(
                    f"Tokens must be non-empty strings without whitespace; {what} has {bad!r}"
                )
        else:
            raise ValueError(f"A sentence must be a string or a list of tokens; {what} is {sentence!r}")
        if not tokens:
            raise ValueError(f"{what[0].upper()}{what[1:]} is empty: there is no word to encode")
        return tokens

    def _checked_ids(self, ids: Iterable[int] | torch.Tensor) -> list[int]:
        """Return ids as a list of ints, after checking they are whole numbers in range."""
        if isinstance(ids, torch.Tensor):
            if ids.dim() > 1:
                raise ValueError(
                    f"decode() takes the ids of one sentence (1-D), got a tensor of shape "
                    f"{tuple(ids.shape)}; decode the rows one at a time"
                )
        return checked_ids(ids, len(self)).reshape(-1).tolist()
