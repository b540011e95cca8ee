"""Self-checks for the exercises of 09 · Which language is this word? A capstone on real data."""

import collections
import math
import random
from collections.abc import Callable

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence
from wordfreq import top_n_list

from course_utils.exercises.checking import (
    CheckResult,
    Hint,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    no_answer_yet,
    not_yet,
)
from course_utils.vocab import CharVocab

SIX = ("en", "de", "fr", "es", "it", "nl")  # the lab's languages, in label order
WORDS_PER_LANGUAGE = 3000
GERMAN = SIX.index("de")


def _clean_words(codes: tuple[str, ...], per_language: int = WORDS_PER_LANGUAGE) -> dict[str, list[str]]:
    """The lab's ``clean_words``: letters only, 3 or more, in no other language's list."""
    usable = {
        code: [w for w in top_n_list(code, per_language) if w.isalpha() and len(w) >= 3] for code in codes
    }
    lists_holding = collections.Counter(w for words in usable.values() for w in set(words))
    return {code: [w for w in words if lists_holding[w] == 1] for code, words in usable.items()}


def _split_words(kept: dict[str, list[str]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The lab's ``split_words``: one shuffle with seed 0, the first 20 % held out."""
    pairs = [(word, label) for label, code in enumerate(kept) for word in kept[code]]
    random.Random(0).shuffle(pairs)
    n_held_out = round(0.2 * len(pairs))
    return pairs[n_held_out:], pairs[:n_held_out]


# Exercise 1 -----------------------------------------------------------------------------------------------

SEVENTH_KEYS = ("languages", "model", "vocab", "most confused with")
NEW_LANGUAGE = "pt"
TRAINED = 0.6  # the lab's training on seven languages scored about 0.75 held out; chance is 1/7


def _seventh_languages(languages: object) -> tuple[str, ...]:
    """The student's seven language codes, checked; a :class:`Hint` when they are not the lab's six and pt."""
    if not isinstance(languages, (list, tuple, dict)) or not all(isinstance(c, str) for c in languages):
        raise Hint(
            "'languages' should be the seven language codes in label order: the six of LANGUAGES, then 'pt'."
        )
    codes = tuple(languages)
    if NEW_LANGUAGE not in codes:
        raise Hint("'languages' has no Portuguese: add \"pt\" to the six languages.")
    if sorted(codes) != sorted((*SIX, NEW_LANGUAGE)):
        raise Hint(
            "'languages' should be the lab's six languages and \"pt\", each once; got {0}.", list(codes)
        )
    return codes


@exercise_check
def check_seventh_language(answer: dict | None) -> CheckResult:
    """Exercise 1: a model of seven languages, and the language Portuguese is most mistaken for.

    The check rebuilds the seven languages' held-out words as the lab does
    (``clean_words`` and ``split_words`` with the default arguments), encodes
    them with the student's vocabulary, scores the student's model on them,
    and counts, among the held-out Portuguese words the model gets wrong,
    which language it guesses most often.

    Args:
        answer: A dictionary with ``"languages"`` (the seven codes in label
            order), ``"model"`` (called as ``model(ids, lengths)``, as the lab's
            ``LanguageGRU``), ``"vocab"`` (the ``CharVocab`` it was trained with)
            and ``"most confused with"`` (a language code).

    Returns:
        The verdict, with a hint when the answer is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("train a model on the seven languages and fill in the dictionary.")
    if not isinstance(answer, dict) or any(key not in answer for key in SEVENTH_KEYS):
        return not_yet("answer with the dictionary of the exercise cell, with the keys {0}.", SEVENTH_KEYS)
    empty = [key for key in SEVENTH_KEYS if is_placeholder(answer[key])]
    if len(empty) == len(SEVENTH_KEYS):
        return no_answer_yet("train a model on the seven languages and fill in the dictionary.")
    if empty:
        return no_answer_yet("fill in {0} too.", ', '.join(map(repr, empty)))
    codes = _seventh_languages(answer["languages"])
    model, vocab = answer["model"], answer["vocab"]
    if isinstance(model, (tuple, list)) and any(isinstance(item, nn.Module) for item in model):
        return not_yet("'model': train_model returns (model, losses); put in the model only.")
    if not isinstance(model, nn.Module) or next(model.parameters(), None) is None:
        return not_yet("'model' should be the trained model that train_model returns.")
    if not isinstance(vocab, CharVocab):
        return not_yet("'vocab' should be the CharVocab the model was trained with.")
    _, held_out = _split_words(_clean_words(codes))
    try:
        ids = [torch.tensor(vocab.encode(word)) for word, _ in held_out]
    except ValueError:
        return not_yet(
            "'vocab' does not know every letter of the seven languages: build it from their training words."
        )
    device = next(model.parameters()).device
    lengths = torch.tensor([len(word) for word, _ in held_out])  # (n,) on the CPU, as the lab keeps them
    with torch.no_grad():
        logits = call_answer(model, pad_sequence(ids, batch_first=True).to(device), lengths)
    if not torch.is_tensor(logits) or tuple(logits.shape) != (len(held_out), len(codes)):
        shape = tuple(logits.shape) if torch.is_tensor(logits) else type(logits).__name__
        return not_yet("for a batch of words the model should return (batch, 7) logits; got {0}.", shape)
    labels = torch.tensor([label for _, label in held_out])
    guesses = logits.argmax(dim=-1).cpu()  # (n,)
    if (guesses == labels).float().mean().item() < TRAINED:
        return not_yet(
            "the model labels fewer than 60 % of the held-out words right: is it trained on the seven?"
        )
    portuguese = labels == codes.index(NEW_LANGUAGE)
    mistaken_for = collections.Counter(guesses[portuguese & (guesses != labels)].tolist())
    if not mistaken_for:
        return not_yet("the model gets every held-out Portuguese word right: there is no mistake to count.")
    partner = codes[max(sorted(mistaken_for), key=mistaken_for.get)]  # on a tie, the lowest label, as argmax
    named = answer["most confused with"]
    names = {"english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it", "dutch": "nl"}
    if isinstance(named, str) and named.strip().lower() in names:
        named = names[named.strip().lower()]  # a language's name instead of its code is fine
    if named == NEW_LANGUAGE:
        return not_yet("'most confused with' should be another language than Portuguese itself.")
    if named != partner:
        return not_yet(
            "your model mistakes Portuguese most often for another language: count its wrong guesses "
            "on the held-out Portuguese words (the Portuguese row of the confusion matrix)."
        )
    return correct(
        "trained on seven languages; you found the language it mistakes Portuguese for most often."
    )


# Exercise 2 -----------------------------------------------------------------------------------------------


@exercise_check
def check_accuracy_by_length(accuracy_by_length: Callable | None) -> CheckResult:
    """Exercise 2: ``accuracy_by_length(words, labels, predicted)`` scores each word length separately.

    Args:
        accuracy_by_length: The student's function. It takes a list of words,
            their true labels and their predicted labels (lists, or 1-D
            tensors as the lab's ``predicted``), and returns ``{length:
            accuracy}`` for every length present, the accuracy a share in [0, 1].

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(accuracy_by_length):
        return no_answer_yet("write accuracy_by_length(words, labels, predicted) and pass the function here.")
    words = ["und", "con", "gli", "het", "maar", "pour", "dans", "wenn", "cuando", "ciao", "perché", "sie"]
    labels = [1, 3, 4, 5, 5, 2, 2, 1, 3, 4, 4, 1]
    predicted = [1, 4, 4, 1, 5, 2, 3, 1, 3, 4, 4, 1]  # 3 letters: 3 of 5 right; 4 letters: 4 of 5; 6: 2 of 2
    lengths = sorted({len(w) for w in words})
    expected = {n: _right(words, labels, predicted, n) / sum(len(w) == n for w in words) for n in lengths}
    returned = call_answer(accuracy_by_length, list(words), list(labels), list(predicted))
    if not isinstance(returned, dict):
        return not_yet("return a dictionary {{length: accuracy}}; got {0}.", type(returned).__name__)
    if all(isinstance(key, str) for key in returned):
        return not_yet("the keys should be the lengths as numbers (3, 4, ...), not strings.")
    got = {int(key): float(value) for key, value in returned.items()}
    if set(got) != set(expected):
        return not_yet(
            "for words of 3, 4 and 6 letters the keys should be those lengths; got {0}.", sorted(got)
        )
    if all(math.isclose(got[n], 100 * expected[n], abs_tol=1e-6) for n in expected):
        return not_yet("give each accuracy as a share between 0 and 1, not a percentage.")
    if all(math.isclose(got[n], _right(words, labels, predicted, n)) for n in expected):
        return not_yet("that is the number of right words of each length: divide by how many words have it.")
    if all(
        math.isclose(got[n], _right(words, labels, predicted, n) / len(words), abs_tol=1e-6) for n in expected
    ):
        return not_yet("divide by the number of words of that length, not by all the words.")
    if not all(math.isclose(got[n], expected[n], abs_tol=1e-6) for n in expected):
        return not_yet(
            "for each length, take the words of that length only: the share whose prediction is right."
        )
    tensors = call_answer(accuracy_by_length, list(words), torch.tensor(labels), torch.tensor(predicted))
    same = isinstance(tensors, dict) and {int(k) for k in tensors} == set(got)
    if not same or not all(math.isclose(float(tensors[k]), got[int(k)], abs_tol=1e-6) for k in tensors):
        return not_yet(
            "with tensors of labels (as the lab's predicted) it answers differently: accept those too."
        )
    return correct("each length scored on its own words only.")


def _right(words: list[str], labels: list[int], predicted: list[int], length: int) -> int:
    """How many words of ``length`` letters are predicted right."""
    return sum(len(w) == length and t == p for w, t, p in zip(words, labels, predicted, strict=True))


# Exercise 3 -----------------------------------------------------------------------------------------------

SAMPLES = 20
MIN_DISTINCT = 15  # of 20: a temperature so low that the model writes the same few words fails
MIN_NEW = 10  # of 20: words in none of the six lists; a model that copies its training words fails
MIN_GERMAN = 8  # of 20 judged German by the bigram classifier; chance is 1 in 6, about 3 of 20


def _bigrams(word: str) -> list[str]:
    """The lab's ``bigrams``: the letter pairs of ``^word$``."""
    framed = f"^{word}$"
    return [framed[i : i + 2] for i in range(len(framed) - 1)]


def _bigram_classifier() -> Callable[[str], int]:
    """The lab's bigram naive Bayes, fitted on the six languages' training words: word -> label."""
    train, _ = _split_words(_clean_words(SIX))
    counts = [collections.Counter() for _ in SIX]
    for word, label in train:
        counts[label].update(_bigrams(word))
    known = set().union(*counts)
    per_language = collections.Counter(label for _, label in train)
    denominators = [sum(c.values()) + len(known) for c in counts]

    def predict(word: str) -> int:
        pairs = _bigrams(word)
        scores = [
            math.log(per_language[label] / len(train))
            + sum(math.log((counts[label][b] + 1) / d) for b in pairs)
            for label, d in enumerate(denominators)
        ]
        return max(range(len(SIX)), key=scores.__getitem__)

    return predict


@exercise_check
def check_german_looking(words: list[str] | None) -> CheckResult:
    """Exercise 3: 20 words sampled from a character model of German look German, and are mostly new.

    The check asks for 20 strings of letters (no start or end marker), at
    least 15 of them different, at least 10 in none of the six languages'
    lists of 3000 words, and at least 8 that a bigram naive Bayes classifier
    of the six languages (the lab's, fitted on its training words) labels
    German. Chance would give about 3.

    Args:
        words: The student's sampled words.

    Returns:
        The verdict, with a hint when the samples do not pass yet.
    """
    if is_placeholder(words):
        return no_answer_yet("sample 20 words from your German character model and pass the list here.")
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
        return not_yet("pass a list of words (strings), as sample_word returns them.")
    if len(words) != SAMPLES:
        return not_yet("pass exactly {0} sampled words; got {1}.", SAMPLES, len(words))
    if not all(w.isalpha() for w in words):
        bad = next(w for w in words if not w.isalpha())
        return not_yet(
            "{0!r} is not a word of letters: leave out the start and end markers (and empty words).", bad
        )
    if len(set(words)) < MIN_DISTINCT:
        return not_yet("only {0} of the 20 words differ: sample at a higher temperature.", len(set(words)))
    listed = {w for code in SIX for w in top_n_list(code, WORDS_PER_LANGUAGE)}
    new = sum(w not in listed for w in words)
    if new < MIN_NEW:
        return not_yet(
            "only {0} of the 20 words are new; the rest are in the word lists: raise the temperature.", new
        )
    predict = _bigram_classifier()
    german = sum(predict(w) == GERMAN for w in words)
    if german < MIN_GERMAN:
        return not_yet(
            "only {0} of the 20 words look German to the bigram classifier: is the model trained "
            "on the German training words only, and is the temperature too high?", german
        )
    return correct(
        "at least {0} of the 20 words are new, and the bigram classifier takes at least {1} "
        "of them for German (chance: about 3).", MIN_NEW, MIN_GERMAN
    )
