"""Lab 05's checks accept the worked solutions and reject typical wrong answers."""

import numpy as np
import torch
from torch import nn

from course_utils import WordVocab
from course_utils.exercises import lab05

TRAIN_NUMBERS, HELD_OUT_NUMBERS = lab05._split()
WORDS = WordVocab(lab05._number_words(n) for n in TRAIN_NUMBERS)
DIGITS = WordVocab(" ".join(str(n)) for n in TRAIN_NUMBERS)
NUMBER_OF = {tuple(WORDS.encode(lab05._number_words(n))): n for n in range(1000)}


class LookupSeq2Seq(nn.Module):
    """A stand-in for the lab's Seq2Seq that needs no training: it looks the number up and spells it.

    The encoder's "hidden state" holds the target ids still to write; each decoder step writes the
    first one as one-hot logits and shifts the rest. ``wrong_every`` spoils every k-th number.
    """

    def __init__(self, reverse: bool = True, wrong_every: int = 0):
        super().__init__()
        self.reverse, self.wrong_every = reverse, wrong_every
        self.scale = nn.Parameter(torch.ones(()))
        self.encoder, self.decoder = self._encode, self._decode

    def _encode(self, source):
        queues = []
        for i, row in enumerate(source.tolist()):
            n = NUMBER_OF[tuple(t for t in row if t != WordVocab.pad_id)]
            text = " ".join(str(n)[::-1] if self.reverse else str(n))
            if self.wrong_every and i % self.wrong_every == 0:
                text = text + " 0"
            queues.append(DIGITS.encode(text, add_eos=True) + [WordVocab.eos_id] * 5)
        return torch.tensor([q[:6] for q in queues], device=source.device).unsqueeze(0)  # (1, batch, 6)

    def _decode(self, token, hidden):
        logits = nn.functional.one_hot(hidden[0, :, :1], len(DIGITS)).float() * self.scale  # (batch, 1, V)
        return logits, torch.cat([hidden[:, :, 1:], hidden[:, :, -1:]], dim=2)


class EmbeddingEncoder(nn.Module):
    """The lookup encoder behind an nn.Embedding of ``rows`` rows, which raises on an id it cannot read."""

    def __init__(self, lookup, rows):
        super().__init__()
        self.lookup, self.embedding = lookup, nn.Embedding(rows, 2)

    def forward(self, source):
        self.embedding(source)  # IndexError for an id >= rows, as the lab's Encoder
        return self.lookup(source)


def with_embedding(rows):
    model = LookupSeq2Seq()
    model.encoder = EmbeddingEncoder(model._encode, rows)
    return model


def reversed_digits(n):
    return " ".join(str(n)[::-1])


def test_reversed_digits_accepts_the_solution():
    assert lab05.check_reversed_digits(reversed_digits)
    assert lab05.check_reversed_digits(lambda n: " ".join(str(n))[::-1])
    assert lab05.check_reversed_digits(lambda n: "".join(digit + " " for digit in reversed(str(n))))


def test_reversed_digits_rejects_typical_mistakes():
    for wrong, words in [
        (lambda n: " ".join(str(n)), "original order"),
        (lambda n: str(n)[::-1], "separate tokens"),
        (lambda n: " ".join(str(int(str(n)[::-1]))), "zero went missing"),
        (lambda n: " ".join(f"{n:03d}"[::-1]), "extra zeros"),
        (lambda n: " ".join(str(n)[::-1]) + " <eos>", "add_eos"),
        (lambda n: list(str(n)[::-1]), "string"),
        (lambda n: "2 1 3", "last one first"),
    ]:
        result = lab05.check_reversed_digits(wrong)
        assert not result and words in result.message, result


def test_reversed_digits_reports_an_exception_and_a_missing_answer():
    raising = lab05.check_reversed_digits(lambda n: n[::-1])
    assert not raising and "TypeError" in raising.message
    assert lab05.check_reversed_digits(None).status == "no answer yet"

    def stub(n):
        ...

    assert lab05.check_reversed_digits(stub).status == "no answer yet"


def test_reversed_model_accepts_a_model_that_writes_reversed_digits():
    assert lab05.check_reversed_model(LookupSeq2Seq())
    assert lab05.check_reversed_model(LookupSeq2Seq(wrong_every=20))  # 95 %: above the threshold


def test_reversed_model_rejects_typical_mistakes():
    forward = lab05.check_reversed_model(LookupSeq2Seq(reverse=False))
    assert not forward and "original order" in forward.message
    undertrained = lab05.check_reversed_model(LookupSeq2Seq(wrong_every=4))  # 75 % right
    assert not undertrained and "below 90 %" in undertrained.message
    whole_return = lab05.check_reversed_model((LookupSeq2Seq(), [0.5, 0.1], [0.6, 0.95]))
    assert not whole_return and "model alone" in whole_return.message
    not_a_seq2seq = lab05.check_reversed_model(nn.GRU(3, 4))
    assert not not_a_seq2seq and ".encoder and .decoder" in not_a_seq2seq.message
    small_vocabulary = nn.Module()
    small_vocabulary.encoder = nn.Embedding(10, 4)  # a vocabulary too small for the check's ids
    small_vocabulary.decoder = nn.Linear(4, 4)
    too_small = lab05.check_reversed_model(small_vocabulary)
    assert not too_small and "10 rows" in too_small.message and "len(words_vocab)" in too_small.message
    raising = LookupSeq2Seq()
    raising.encoder = lambda source: source[10**6]
    raising = lab05.check_reversed_model(raising)
    assert not raising and "IndexError" in raising.message
    assert lab05.check_reversed_model(None).status == "no answer yet"


def test_reversed_model_names_the_vocabulary_of_exercise_2():
    """A model built with Exercise 2's words_vocab (100 numbers, 27 tokens) cannot read the lab's ids."""
    small_words = WordVocab(lab05._number_words(n) for n in TRAIN_NUMBERS[:100])
    assert len(small_words) < len(WORDS)
    result = lab05.check_reversed_model(with_embedding(len(small_words)))
    assert not result and "IndexError" not in result.message, result
    assert "Exercise 2" in result.message and "800 training numbers" in result.message, result
    swapped = lab05.check_reversed_model(with_embedding(len(DIGITS)))  # Seq2Seq(len(digits), len(words))
    assert not swapped and "Exercise 2" not in swapped.message and "len(words_vocab)" in swapped.message
    assert lab05.check_reversed_model(with_embedding(len(WORDS)))  # the lab's vocabulary: judged, and right
    assert lab05.check_reversed_model(with_embedding(len(WORDS) + 5))  # room to spare does no harm


def test_reversed_model_asks_for_the_decoder_interface():
    model = LookupSeq2Seq()
    model.decoder = lambda token, hidden: model._decode(token, hidden)[0]  # logits only
    result = lab05.check_reversed_model(model)
    assert not result and "(logits, hidden)" in result.message


def test_unknown_word_count_accepts_the_solution():
    small = WordVocab(lab05._number_words(n) for n in TRAIN_NUMBERS[:100])
    count = sum(small.unk_id in small.encode(lab05._number_words(n)) for n in HELD_OUT_NUMBERS)
    assert lab05.check_unknown_word_count(count)
    assert lab05.check_unknown_word_count(torch.tensor(count))
    assert lab05.check_unknown_word_count(np.int64(count))  # np.sum(...) gives one
    assert lab05.check_unknown_word_count(float(count))


def test_unknown_word_count_rejects_typical_mistakes_without_giving_the_answer():
    small = WordVocab(lab05._number_words(n) for n in TRAIN_NUMBERS[:100])
    count = sum(small.unk_id in small.encode(lab05._number_words(n)) for n in HELD_OUT_NUMBERS)
    for wrong, words in [
        (0, "first 100"),
        (200 - count, "without an unknown word"),
        (count / 200, "not a share"),
        (183, "0 to 99"),
        (40, "training numbers"),
        (count + 1, "<unk>"),
        (str(count), "whole number"),
        ([count], "whole number"),
    ]:
        result = lab05.check_unknown_word_count(wrong)
        assert not result and words in result.message, (wrong, result)
        assert str(count) not in result.message, result
    assert lab05.check_unknown_word_count(None).status == "no answer yet"
