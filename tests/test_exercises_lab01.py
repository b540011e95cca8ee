"""Lab 01's checks accept the worked solutions and reject typical wrong answers."""

import numpy as np
import torch
from torch import nn

from course_utils.exercises import lab01


def test_deep_bidirectional_shapes_accept_the_solution():
    rnn = nn.RNN(input_size=8, hidden_size=16, num_layers=3, bidirectional=True, batch_first=True)
    output, h_n = rnn(torch.randn(4, 10, 8))
    assert lab01.check_deep_bidirectional_shapes(output.shape, h_n.shape)
    assert lab01.check_deep_bidirectional_shapes([4, 10, 32], (6, 4, 16))
    assert lab01.check_deep_bidirectional_shapes(tuple(np.array([4, 10, 32])), np.array([6, 4, 16]))
    assert lab01.check_deep_bidirectional_shapes((4, 10, 2 * 16.0), (3 * 2, 4, 16))


def test_deep_bidirectional_shapes_reject_typical_mistakes_without_giving_the_answer():
    right_output, right_h_n = (4, 10, 32), (6, 4, 16)
    for output, h_n, words in [
        ((4, 10, 16), right_h_n, "directions are concatenated"),
        ((10, 4, 32), right_h_n, "batch_first"),
        ((4, 10, 96), right_h_n, "top layer"),
        (right_output, (3, 4, 16), "each direction"),
        (right_output, (2, 4, 16), "every layer"),
        (right_output, (4, 6, 16), "never applies to h_n"),
        (right_output, (6, 4, 32), "stacked"),
        (right_output, (3, 4, 32), "stacked"),
        (right_output, (7, 4, 16), "each layer and each direction"),
        (right_output, (6, 4), "three dimensions"),
        ("(4, 10, 32)", right_h_n, "tuple"),
    ]:
        result = lab01.check_deep_bidirectional_shapes(output, h_n)
        assert not result and words in result.message, (output, h_n, result)
        assert "32" not in result.message and "(6, 4" not in result.message
    assert lab01.check_deep_bidirectional_shapes(None, right_h_n).status == "no answer yet"
    assert lab01.check_deep_bidirectional_shapes(right_output, None).status == "no answer yet"


def test_wrong_summary_shape_accepts_the_solution():
    rnn = nn.RNN(4, 2)  # batch_first=False, as the classmate's
    output, _ = rnn(torch.randn(3, 5, 4))
    assert lab01.check_wrong_summary_shape(output[-1].shape)
    assert lab01.check_wrong_summary_shape((5, 2))
    assert lab01.check_wrong_summary_shape(tuple(np.array([5, 2])))


def test_wrong_summary_shape_rejects_typical_mistakes_without_giving_the_answer():
    for wrong, words in [
        ((3, 2), "classmate expected"),
        ((1, 5, 2), "h_n_wrong"),
        ((3, 5, 2), "[-1] removes"),
        ((2, 5), "come last"),
        ((2,), "three dimensions"),
        ((4, 4), "[-1] removes"),
        ("5, 2", "tuple"),
    ]:
        result = lab01.check_wrong_summary_shape(wrong)
        assert not result and words in result.message, (wrong, result)
        assert "(5, 2)" not in result.message
    assert lab01.check_wrong_summary_shape(None).status == "no answer yet"


def test_gru_parameter_count_accepts_the_solution():
    assert lab01.check_gru_parameter_count(sum(p.numel() for p in nn.GRU(4, 3).parameters()))
    assert lab01.check_gru_parameter_count(81.0)
    assert lab01.check_gru_parameter_count(sum(np.prod(p.shape) for p in nn.GRU(4, 3).parameters()))


def test_gru_parameter_count_rejects_typical_mistakes_without_giving_the_answer():
    for wrong, words in [
        (27, "nn.RNN(4, 3)"),
        (108, "LSTM"),
        (54, "weight_ih_l0"),
        (63, "no bias"),
        (72, "two bias"),
        (3, "ratio"),
        (80, "named_parameters"),
        (81.5, "whole"),
    ]:
        result = lab01.check_gru_parameter_count(wrong)
        assert not result and words in result.message, (wrong, result)
        assert "81" not in result.message or wrong == 81.5
    assert lab01.check_gru_parameter_count(None).status == "no answer yet"
