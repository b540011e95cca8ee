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


def test_relu_prediction_accepts_the_size_and_the_loop():
    relu_rnn = torch.nn.RNN(4, 3, nonlinearity="relu", batch_first=True)
    with torch.no_grad():
        relu_rnn.weight_ih_l0.fill_(0.5)
        relu_rnn.weight_hh_l0.copy_(1.5 * torch.eye(3))
        relu_rnn.bias_ih_l0.zero_()
        relu_rnn.bias_hh_l0.zero_()
        output, _ = relu_rnn(torch.ones(1, 50, 4))
    assert lab00.check_relu_prediction(output.max().item())
    assert lab00.check_relu_prediction(1.5**50)  # "times 1.5 at every step", without the input: close enough
    assert lab00.check_relu_prediction(np.float32(3e9))


def test_relu_prediction_rejects_typical_mistakes():
    largest = 4 * (1.5**50 - 1)
    for wrong, words in [(1.0, "upper bound"), (0.999, "upper bound"), (100, "too small"),
                         (2 * 50, "too small"), (1.5**60, "too large"), ("big", "a number")]:
        result = lab00.check_relu_prediction(wrong)
        assert not result and words in result.message, (wrong, result)
        assert f"{largest:.2g}" not in result.message
    assert lab00.check_relu_prediction(None).status == "no answer yet"


def test_same_state_as_hello_accepts_the_words_that_end_in_o():
    assert lab00.check_same_state_as_hello(["lo", "ello", "loo"])
    assert lab00.check_same_state_as_hello({"loo", "lo", "ello", "hello"})  # a set, and hello itself
    assert lab00.check_same_state_as_hello((" Lo", "ello", "loo"))


def test_same_state_as_hello_rejects_typical_mistakes():
    for wrong, words in [
        (["olleh", "hole", "lo", "ello", "loo"], "another state"),  # same letters, other last one
        (["lo"], "more of the words"),
        ([], "more of the words"),
        (["lo", "halo"], "choose among"),
        ("lo", "list of strings"),
        ([1, 2], "list of strings"),
    ]:
        result = lab00.check_same_state_as_hello(wrong)
        assert not result and words in result.message, (wrong, result)
        assert words == "choose among" or "ello" not in result.message.replace("hello", "")
    assert lab00.check_same_state_as_hello(None).status == "no answer yet"
