"""Self-checks for the exercises of Lab 11-2 · hihello & charseq."""

import functools
import math
from collections import Counter
from collections.abc import Callable

import torch
from torch import nn

from course_utils.device import seed_everything
from course_utils.exercises.checking import (
    CheckResult,
    Hint,
    as_number,
    as_tensor,
    as_whole_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    message,
    no_answer_yet,
    not_yet,
)
from course_utils.vocab import CharVocab

HIHELLO = "hihello"
SAMPLE = " if you want you"
HIDDEN_SIZES = (1, 2, 3, 4)
TANH_CEILING = math.e / (math.e + 4 / math.e)  # the highest probability 5 logits in [-1, 1] can give


def _lowest_memory_free_loss(text: str) -> float:
    """The lowest mean cross-entropy a model that sees only the current character can reach on ``text``.

    After each character, the best fixed guess gives every follower its share of the times it follows; a
    step then costs ``-ln`` of the share of its true next character.
    """
    pairs = Counter(zip(text[:-1], text[1:], strict=True))
    inputs = Counter(text[:-1])
    return -sum(n * math.log(n / inputs[current]) for (current, _), n in pairs.items()) / (len(text) - 1)


@exercise_check
def check_lowest_memory_free_loss(answer: object) -> CheckResult:
    """Exercise 1: the lowest loss a model without memory can reach on ``" if you want you"``.

    Args:
        answer: The student's loss, a number (the mean cross-entropy over the 15 steps).

    Returns:
        The verdict, with a hint when the loss is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with the lowest loss you worked out.")
    loss = as_number(answer)
    if loss is None or not math.isfinite(loss):
        return not_yet("the answer is a number, a mean loss; got {0!r}.", answer)
    steps = len(SAMPLE) - 1
    lowest = _lowest_memory_free_loss(SAMPLE)
    if math.isclose(loss, lowest, abs_tol=5e-3):
        return correct("only the 4 spaces cost anything: their followers i, y, w, y can't be told apart "
                       "without memory.")
    spaces = SAMPLE[:-1].count(" ")
    hints = [
        (0.0, message("a model without memory gives every occurrence of a character the same guess: "
              "can it be sure at every step?")),
        (_lowest_memory_free_loss(HIHELLO), message("that is hihello's loss; count the followers in the "
                                                    "sentence.")),
        (lowest * steps, message("that is a sum over the steps; the loss is their mean.")),
        (lowest * steps / spaces, message("the loss is the mean over all 15 steps; the other steps cost 0.")),
        (lowest / math.log(2), message("cross-entropy uses the natural logarithm, not log base 2.")),
        (lowest / math.log(10), message("cross-entropy uses the natural logarithm, not log base 10.")),
        (spaces * math.log(3) / steps, message("after a space, one follower comes twice: the best guess "
                                               "gives it "
                                       "a larger share than the others.")),
    ]
    for wrong, hint in hints:
        if math.isclose(loss, wrong, abs_tol=5e-3):
            return not_yet(hint)
    if loss < lowest:
        return not_yet("that is lower than a model without memory can reach: which steps must it guess at?")
    return not_yet("that is higher than the best guess gives: after each character, give every follower "
                   "the share of times it follows.")


def _sample_tensors(device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """The sample's one-hot input ``(1, 15, 10)`` and target ids ``(15,)`` on ``device``."""
    vocab = CharVocab(SAMPLE)
    x = vocab.one_hot(vocab.encode(SAMPLE[:-1])).unsqueeze(0).to(device)  # (batch=1, seq_len=15, vocab=10)
    y = torch.tensor(vocab.encode(SAMPLE[1:]), device=device)  # (15,)
    return x, y


def _correct_characters(model: object, hidden_size: int) -> int:
    """How many of the sample's 15 next characters ``model`` predicts right.

    Raises:
        Hint: ``model`` is not a model of the sample with an ``nn.RNN`` of ``hidden_size`` units.
    """
    if not isinstance(model, nn.Module):
        raise Hint("train_sample_model should return the trained model; got {0}.", type(model).__name__)
    rnns = [module for module in model.modules() if isinstance(module, nn.RNN)]
    if not rnns:
        raise Hint("the check looks for the nn.RNN inside your model, as in section 7: there is none.")
    if rnns[0].hidden_size != hidden_size:
        raise Hint("train_sample_model({0}) built an RNN with hidden size {1}: "
                   "pass hidden_size on to the model.", hidden_size, rnns[0].hidden_size)
    parameter = next(model.parameters())
    x, y = _sample_tensors(parameter.device)
    try:
        with torch.no_grad():
            logits = model(x)
    except Exception as error:  # noqa: BLE001 (any error in a student's model becomes a hint)
        raise Hint("running your model on the sample raised {0}: {1}", type(error).__name__, error) from error
    if not isinstance(logits, torch.Tensor) or tuple(logits.shape) != (1, len(SAMPLE) - 1, 10):
        raise Hint("your model should return logits of shape (batch, seq_len, vocab_size), as CharRNN does.")
    return int((logits[0].argmax(dim=-1) == y).sum())


class _SampleModel(nn.Module):
    """The lab's ``CharRNN``: an ``nn.RNN`` over one-hot characters with a ``Linear`` head."""

    def __init__(self, vocab_size: int, hidden_size: int) -> None:
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (batch, seq_len, vocab) -> same shape
        return self.head(self.rnn(x)[0])


@functools.cache
def _smallest_as_specified(device: torch.device) -> int:
    """The exercise's answer on this device: section 7's training (seed 0, Adam, lr 0.1, 100 steps).

    Cached: the same device always gives the same answer, and training it takes a second or two.
    """
    x, y = _sample_tensors(device)
    for hidden_size in HIDDEN_SIZES:
        seed_everything(0)
        model = _SampleModel(x.shape[-1], hidden_size).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
        for _ in range(100):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x)[0], y).backward()  # (15, 10) vs (15,)
            optimizer.step()
        if _correct_characters(model, hidden_size) == len(y):
            return hidden_size
    return max(HIDDEN_SIZES) + 1


@exercise_check
def check_smallest_hidden_size(answer: object, train_sample_model: Callable | None) -> CheckResult:
    """Exercise 2: the smallest hidden size whose model gets the whole sample right.

    Training results differ a little between seeds and devices, so the check
    does not compare with a number fixed in advance. It calls
    ``train_sample_model(hidden_size)`` for every size from 1 up to the
    answer (with ``seed_everything(0)`` before each call, so a function that
    does not seed gets the same verdict every time), scores each model on
    ``" if you want you"``, and checks that the answer's model gets every
    character right and no smaller one does. Then it compares the answer with
    its own training of section 7 on the same device (seed 0, Adam with
    learning rate 0.1, 100 steps): a function that trains longer or otherwise
    answers another question.

    Args:
        answer: The student's smallest hidden size, one of 1, 2, 3, 4.
        train_sample_model: The student's function that trains the model of
            section 7 with a given ``hidden_size`` and returns it.

    Returns:
        The verdict, with a hint when the answer or the function is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("write train_sample_model, then replace None with the smallest hidden size.")
    size = as_whole_number(answer)
    if size is None:
        return not_yet("the answer is a whole number; got {0!r}.", answer)
    if size not in HIDDEN_SIZES:
        return not_yet("the exercise compares hidden sizes 1, 2, 3 and 4: answer one of them.")
    steps = len(SAMPLE) - 1
    scores = {}
    for hidden_size in range(1, size + 1):
        seed_everything(0)  # the models the exercise asks about: seed 0
        model = call_answer(train_sample_model, hidden_size)
        scores[hidden_size] = _correct_characters(model, hidden_size)
    if scores[size] < steps:
        return not_yet("your model with hidden size {0} gets {1} of the {2} characters "
                       "right, not all.", size, scores[size], steps)
    if any(scores[h] == steps for h in range(1, size)):
        return not_yet("with your train_sample_model a smaller hidden size also gets every character right.")
    if size != _smallest_as_specified(next(model.parameters()).device):
        return not_yet("your train_sample_model trains differently from section 7: 100 steps of Adam with "
                       "learning rate 0.1, from seed 0.")
    return correct("no smaller hidden size gets every character right with section 7's training. "
                   "(Try another seed: the answer can change.)")


def _as_probabilities(probabilities: object) -> torch.Tensor:
    """``probabilities`` (a tensor, NumPy array or nested list) as a ``(6, 5)`` double tensor on the CPU.

    Raises:
        Hint: ``probabilities`` is not the ``(6, 5)`` softmax of section 5's ``rnn_only``.
    """
    steps, classes = len(HIHELLO) - 1, len(CharVocab(HIHELLO))
    wrong = Hint("pass probabilities from section 5: a (6, 5) tensor, one row for each step.")
    probabilities = as_tensor(probabilities, torch.double)  # also from a NumPy array or a list
    if probabilities is None:
        raise wrong
    if tuple(probabilities.shape) == (1, steps, classes):  # the batch dimension kept
        probabilities = probabilities[0]
    if tuple(probabilities.shape) != (steps, classes):
        raise wrong
    if not torch.allclose(probabilities.sum(dim=-1), torch.ones(steps, dtype=torch.double), atol=1e-4):
        raise Hint("the rows of these probabilities do not add up to 1: pass the softmax of the logits.")
    if probabilities.max() > TANH_CEILING + 1e-3:
        raise Hint("some of these probabilities are above what tanh logits can give: pass rnn_only's.")
    return probabilities


@exercise_check
def check_least_sure_step(probabilities: object, step: object, input_char: object,
                          is_ambiguous: object = None) -> CheckResult:
    """Exercise 3: where ``rnn_only`` is least sure, its input there, and whether that input is ambiguous.

    The least sure step depends on the trained weights (and so on the seed and
    the device), so the check finds it in the student's own ``probabilities``.
    An input is ambiguous when ``hihello`` continues it in more than one way
    (section 6: a model without memory must guess there).

    Args:
        probabilities: ``probabilities`` from section 5, the softmax of
            ``rnn_only``'s logits on ``hihell``, of shape ``(6, 5)``.
        step: The student's step, counted from 0.
        input_char: The character ``rnn_only`` reads at that step.
        is_ambiguous: ``True`` or ``False``: is that input ambiguous?

    Returns:
        The verdict, with a hint when an answer is not right yet.
    """
    if is_placeholder(step) or is_placeholder(input_char) or is_placeholder(is_ambiguous):
        return no_answer_yet("replace the three None with the step (from 0), the input character there, "
                             "and True or False.")
    probabilities = _as_probabilities(probabilities)  # (6, 5)
    sureness = probabilities.max(dim=-1).values  # (6,): the top probability at each step
    hardest = int(sureness.argmin())
    number = as_whole_number(step)
    flat_indices = (int(probabilities.argmin()), int(probabilities.argmax()))  # argmin() without a dim
    if number is not None and number > len(HIHELLO) - 1 and number in flat_indices:  # 6 may count from 1
        return not_yet("that is an index into all 30 probabilities: take each row's highest one first.")
    if number is None or not 0 <= number < len(HIHELLO) - 1:
        return not_yet("the step is a whole number from 0 to 5.")
    if number != hardest:
        if number == int(sureness.argmax()):
            return not_yet("at that step rnn_only is most sure; look for the lowest top probability.")
        if number == hardest + 1:
            return not_yet("count the steps from 0, as Python does.")
        if number == int(probabilities.min(dim=-1).values.argmin()):
            return not_yet("judge each step by its highest probability, the one of the predicted character.")
        return not_yet("take the highest probability of each row; the least sure step has the lowest.")
    inputs, targets = HIHELLO[:-1], HIHELLO[1:]
    if isinstance(input_char, str):
        input_char = input_char.strip().lower()  # " l" and "L" name the same character
    if not isinstance(input_char, str) or len(input_char) != 1:
        return not_yet("the input character is a string of one character.")
    if input_char != inputs[hardest]:
        if input_char == targets[hardest]:
            return not_yet("that is the character to predict there; the question asks for the input.")
        return not_yet("check the input character: which character of 'hihell' does the model read at "
                       "your step?")
    if not isinstance(is_ambiguous, bool):
        return not_yet("the last answer is True or False.")
    followers = {HIHELLO[i + 1] for i in range(len(inputs)) if HIHELLO[i] == input_char}
    if is_ambiguous != (len(followers) > 1):
        return not_yet("right step and input; for the last answer, look at what follows that character "
                       "everywhere in 'hihello'.")
    if is_ambiguous:
        return correct("a model without memory must guess at that input; this one has memory, but only "
                       "the 5 numbers that are also its scores.")
    return correct("that input is not ambiguous, so this weak step is the training's doing, not the task's: "
                   "try other seeds.")
