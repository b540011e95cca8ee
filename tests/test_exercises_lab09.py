"""Lab 09's checks accept the worked solutions and reject typical wrong answers."""

import collections

import pytest
import torch
from torch import nn

from course_utils import CharVocab
from course_utils.exercises import lab09

SEVEN = ["en", "de", "fr", "es", "it", "nl", "pt"]


# Exercise 1 -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seven_words():
    """The seven languages' training and held-out words, as the lab splits them."""
    return lab09._split_words(lab09._clean_words(tuple(SEVEN)))


class LookUp(nn.Module):
    """A stand-in for a trained model: it knows every held-out word's language, except that it takes
    every third Portuguese word for ``partner`` and every seventh for Italian."""

    def __init__(self, vocab, held_out, partner="es", right=True):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))  # a model has parameters
        self.vocab, self.right = vocab, right
        self.labels = dict(held_out)
        portuguese = [w for w, label in held_out if label == SEVEN.index("pt")]
        self.labels |= {w: SEVEN.index(partner) for w in portuguese[::3]}
        self.labels |= {w: SEVEN.index("it") for w in portuguese[1::7]}

    def forward(self, ids, lengths):  # ids: (batch, longest), lengths: (batch,) on the CPU
        words = [self.vocab.decode(row[:n]) for row, n in zip(ids.cpu(), lengths.tolist(), strict=True)]
        if not self.right:
            return torch.zeros(len(words), len(SEVEN))  # every word: label 0
        logits = torch.zeros(len(words), len(SEVEN))
        logits[torch.arange(len(words)), torch.tensor([self.labels[w] for w in words])] = 1.0
        return logits


def seventh(seven_words, **changes):
    train, held_out = seven_words
    vocab = CharVocab("".join(w for w, _ in train))
    answer = {"languages": SEVEN, "model": LookUp(vocab, held_out), "vocab": vocab,
              "most confused with": "es"}
    return answer | changes


def test_seventh_language_accepts_a_trained_model_and_its_partner(seven_words):
    assert lab09.check_seventh_language(seventh(seven_words))
    assert lab09.check_seventh_language(seventh(seven_words, **{"most confused with": "Spanish"}))
    train, held_out = seven_words
    vocab = CharVocab("".join(w for w, _ in train))
    italian_partner = {"model": LookUp(vocab, held_out, partner="it"), "most confused with": "it"}
    assert lab09.check_seventh_language(seventh(seven_words, **italian_partner))


def test_seventh_language_rejects_typical_mistakes(seven_words):
    train, held_out = seven_words
    six_letters = CharVocab("".join(w for w, label in train if label != SEVEN.index("pt")))
    cases = [
        ({"most confused with": "it"}, "mistakes Portuguese most often for another language"),
        ({"most confused with": "Italian"}, "mistakes Portuguese most often for another language"),
        ({"most confused with": "pt"}, "another language than Portuguese"),
        ({"languages": SEVEN[:6]}, "no Portuguese"),
        ({"languages": SEVEN + ["sv"]}, "each once"),
        ({"vocab": six_letters}, "does not know every letter"),
        ({"model": LookUp(CharVocab("".join(w for w, _ in train)), held_out, right=False)},
         "fewer than 60 %"),
        ({"model": (nn.Linear(1, 1), [0.5])}, "(model, losses)"),
        ({"vocab": "abc"}, "CharVocab"),
    ]
    for changes, words in cases:
        result = lab09.check_seventh_language(seventh(seven_words, **changes))
        assert not result and words in result.message, (changes, result)


def test_seventh_language_knows_placeholders(seven_words):
    assert lab09.check_seventh_language(None).status == "no answer yet"
    assert lab09.check_seventh_language(dict.fromkeys(lab09.SEVENTH_KEYS)).status == "no answer yet"
    partly = lab09.check_seventh_language(seventh(seven_words, **{"most confused with": None}))
    assert partly.status == "no answer yet" and "'most confused with'" in partly.message


# Exercise 2 -----------------------------------------------------------------------------------------------


def solution(words, labels, predicted):
    right, total = collections.Counter(), collections.Counter()
    for word, truth, guess in zip(words, list(labels), list(predicted), strict=True):
        total[len(word)] += 1
        right[len(word)] += int(truth) == int(guess)
    return {length: right[length] / total[length] for length in total}


def test_accuracy_by_length_accepts_the_solution():
    assert lab09.check_accuracy_by_length(solution)


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        (lambda w, t, p: {n: 100 * a for n, a in solution(w, t, p).items()}, "not a percentage"),
        (lambda w, t, p: {str(n): a for n, a in solution(w, t, p).items()}, "as numbers"),
        (lambda w, t, p: {n: a * sum(len(x) == n for x in w) for n, a in solution(w, t, p).items()},
         "number of right"),
        (lambda w, t, p: {n: a * sum(len(x) == n for x in w) / len(w) for n, a in solution(w, t, p).items()},
         "not by all the words"),
        (lambda w, t, p: {n: 1 - a for n, a in solution(w, t, p).items()}, "words of that length only"),
        (lambda w, t, p: dict(list(solution(w, t, p).items())[:2]), "those lengths"),
        (lambda w, t, p: list(solution(w, t, p).values()), "return a dictionary"),
    ],
)
def test_accuracy_by_length_rejects_typical_mistakes(mistake, words):
    result = lab09.check_accuracy_by_length(mistake)
    assert not result and words in result.message, result


def test_accuracy_by_length_knows_a_missing_answer():
    assert lab09.check_accuracy_by_length(None).status == "no answer yet"

    def not_written(words, labels, predicted): ...

    assert lab09.check_accuracy_by_length(not_written).status == "no answer yet"


# Exercise 3 -----------------------------------------------------------------------------------------------

# Twenty words sampled from the solution's German character model at temperature 0.8 (CPU).
SAMPLED = ("solchen beganken ziemen bevorgen zutrelle unterneckell eröfflicht leute frage niedelb setze "
           "nachnamt haus grossens lesst kamationt genutzt genau efreistlich unsel").split()
ITALIAN_LOOKING = ("campanella fortuno vellato scarpino morellina pastoni biancheto girandola ventino "
                   "rossello mattone parlino guardato lucertino sfogliata tramonta cantoro pescino "
                   "forbicina tarallo").split()


def test_german_looking_accepts_the_solutions_samples():
    assert lab09.check_german_looking(SAMPLED)


@pytest.mark.parametrize(
    ("words", "hint"),
    [
        ([f"<{w}>" for w in SAMPLED], "markers"),
        (SAMPLED[:10] * 2, "differ"),
        ("und ich ist ein auf für sie eine nicht das den mit von sich des dem wird auch als wie".split(),
         "new"),
        (ITALIAN_LOOKING, "look German"),
        (SAMPLED[:19], "exactly 20"),
        ("solchen beganken", "list of words"),
    ],
)
def test_german_looking_rejects_typical_mistakes(words, hint):
    result = lab09.check_german_looking(words)
    assert not result and hint in result.message, result


def test_german_looking_knows_a_missing_answer():
    assert lab09.check_german_looking(None).status == "no answer yet"
