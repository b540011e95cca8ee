"""Self-checks for the exercises of Lab 11-3 · Long sequence."""

import contextlib
import random
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import torch
from torch import nn

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    no_answer_yet,
    not_yet,
)
from course_utils.vocab import CharVocab
from course_utils.windows import sliding_windows

PASSAGE = (
    "if you want to build a ship, don't drum up people together to collect wood and don't "
    "assign them tasks and work, but rather teach them to long for the endless immensity of the sea."
)
"""The lab's passage: the checks build their own windows and vocabulary from it, as the lab does."""


def _followers(text: str, length: int, *, count_the_end: bool = False, skip_last: bool = False) -> dict:
    """Each piece of ``length`` characters of ``text`` with the set of characters that follow it.

    The two flags reproduce typical mistakes: counting the end of the text as
    a follower of the last piece, and a loop that stops one piece too early.
    """
    stop = len(text) - length + (1 if count_the_end else 0) - (1 if skip_last else 0)
    followers: dict[str, set[str]] = {}
    for i in range(stop):
        followers.setdefault(text[i : i + length], set()).add(text[i + length : i + length + 1])
    return followers


def _ambiguous(text: str, length: int, **mistake: bool) -> set[str]:
    return {piece for piece, nexts in _followers(text, length, **mistake).items() if len(nexts) > 1}


def _repeated(text: str, length: int) -> set[str]:
    """The mistake of taking every piece that occurs twice, whatever follows it."""
    pieces = [text[i : i + length] for i in range(len(text) - length)]
    return {piece for piece in pieces if pieces.count(piece) > 1}


_PIECE_CASES = [(PASSAGE, 5), (PASSAGE, 3), (PASSAGE, 10), ("abcabd", 2), ("abcab", 2), ("aaaa", 1)]


def _as_pieces(returned: object) -> set[str] | None:
    """Any collection of strings (set, list, tuple, dict keys, generator, array) as a set; else ``None``."""
    if isinstance(returned, (str, bytes)) or not isinstance(returned, Iterable):
        return None
    pieces = list(returned)
    return set(pieces) if all(isinstance(p, str) for p in pieces) else None


@exercise_check
def check_ambiguous_pieces(ambiguous_pieces: Callable | None) -> CheckResult:
    """Exercise 1: ``ambiguous_pieces(text, length)`` finds the pieces the text continues in two ways.

    A piece is ``length`` consecutive characters of ``text``; it is ambiguous
    when two of its occurrences are followed by different characters. The
    check calls the function on the lab's passage and on short texts built to
    catch off-by-one mistakes, and compares with the right sets.

    Args:
        ambiguous_pieces: The student's function; it returns the ambiguous
            pieces as a set (or any other collection) of strings.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(ambiguous_pieces):
        return no_answer_yet("write ambiguous_pieces(text, length) and pass the function here.")
    for text, length in _PIECE_CASES:
        returned = call_answer(ambiguous_pieces, text, length)
        pieces = _as_pieces(returned)
        if pieces is None:
            return not_yet("return the pieces themselves, a set of strings; got {0}.",
                           type(returned).__name__)
        expected = _ambiguous(text, length)
        if pieces == expected:
            continue
        wrong_lengths = sorted({len(p) for p in pieces if len(p) != length})
        if wrong_lengths:
            return not_yet("for length={0} your pieces have {1} characters: off by one?",
                           length, wrong_lengths[0])
        if pieces == _repeated(text, length):
            return not_yet("a piece that always comes back with the same next character is not ambiguous.")
        if pieces == _ambiguous(text, length, count_the_end=True):
            return not_yet("the end of the text is not a next character: the last piece has no follower.")
        if pieces == _ambiguous(text, length, skip_last=True):
            return not_yet("you miss the last piece that has a next character: check where your loop stops.")
        if pieces - expected:
            return not_yet("some of your pieces are always followed by the same character.")
        return not_yet("you miss some pieces that are followed by two different characters.")
    return correct("with 5 characters of context some pieces go on in two ways: no model can tell which.")


def _recurrent_layers(model: nn.Module) -> int | None:
    """How many recurrent layers the model stacks (an ``nn.RNNCell`` counts as one); ``None``: none."""
    layers = [
        module.num_layers if isinstance(module, nn.RNNBase) else 1
        for module in model.modules()
        if isinstance(module, (nn.RNNBase, nn.RNNCellBase))
    ]
    return sum(layers) if layers else None


def _rebuild_share(predicted_ids: torch.Tensor, vocab: CharVocab) -> float:
    """The share of the passage (from its second character) that the windows' predictions rebuild."""
    rebuilt = vocab.decode(predicted_ids[0]) + vocab.decode(predicted_ids[1:, -1])
    target = PASSAGE[1:]
    return sum(a == b for a, b in zip(rebuilt, target, strict=True)) / len(target)


_REBUILD_BAR = 0.99
"""The share of the passage a trained model must rebuild: the lab's bar (section 4 and Exercise 2)."""


@exercise_check
def check_one_layer_model(model: nn.Module | None) -> CheckResult:
    """Exercise 2: a trained one-layer ``CharRNN`` rebuilds the passage from its windows of 10.

    The check builds the lab's 170 windows of 10 characters, runs the model on
    them and glues the predictions back into the passage, as section 4 of the
    lab does. It wants at least 99 % of the characters right, the bar the
    exercise asks about and the lab's rebuild asserts: 178 of the 179, so only
    the first character (a guess from one letter of context) may be wrong.

    Args:
        model: The student's trained ``CharRNN(len(vocab), 64, num_layers=1)``.

    Returns:
        The verdict, with a hint when the model is not right yet.
    """
    if is_placeholder(model):
        return no_answer_yet("replace None with your trained one-layer model.")
    if isinstance(model, torch.optim.Optimizer):
        return not_yet("this is the optimizer ({0}): pass the model it trained.", type(model).__name__)
    if not isinstance(model, nn.Module):
        return not_yet("pass the model itself (a CharRNN); got an object of type {0}.", type(model).__name__)
    layers = _recurrent_layers(model)
    if layers is None:
        return not_yet("the model has no recurrent layer: pass the lab's CharRNN.")
    if layers != 1:
        return not_yet("this model has {0} recurrent layers; the exercise is about num_layers=1.", layers)
    vocab = CharVocab(PASSAGE)
    pairs = sliding_windows(PASSAGE, 10)
    x_ids = torch.tensor([vocab.encode(x_text) for x_text, _ in pairs])  # (170, 10)
    device = next(model.parameters()).device
    x = vocab.one_hot(x_ids).to(device)  # (170, 10, vocab_size)
    with torch.no_grad():
        returned = call_answer(model, x)
    logits = returned[0] if isinstance(returned, tuple) else returned
    if not torch.is_tensor(logits) or tuple(logits.shape) != (len(pairs), 10, len(vocab)):
        shape = tuple(logits.shape) if torch.is_tensor(logits) else type(logits).__name__
        return not_yet("for 170 windows of 10 the logits should be (170, 10, vocab_size); got {0}.", shape)
    share = _rebuild_share(logits.detach().cpu().argmax(dim=-1), vocab)
    if share >= _REBUILD_BAR:
        return correct("one layer rebuilds the passage too: the second layer is not needed here.")
    if share >= 0.8:
        return not_yet("it rebuilds {0:.1%} of the passage, not yet 99 %: train it for more epochs.", share)
    return not_yet("it rebuilds only {0:.1%} of the passage: is it trained, with its own optimizer?", share)


class _TinyCharRNN(nn.Module):
    """A fixed untrained model with the lab's interface, whose greedy text does not repeat too soon.

    Its logits are tiny (all below 0.03 in size), so that sampling, even at a
    temperature of 0.01, soon draws another character than the argmax: a
    sampler cannot pass for greedy. Relative to their size the top two logits
    still differ clearly (by at least 2 %), so float noise (CPU versus GPU)
    cannot change the greedy text.
    """

    def __init__(self, vocab_size: int) -> None:
        super().__init__()
        with torch.random.fork_rng():  # the layers' default initialisation must not move the student's RNG
            self.rnn = nn.RNN(vocab_size, 32, batch_first=True)
            self.head = nn.Linear(32, vocab_size)
        generator = torch.Generator().manual_seed(2)
        with torch.no_grad():
            for name, parameter in self.named_parameters():
                scale = 0.5 if name.startswith("rnn") else 0.002
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale)

    def forward(self, x: torch.Tensor, h_0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        hidden_states, h_n = self.rnn(x, h_0)  # (batch, seq_len, 32), (1, batch, 32)
        return self.head(hidden_states), h_n  # (batch, seq_len, vocab_size)


def _greedy(
    model: nn.Module, vocab: CharVocab, prompt: str, length: int, *, carry: bool = True, step: int = -1
) -> str:
    """The right greedy continuation, or (with ``carry``/``step``) a typical wrong one."""
    device = next(model.parameters()).device
    x = vocab.one_hot(vocab.encode(prompt)).unsqueeze(0).to(device)  # (1, len(prompt), vocab_size)
    text = prompt
    with torch.no_grad():
        logits, h = model(x)
        for _ in range(length):
            next_id = int(logits[0, step].argmax())
            text += vocab.chars[next_id]
            x = vocab.one_hot([next_id]).unsqueeze(0).to(device)  # (1, 1, vocab_size)
            logits, h = model(x, h if carry else None)
    return text


_GREEDY_CASES = [("if you", 20), ("the sea", 12)]
_GREEDY_SEEDS = (1, 2, 3)
"""The global random generators are seeded with each of these before a call of the student's function."""


@contextlib.contextmanager
def _seeded_global_generators(seed: int) -> Iterator[None]:
    """Seed Python's, NumPy's and torch's (CPU and CUDA) global generators; put their states back after.

    A greedy function must write the same text whatever the global generators
    hold; seeding them differently before each call makes a random draw show,
    and putting them back keeps the student's notebook reproducible.
    """
    python_state, numpy_state = random.getstate(), np.random.get_state()  # noqa: NPY002 (the global one)
    try:
        with torch.random.fork_rng():  # restores torch's CPU and CUDA generators on exit
            torch.manual_seed(seed)
            random.seed(seed)
            np.random.seed(seed)  # noqa: NPY002 (the global generator that np.random.* uses)
            yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002


@exercise_check
def check_greedy(greedy: Callable | None) -> CheckResult:
    """Exercise 3: ``greedy(model, prompt, length)`` always takes the most likely next character.

    The check builds its own small untrained model with the lab's interface
    (``model(x, h_0) -> (logits, h_n)``, vocabulary of the lab's passage),
    whose logits are so close that sampling, even at a low temperature, parts
    from the greedy text. For each prompt it calls the function three times,
    with the global random generators seeded differently before each call,
    and asks (a) for the same text every time and (b) for the argmax path it
    computes itself: the prompt, then repeatedly the argmax of the last step's
    logits, fed back with the hidden state.

    Args:
        greedy: The student's function; like the lab's ``sample`` it returns
            the prompt followed by ``length`` new characters.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(greedy):
        return no_answer_yet("write greedy(model, prompt, length) and pass the function here.")
    vocab = CharVocab(PASSAGE)
    model = _TinyCharRNN(len(vocab)).to(get_device())
    for prompt, length in _GREEDY_CASES:
        texts = []
        for seed in _GREEDY_SEEDS:
            with _seeded_global_generators(seed):
                returned = call_answer(greedy, model, prompt, length)
            if not isinstance(returned, str):
                kind = type(returned).__name__
                return not_yet("return the text as a string (vocab.chars or vocab.decode help); got "
                               "{0}.", kind)
            texts.append(returned)
        if len(set(texts)) > 1:
            return not_yet(
                "the same arguments gave different texts: is there still a random draw (torch.multinomial)? "
                "Greedy writing draws nothing."
            )
        expected = _greedy(model, vocab, prompt, length)
        if returned == expected:
            continue
        if returned == expected[len(prompt) :]:
            return not_yet("return the prompt followed by the new characters, as sample does.")
        if not returned.startswith(prompt):
            return not_yet("the text should start with the prompt, as sample's does.")
        if len(returned) != len(prompt) + length:
            return not_yet("asked for {0} new characters, got {1}.", length, len(returned) - len(prompt))
        if returned == _greedy(model, vocab, prompt, length, carry=False):
            return not_yet("the first new character is right, later ones are not: carry the hidden state h.")
        if returned == _greedy(model, vocab, prompt, length, step=0):
            return not_yet("take the logits of the last step, logits[0, -1], not of the first.")
        if returned[len(prompt) :] == _greedy(model, vocab, prompt[-1], length)[1:]:
            return not_yet("the model should read the whole prompt first, not only its last character.")
        return not_yet(
            "the same text on every call, but not always the most likely character: take the argmax of the "
            "last step's logits (a draw with a seeded generator, even at a low temperature, is still a draw)."
        )
    return correct("always the most likely character: what sample tends to as the temperature goes to 0.")
