"""Self-checks for the exercises of Lab 11-2 · hihello & charseq."""

import math
from collections.abc import Callable

import torch
from torch import nn

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
    no_answer_yet,
    not_yet,
)
from course_utils.vocab import CharVocab

HIHELLO = "hihello"
SAMPLE = " if you want you"
HIDDEN_SIZES = (1, 2, 3, 4)
TANH_CEILING = math.e / (math.e + 4 / math.e)  # the highest probability 5 logits in [-1, 1] can give


def _as_number(answer: object) -> float | None:
    """A number, or a tensor, array or list whose elements are all (nearly) the same number, as a float.

    Returns:
        The number, or ``None`` when ``answer`` holds no numbers.

    Raises:
        Hint: ``answer`` holds several numbers that differ.
    """
    if isinstance(answer, torch.Tensor) and answer.dtype == torch.bool:
        return None
    values = as_tensor(answer, torch.double)  # a list of the ratios of every unit, or a NumPy array or number
    if values is None or values.numel() == 0:
        return as_number(answer)
    values = values.flatten()
    if not torch.allclose(values, values[0].expand_as(values), rtol=1e-4, atol=1e-6, equal_nan=True):
        raise Hint("your ratio differs between hidden units: did a bias (or the tanh) get into it?")
    return float(values[0])


@exercise_check
def check_index_ratio(answer: object) -> CheckResult:
    """Exercise 1: how many times larger the input's contribution is for ``o`` than for ``h``.

    With the index code of this lab's vocabulary (``e, h, i, l, o`` get ids 0
    to 4), an ``nn.RNN(1, hidden)`` adds ``weight_ih_l0 * id`` to the state.

    Args:
        answer: The student's ratio, a number (or the tensor of the ratios of
            every hidden unit).

    Returns:
        The verdict, with a hint when the ratio is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with the ratio of o's contribution to h's.")
    ratio = _as_number(answer)
    if ratio is None:
        return not_yet(f"the answer is a number; got {type(answer).__name__}.")
    vocab = CharVocab(HIHELLO)
    o_id, h_id = vocab.char_to_id["o"], vocab.char_to_id["h"]
    if math.isclose(ratio, o_id / h_id, rel_tol=1e-3):
        return correct("the index multiplies one shared weight column: o pushes the state the same way as h, "
                       "only harder.")
    lecture = ["h", "i", "e", "l", "o"]  # the lecture's hand-written order, where h is 0
    hints = [
        (h_id / o_id, "that is h's contribution divided by o's: which one is larger?"),
        (o_id - h_id, "that is the difference of the two ids; the question asks for a ratio."),
        (1.0, "one-hot would give equal contributions; with an index, the input multiplies the weights."),
        ((o_id + 1) / (h_id + 1), "the ids of CharVocab count from 0."),
        (lecture.index("h") / lecture.index("o"), "with the lecture's order h is 0; use vocab.char_to_id."),
    ]
    if not math.isfinite(ratio):
        return not_yet("with the lecture's order h is 0, so you divided by zero; use vocab.char_to_id.")
    for wrong, hint in hints:
        if math.isclose(ratio, wrong, rel_tol=1e-3, abs_tol=1e-9):
            return not_yet(hint)
    return not_yet("compute weight_ih_l0 * vocab.char_to_id[c] for 'o' and for 'h', then divide.")


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
        raise Hint(f"train_sample_model should return the trained model; got {type(model).__name__}.")
    rnns = [module for module in model.modules() if isinstance(module, nn.RNN)]
    if not rnns:
        raise Hint("the check looks for the nn.RNN inside your model, as in section 6: there is none.")
    if rnns[0].hidden_size != hidden_size:
        raise Hint(f"train_sample_model({hidden_size}) built an RNN with hidden size {rnns[0].hidden_size}: "
                   "pass hidden_size on to the model.")
    parameter = next(model.parameters())
    x, y = _sample_tensors(parameter.device)
    try:
        with torch.no_grad():
            logits = model(x)
    except Exception as error:  # noqa: BLE001 (any error in a student's model becomes a hint)
        raise Hint(f"running your model on the sample raised {type(error).__name__}: {error}") from error
    if not isinstance(logits, torch.Tensor) or tuple(logits.shape) != (1, len(SAMPLE) - 1, 10):
        raise Hint("your model should return logits of shape (batch, seq_len, vocab_size), as CharRNN does.")
    return int((logits[0].argmax(dim=-1) == y).sum())


@exercise_check
def check_smallest_hidden_size(answer: object, train_sample_model: Callable | None) -> CheckResult:
    """Exercise 2: the smallest hidden size whose model gets the whole sample right.

    Training results differ a little between seeds and devices, so the check
    does not compare with a number of its own: it calls
    ``train_sample_model(hidden_size)`` for every size from 1 up to the
    answer, scores each model on ``" if you want you"`` and checks that the
    answer's model gets every character right and no smaller one does. Before
    it gives a hint, it trains the answer's size once more: a function that
    does not seed gives another model, and the hint says so.

    Args:
        answer: The student's smallest hidden size, one of 1, 2, 3, 4.
        train_sample_model: The student's function that trains the model of
            section 6 with a given ``hidden_size`` and returns it.

    Returns:
        The verdict, with a hint when the answer or the function is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("write train_sample_model, then replace None with the smallest hidden size.")
    size = as_whole_number(answer)
    if size is None:
        return not_yet(f"the answer is a whole number; got {answer!r}.")
    if size not in HIDDEN_SIZES:
        return not_yet("the exercise compares hidden sizes 1, 2, 3 and 4: answer one of them.")
    steps = len(SAMPLE) - 1
    scores = {h: _correct_characters(call_answer(train_sample_model, h), h) for h in range(1, size + 1)}
    smaller = [h for h in range(1, size) if scores[h] == steps]
    if smaller or scores[size] < steps:  # before a hint, call it again: without a seed, models differ
        again = _correct_characters(call_answer(train_sample_model, size), size)
        if again != scores[size]:
            return not_yet("each call of train_sample_model gives another model: start it with "
                           "seed_everything(0).")
    if smaller:
        return not_yet("with your train_sample_model a smaller hidden size also gets every character right.")
    if scores[size] < steps:
        return not_yet(f"your model with hidden size {size} gets {scores[size]} of the {steps} characters "
                       "right, not all.")
    return correct("with your training, no smaller hidden size gets every character right. "
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
def check_least_sure_step(probabilities: object, step: object, input_char: object) -> CheckResult:
    """Exercise 3: the step at which ``rnn_only`` is least sure, and its input character.

    The least sure step depends on the trained weights (and so on the seed and
    the device), so the check finds it in the student's own ``probabilities``.

    Args:
        probabilities: ``probabilities`` from section 5, the softmax of
            ``rnn_only``'s logits on ``hihell``, of shape ``(6, 5)``.
        step: The student's step, counted from 0.
        input_char: The character ``rnn_only`` reads at that step.

    Returns:
        The verdict, with a hint when the step or the character is not right yet.
    """
    if is_placeholder(step) or is_placeholder(input_char):
        return no_answer_yet("replace both None with the step (from 0) and the input character there.")
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
        return not_yet("the right step; its input is that position of 'hihell', counted from 0.")
    return correct("right step and input. For the why: what follows that character elsewhere in 'hihello'?")
