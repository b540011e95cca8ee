"""Self-checks for the exercises of Lab 11-5 · Sequence to sequence."""

import random
from collections.abc import Callable

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence

from course_utils.exercises.checking import (
    CheckResult,
    Hint,
    Message,
    as_whole_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    message,
    no_answer_yet,
    not_yet,
)
from course_utils.word_vocab import WordVocab

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _number_words(n: int) -> str:
    """The lab's ``number_words``: 312 -> ``"three hundred twelve"``."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _number_words(n % 100))


def _split() -> tuple[list[int], list[int]]:
    """The lab's split of 0..999: 800 training numbers, then 200 held-out ones (seed 0)."""
    numbers = list(range(1000))
    random.Random(0).shuffle(numbers)
    return numbers[:800], numbers[800:]


def _digits(n: int) -> str:
    return " ".join(str(n))


def _reversed(n: int) -> str:
    return " ".join(str(n)[::-1])


_DIGIT_MISTAKES: list[tuple[Callable[[int], str], str]] = [
    (_digits, message("these are the digits in their original order: reverse them.")),
    (lambda n: str(n)[::-1], message("the digits must be separate tokens: put a space between them.")),
    (
        lambda n: " ".join(str(int(str(n)[::-1]))),
        message("a zero went missing (try 120): reverse the string of digits, not the number."),
    ),
    (
        lambda n: " ".join(f"{n:03d}"[::-1]),
        message("short numbers got extra zeros: 7 has one digit, not three."),
    ),
    (
        lambda n: _reversed(n) + " <eos>",
        message("leave <eos> out of the string: encode(..., add_eos=True) appends it."),
    ),
]


@exercise_check
def check_reversed_digits(reversed_digits: Callable | None) -> CheckResult:
    """Exercise 1: ``reversed_digits(n)`` is the reversed target, ``"2 1 3"`` for 312.

    The check calls the function for every number from 0 to 999 and compares
    the tokens (the string split on whitespace, as ``WordVocab`` splits it).

    Args:
        reversed_digits: The student's function from an ``int`` to the target string.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(reversed_digits):
        return no_answer_yet("write reversed_digits(n) and pass the function here.")
    returned = {n: call_answer(reversed_digits, n) for n in range(1000)}
    if not all(isinstance(text, str) for text in returned.values()):
        return not_yet("return a string of digit tokens separated by spaces, like the lab's targets.")
    tokens = {n: text.split() for n, text in returned.items()}
    if all(tokens[n] == _reversed(n).split() for n in tokens):
        return correct("every number from 0 to 999 gets its digits in reverse order, one token each.")
    for mistake, hint in _DIGIT_MISTAKES:
        if all(tokens[n] == mistake(n).split() for n in tokens):
            return not_yet(hint)
    wrong = next(n for n in tokens if tokens[n] != _reversed(n).split())
    return not_yet("{0} gets {1!r}: it should hold the digits of {2}, last one first.",
                   wrong, returned[wrong], wrong)


def _greedy_ids(model: nn.Module, source: torch.Tensor, max_len: int) -> list[list[int]]:
    """Greedy decoding with the lab's ``model.encoder`` and ``model.decoder``; each row up to ``<eos>``."""
    hidden = call_answer(model.encoder, source)
    token = torch.full((len(source), 1), WordVocab.sos_id, device=source.device)  # (batch, 1)
    written = []
    for _ in range(max_len):
        returned = call_answer(model.decoder, token, hidden)
        if not (isinstance(returned, tuple) and len(returned) == 2 and torch.is_tensor(returned[0])):
            raise Hint("model.decoder should return (logits, hidden), as the lab's Decoder does.")
        logits, hidden = returned
        if logits.dim() != 3 or logits.shape[:2] != (len(source), 1):
            raise Hint("for one step of a batch of tokens the decoder should give (batch, 1, vocab) logits.")
        token = logits.argmax(dim=-1)  # (batch, 1)
        written.append(token.detach().cpu())
    rows = torch.cat(written, dim=1).tolist()  # (batch, max_len)
    return [row[: row.index(WordVocab.eos_id) + 1] if WordVocab.eos_id in row else row for row in rows]


def _encoder_rows(model: nn.Module) -> int | None:
    """How many word ids the encoder's first ``nn.Embedding`` can read; ``None`` when it has none."""
    if not isinstance(model.encoder, nn.Module):
        return None
    embedding = next((m for m in model.encoder.modules() if isinstance(m, nn.Embedding)), None)
    return None if embedding is None else embedding.num_embeddings


def _vocabulary_hint(rows: int, words_vocab: WordVocab, train_numbers: list[int]) -> Message:
    """What is wrong when the encoder's embedding is too small for the lab's ``words_vocab``."""
    exercise_2_size = len(WordVocab(_number_words(n) for n in train_numbers[:100]))
    if rows == exercise_2_size:
        return message(
            "the encoder's embedding has {0} rows, one per token of Exercise 2's vocabulary (first 100 "
            "numbers), but the held-out inputs come encoded with the lab's words_vocab of all 800 training "
            "numbers ({1} tokens): encode the reversed pairs with the lab's vocabularies, "
            "build the model with their sizes and train again.", rows, len(words_vocab)
        )
    return message(
        "the encoder's embedding has {0} rows, fewer than the {1} tokens of the lab's "
        "words_vocab (the words of the 800 training numbers), so it cannot read every input: build the "
        "encoder with len(words_vocab) and train again.", rows, len(words_vocab)
    )


@exercise_check
def check_reversed_model(model: nn.Module | None) -> CheckResult:
    """Exercise 1: a ``Seq2Seq`` of the lab trained on reversed targets generalises.

    The check rebuilds the lab's split and vocabularies, decodes the 200
    held-out numbers greedily with ``model.encoder`` and ``model.decoder`` and
    asks for an exact match (``<eos>`` included) on at least 90 % of them.
    Before it runs the model it makes sure that the encoder's embedding can
    read every id of the lab's ``words_vocab``: a model built with Exercise
    2's smaller vocabulary gets a hint saying so, instead of an ``IndexError``
    (on a GPU, a device-side assert that breaks the notebook's CUDA context).

    Args:
        model: The student's trained model, with the lab's ``encoder(source)``
            and ``decoder(tokens, hidden) -> (logits, hidden)``.

    Returns:
        The verdict, with a hint when the model is not right yet.
    """
    if is_placeholder(model):
        return no_answer_yet("train the lab's Seq2Seq on the reversed targets and pass the model here.")
    if isinstance(model, tuple) and any(isinstance(part, nn.Module) for part in model):
        return not_yet("train_number_model returns (model, losses, curve): pass the model alone, [0].")
    if not (isinstance(model, nn.Module) and hasattr(model, "encoder") and hasattr(model, "decoder")):
        return not_yet("pass the trained Seq2Seq of the lab: the check uses its .encoder and .decoder.")
    parameter = next(model.parameters(), None)
    if parameter is None:
        return not_yet("the model has no parameters: pass the trained Seq2Seq.")
    train_numbers, held_out_numbers = _split()
    words_vocab = WordVocab(_number_words(n) for n in train_numbers)
    digits_vocab = WordVocab(_digits(n) for n in train_numbers)  # the same tokens, reversed or not
    rows = _encoder_rows(model)
    if rows is not None and rows < len(words_vocab):
        return not_yet(_vocabulary_hint(rows, words_vocab, train_numbers))
    sources = [torch.tensor(words_vocab.encode(_number_words(n))) for n in held_out_numbers]
    source = pad_sequence(sources, batch_first=True, padding_value=WordVocab.pad_id)  # (200, 4)
    with torch.no_grad():
        written = _greedy_ids(model, source.to(parameter.device), max_len=5)
    pairs = list(zip(written, held_out_numbers, strict=True))
    reversed_exact = sum(w == digits_vocab.encode(_reversed(n), add_eos=True) for w, n in pairs) / len(pairs)
    forward_exact = sum(w == digits_vocab.encode(_digits(n), add_eos=True) for w, n in pairs) / len(pairs)
    if reversed_exact >= 0.9:
        return correct("at least 90 % of the held-out numbers come out reversed and exact: it generalises.")
    if forward_exact >= 0.5:
        return not_yet(
            "it writes most held-out numbers in the original order: rebuild train_pairs and the batches "
            "with the reversed targets before training."
        )
    return not_yet(
        "held-out exact match {0:.0%} is below 90 %: train it as in the lab "
        "(12 epochs, teacher forcing 1.0) on the reversed targets.", reversed_exact
    )


@exercise_check
def check_unknown_word_count(answer: int | None) -> CheckResult:
    """Exercise 2: how many held-out inputs hold a word that the 100-number vocabulary has never seen.

    Args:
        answer: The student's count of held-out numbers (out of 200) whose
            words encode to at least one ``<unk>`` with a vocabulary built from
            the first 100 training numbers.

    Returns:
        The verdict, with a hint when the count is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with your count.")
    if isinstance(answer, float) and 0 < answer < 1:
        return not_yet("give a count of held-out numbers, not a share.")
    count = as_whole_number(answer)
    if count is None:
        return not_yet("the answer is a count, one whole number; got {0}.", type(answer).__name__)
    train_numbers, held_out_numbers = _split()
    small = WordVocab(_number_words(n) for n in train_numbers[:100])

    def with_unknown(vocab: WordVocab, numbers: list[int]) -> int:
        return sum(vocab.unk_id in vocab.encode(_number_words(n)) for n in numbers)

    expected = with_unknown(small, held_out_numbers)
    if count == expected:
        return correct("those inputs reach the encoder with a word missing: no model can be sure of them.")
    hints = {
        with_unknown(small, train_numbers[100:]): message("you counted training numbers: count the "
                                                          "held-out ones."),
        with_unknown(small, train_numbers[100:] + held_out_numbers): message("count the 200 held-out "
                                                                             "numbers only."),
        len(held_out_numbers) - expected: message("you counted the held-out numbers without an unknown "
                                                  "word."),
        len(set(WordVocab(_number_words(n) for n in train_numbers).words) - set(small.words)): (
            message("that is how many words the small vocabulary lacks; count the held-out numbers that "
                    "use one.")
        ),
        with_unknown(WordVocab(_number_words(n) for n in range(100)), held_out_numbers): (
            message("build the vocabulary from the first 100 of train_numbers, not from the numbers 0 to 99.")
        ),
        0: message("with the vocabulary of all 800 training numbers no word is unknown: build it from "
                   "the first 100."),
    }
    hints.pop(expected, None)
    fallback = message("encode each held-out input with the small vocabulary and count the inputs that "
                       "contain <unk>.")
    return not_yet(hints.get(count, fallback))
