"""Self-checks for the exercises of Lab 11-0 · RNN intro."""

import math
from collections.abc import Callable

import torch
from torch import nn

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    as_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    no_answer_yet,
    not_yet,
)
from course_utils.vocab import CharVocab


@exercise_check
def check_relu_rnn(rnn_forward_relu: Callable | None) -> CheckResult:
    """Exercise 1: ``rnn_forward_relu(x, W_x, W_h, b_x, b_h)`` equals ``nn.RNN(..., nonlinearity="relu")``.

    The check builds its own ReLU RNN and input, calls the function with the
    RNN's weights and compares both returned tensors with the RNN's.

    Args:
        rnn_forward_relu: The student's function, with the signature of the
            lab's ``rnn_forward``; it returns ``(output, h_last)`` of shapes
            ``(batch, seq_len, hidden)`` and ``(batch, hidden)``.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(rnn_forward_relu):
        return no_answer_yet("write rnn_step_relu and rnn_forward_relu, then pass rnn_forward_relu here.")
    device = get_device()
    generator = torch.Generator().manual_seed(0)
    relu_rnn = nn.RNN(4, 3, nonlinearity="relu", batch_first=True)
    with torch.no_grad():  # weights that make some units negative before the ReLU
        for parameter in relu_rnn.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    relu_rnn = relu_rnn.to(device)
    x = torch.randn(2, 6, 4, generator=generator).to(device)  # (batch=2, seq_len=6, input_size=4)
    with torch.no_grad():
        expected_output, expected_h_n = relu_rnn(x)  # (2, 6, 3), (1, 2, 3)
        weights = [p.detach().clone() for p in relu_rnn.parameters()]  # W_x, W_h, b_x, b_h
        returned = call_answer(rnn_forward_relu, x, *weights)
    pair = isinstance(returned, (tuple, list)) and len(returned) == 2  # a list of the two works too
    if not (pair and all(torch.is_tensor(t) for t in returned)):
        return not_yet("return two tensors, (output, h_last), as rnn_forward does.")
    output, h_last = returned
    if tuple(output.shape) != (2, 6, 3) or tuple(h_last.shape) != (2, 3):
        return not_yet(
            "for a (2, 6, 4) input and hidden size 3, output should be (batch, seq_len, hidden) and "
            "h_last (batch, hidden); got {0} and {1}.", tuple(output.shape), tuple(h_last.shape)
        )
    output, h_last = output.detach().cpu(), h_last.detach().cpu()
    if (output < 0).any():
        return not_yet("some outputs are negative, which a relu of the whole sum never gives: is tanh gone, "
                       "and is every term inside the relu?")
    if not torch.allclose(output[:, 0], expected_output[:, 0].cpu(), atol=1e-5):
        return not_yet("the first step is already wrong: check rnn_step_relu against the formula.")
    if not torch.allclose(output, expected_output.cpu(), atol=1e-5):
        w_x, _, b_x, b_h = (w.cpu() for w in weights)
        without_memory = torch.relu(x.cpu() @ w_x.T + b_x + b_h)  # every step from h_prev = 0: (2, 6, 3)
        if torch.allclose(output, without_memory, atol=1e-5):
            return not_yet("the first step is right, later steps are not: is h passed from step to step?")
        return not_yet("the first step is right, later steps are not: check the h_prev @ W_h.T term "
                       "(h_prev is zero at the first step).")
    if not torch.allclose(h_last, expected_h_n[0].cpu(), atol=1e-5):
        return not_yet("the outputs are right but h_last is not: return the state after the last step.")
    return correct("your ReLU loop gives the same outputs and last state as nn.RNN(nonlinearity='relu').")


RELU_STEPS, RELU_GROWTH, RELU_INPUT_WEIGHT = 50, 1.5, 0.5
WORDS_TO_COMPARE = ["olleh", "lo", "hell", "oh", "hole", "ello", "loo"]


def _relu_rnn_largest_state() -> float:
    """The largest ``h_t`` of Exercise 2's ReLU RNN over its 50 steps of ones (it grows at every step)."""
    h, largest = 0.0, 0.0
    for _ in range(RELU_STEPS):  # every unit gets 4 inputs of 1 times 0.5, plus 1.5 times its own state
        h = max(0.0, 4 * RELU_INPUT_WEIGHT + RELU_GROWTH * h)
        largest = max(largest, h)
    return largest


@exercise_check
def check_relu_prediction(answer: object) -> CheckResult:
    """Exercise 2: the student's prediction of the largest ``h_t`` of a ReLU RNN over 50 steps.

    The RNN has input weights 0.5, ``W_h = 1.5 * I``, zero biases and an
    input of ones, so every unit follows ``h_t = 2 + 1.5 * h_{t-1}``. A
    prediction within a factor of 10 of the true value is right: the
    exercise asks for the size, and the loop gives the digits.

    Args:
        answer: The predicted largest value of ``h_t``, a number.

    Returns:
        The verdict, with a hint when the prediction is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with your prediction, a number.")
    prediction = as_number(answer)
    if prediction is None or not math.isfinite(prediction):
        return not_yet("the answer is a number; got {0!r}.", answer)
    largest = _relu_rnn_largest_state()
    if largest / 10 <= prediction <= largest * 10:
        return correct("the right size: the state is multiplied by 1.5 at every step, so it grows "
                       "exponentially. Run your loop for the digits.")
    if prediction <= 1:
        return not_yet("that is what tanh would allow; does relu have an upper bound?")
    if prediction < largest / 10:
        return not_yet("too small: what happens to the previous state at every step, besides adding the "
                       "input?")
    return not_yet("too large: each step multiplies the previous state by W_h's 1.5, once.")


def _final_states_without_memory(words: list[str]) -> dict[str, torch.Tensor]:
    """``h_n`` of every word, from an ``nn.RNN(4, 3)`` over ``e, h, l, o`` whose ``W_h`` is zero."""
    vocab = CharVocab("hello")
    generator = torch.Generator().manual_seed(0)
    rnn = nn.RNN(len(vocab), 3, batch_first=True)
    with torch.no_grad():
        for parameter in rnn.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
        rnn.weight_hh_l0.zero_()  # no memory
        return {word: rnn(vocab.one_hot(vocab.encode(word)).unsqueeze(0))[1].flatten() for word in words}


@exercise_check
def check_same_state_as_hello(answer: object) -> CheckResult:
    """Exercise 3: which of ``WORDS_TO_COMPARE`` end in the same ``h_n`` as ``hello`` when ``W_h = 0``.

    Args:
        answer: The student's words, as a list, tuple or set of strings.

    Returns:
        The verdict, with a hint when the words are not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with a list of the words, e.g. ['oh'].")
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set)) or not all(
            isinstance(word, str) for word in answer):
        return not_yet("give the words as a list of strings, e.g. ['oh'].")
    chosen = {word.strip().lower() for word in answer} - {"hello"}
    unknown = chosen - set(WORDS_TO_COMPARE)
    if unknown:
        return not_yet("choose among {0}; {1} is not one of them.", WORDS_TO_COMPARE, sorted(unknown))
    states = _final_states_without_memory(["hello", *WORDS_TO_COMPARE])
    same = {word for word in WORDS_TO_COMPARE if torch.allclose(states[word], states["hello"], atol=1e-6)}
    if chosen == same:
        return correct("without W_h, h_n depends on the last input only: every word that ends like hello "
                       "ends in its state.")
    if chosen - same:
        return not_yet("some of your words end in another state: with W_h = 0, which input does the last "
                       "step still see?")
    return not_yet("right so far, but more of the words end in the same state.")
