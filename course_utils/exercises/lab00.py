"""Self-checks for the exercises of Lab 11-0 · RNN intro."""

from collections.abc import Callable

import torch
from torch import nn

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    as_tensor,
    as_whole_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    no_answer_yet,
    not_yet,
)


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
            f"for a (2, 6, 4) input and hidden size 3, output should be (batch, seq_len, hidden) and "
            f"h_last (batch, hidden); got {tuple(output.shape)} and {tuple(h_last.shape)}."
        )
    output, h_last = output.detach().cpu(), h_last.detach().cpu()
    if (output < 0).any():
        return not_yet("some outputs are negative, which a ReLU never gives: is tanh still used somewhere?")
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


@exercise_check
def check_rnn_parameter_count(answer: int | None) -> CheckResult:
    """Exercise 2: the number of parameters of ``nn.RNN(input_size=10, hidden_size=20)``.

    Args:
        answer: The student's count, worked out with the formula.

    Returns:
        The verdict, with a hint when the count is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with your count.")
    count = as_whole_number(answer)
    if count is None:
        return not_yet(f"the answer is a whole number; got {answer!r}.")
    hidden, inputs = 20, 10
    w_x, w_h, bias = hidden * inputs, hidden * hidden, hidden
    if count == w_x + w_h + 2 * bias:
        return correct("W_x, W_h and both biases, and not a parameter more.")
    hints = {
        w_x + w_h + bias: "nn.RNN has two bias vectors, b_x and b_h: you counted one.",
        w_x + w_h: "you counted the two weight matrices but no bias.",
        w_h + 2 * bias: "W_x is missing: it maps the input to the hidden state.",
        w_x + 2 * bias: "W_h is missing: it maps the previous hidden state to the new one (hidden x hidden).",
        inputs * inputs + w_x + 2 * bias: "W_h is (hidden_size, hidden_size), not (input_size, input_size).",
    }
    fallback = "list the four tensors of nn.RNN (weight_ih_l0, ...) with their shapes, then add them up."
    return not_yet(hints.get(count, fallback))


@exercise_check
def check_zero_step(zero_step: Callable | None) -> CheckResult:
    """Exercise 3: ``zero_step(b_x, b_h)`` gives ``h_t`` when ``x_t`` and ``h_{t-1}`` are both zero.

    Args:
        zero_step: The student's formula as a function of the two bias vectors.

    Returns:
        The verdict, with a hint when the formula is not right yet.
    """
    if is_placeholder(zero_step):
        return no_answer_yet("write your formula as zero_step(b_x, b_h) and pass the function here.")
    generator = torch.Generator().manual_seed(0)
    b_x, b_h = torch.randn(2, 3, generator=generator).to(get_device())  # two (hidden=3,) bias vectors
    returned = as_tensor(call_answer(zero_step, b_x, b_h))
    if returned is None or returned.numel() != 3 or returned.squeeze().dim() != 1:  # (3,), or (1, 3)
        return not_yet("return one tensor of shape (hidden_size,), computed from b_x and b_h.")
    returned, b_x, b_h = returned.reshape(3), b_x.cpu(), b_h.cpu()
    if torch.allclose(returned, torch.tanh(b_x + b_h), atol=1e-6):
        return correct("with no input and no memory, an RNN step still outputs something: the biases.")
    if torch.allclose(returned, torch.zeros(3)):
        return not_yet("the matrix products vanish, but is everything inside the tanh zero?")
    if torch.allclose(returned, b_x + b_h, atol=1e-6):
        return not_yet("right sum, but the step does not end there: what is applied to it?")
    if torch.allclose(returned, torch.tanh(b_x) + torch.tanh(b_h), atol=1e-6):
        return not_yet("the step applies tanh once, to the whole sum, not to each bias.")
    if torch.allclose(returned, torch.tanh(b_x), atol=1e-6) or torch.allclose(returned, torch.tanh(b_h)):
        return not_yet("the step has two bias vectors; use both.")
    return not_yet("write out rnn_step with x_t = 0 and h_prev = 0, term by term.")
