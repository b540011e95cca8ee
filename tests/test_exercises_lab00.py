"""Lab 00's checks accept the worked solutions and reject typical wrong answers."""

import numpy as np
import torch

from course_utils.exercises import lab00


def rnn_step_relu(x_t, h_prev, W_x, W_h, b_x, b_h):
    return torch.relu(x_t @ W_x.T + b_x + h_prev @ W_h.T + b_h)


def make_rnn_forward(step, carry_state=True):
    def rnn_forward(x, W_x, W_h, b_x, b_h):
        batch, seq_len, _ = x.shape
        h = torch.zeros(batch, W_h.shape[0], device=x.device)
        outputs = []
        for t in range(seq_len):
            h_new = step(x[:, t], h, W_x, W_h, b_x, b_h)
            h = h_new if carry_state else h
            outputs.append(h_new)
        return torch.stack(outputs, dim=1), h_new

    return rnn_forward


def rnn_step_tanh(x_t, h_prev, W_x, W_h, b_x, b_h):
    return torch.tanh(x_t @ W_x.T + b_x + h_prev @ W_h.T + b_h)


def test_relu_rnn_accepts_the_solution():
    assert lab00.check_relu_rnn(make_rnn_forward(rnn_step_relu))


def test_relu_rnn_accepts_other_correct_styles():
    def step_clamped(x_t, h_prev, W_x, W_h, b_x, b_h):
        return (x_t @ W_x.T + h_prev @ W_h.T + b_x + b_h).clamp(min=0)

    assert lab00.check_relu_rnn(make_rnn_forward(step_clamped))
    assert lab00.check_relu_rnn(lambda *args: list(make_rnn_forward(rnn_step_relu)(*args)))  # a list


def test_relu_rnn_rejects_typical_mistakes():
    still_tanh = lab00.check_relu_rnn(make_rnn_forward(rnn_step_tanh))
    assert not still_tanh and "tanh" in still_tanh.message
    state_not_carried = lab00.check_relu_rnn(make_rnn_forward(rnn_step_relu, carry_state=False))
    assert not state_not_carried and "later steps" in state_not_carried.message
    only_output = lab00.check_relu_rnn(lambda *args: make_rnn_forward(rnn_step_relu)(*args)[0])
    assert not only_output and "two tensors" in only_output.message

    def step_w_h_not_transposed(x_t, h_prev, W_x, W_h, b_x, b_h):
        return torch.relu(x_t @ W_x.T + b_x + h_prev @ W_h + b_h)

    not_transposed = lab00.check_relu_rnn(make_rnn_forward(step_w_h_not_transposed))
    assert not not_transposed and "W_h.T term" in not_transposed.message


def test_relu_rnn_reports_an_exception_and_a_missing_answer():
    raising = lab00.check_relu_rnn(lambda x, W_x, W_h, b_x, b_h: x @ W_h)
    assert not raising and "RuntimeError" in raising.message
    assert lab00.check_relu_rnn(None).status == "no answer yet"


def test_parameter_count_accepts_the_solution():
    assert lab00.check_rnn_parameter_count(20 * 10 + 20 * 20 + 20 + 20)
    assert lab00.check_rnn_parameter_count(torch.tensor(640))
    assert lab00.check_rnn_parameter_count(np.prod((20, 10)) + np.prod((20, 20)) + 40)  # np.int64
    assert lab00.check_rnn_parameter_count(np.float32(640))
    assert lab00.check_rnn_parameter_count(np.array(640))


def test_parameter_count_rejects_typical_mistakes_without_giving_the_answer():
    for wrong, words in [(620, "two bias"), (600, "no bias"), (240, "W_h"), (17, "shapes"), ("640", "whole")]:
        result = lab00.check_rnn_parameter_count(wrong)
        assert not result and words in result.message, (wrong, result)
        assert "640" not in result.message or wrong == "640"
    assert lab00.check_rnn_parameter_count(None).status == "no answer yet"


def test_zero_step_accepts_the_solution():
    assert lab00.check_zero_step(lambda b_x, b_h: torch.tanh(b_x + b_h))


def test_zero_step_accepts_other_correct_styles():
    assert lab00.check_zero_step(lambda b_x, b_h: np.tanh(b_x.cpu().numpy() + b_h.cpu().numpy()))
    assert lab00.check_zero_step(lambda b_x, b_h: torch.tanh(b_x + b_h).unsqueeze(0))  # (1, hidden)
    assert lab00.check_zero_step(lambda b_x, b_h: torch.tanh(b_x + b_h).tolist())


def test_zero_step_rejects_typical_mistakes():
    for wrong, words in [
        (lambda b_x, b_h: torch.zeros_like(b_x), "inside the tanh"),
        (lambda b_x, b_h: b_x + b_h, "applied"),
        (lambda b_x, b_h: torch.tanh(b_x), "both"),
        (lambda b_x, b_h: torch.tanh(b_x) + torch.tanh(b_h), "once"),
        (lambda b_x, b_h: 0.0, "one tensor"),
    ]:
        result = lab00.check_zero_step(wrong)
        assert not result and words in result.message, result
