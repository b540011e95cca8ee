"""Lab 07's checks accept the worked solutions and reject typical wrong answers."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from course_utils.exercises import lab07

SIGMA_1 = 1 / (1 + math.exp(-1))


def sigma_power_shown(message: str) -> bool:
    """Whether a message gives σ(1)**49 away, in any of the usual formats."""
    value = SIGMA_1**49
    return any(text in message for text in (f"{value:.2e}", f"{value:.1e}", f"{value:.3g}", f"{value:.2g}"))


# Exercise 1 -----------------------------------------------------------------------------------------------


class MemoryModel(nn.Module):
    """The lab's MemoryModel: an embedding, an LSTM with forget bias 1 and a head on the last step."""

    def __init__(self, trained=True, forget_bias=1.0):
        super().__init__()
        torch.manual_seed(0)
        self.embedding = nn.Embedding(12, 16)
        self.rnn = nn.LSTM(16, 32, batch_first=True)
        self.head = nn.Linear(32, 4)
        with torch.no_grad():
            self.rnn.bias_ih_l0[32:64] = forget_bias  # the lab's open_memory_gate(model.rnn, 1.0)
            self.rnn.bias_hh_l0[32:64] = 0.0
            if trained:  # 300 steps of Adam move every weight a little; the task stays at chance
                for parameter in self.parameters():
                    parameter.add_(0.01 * torch.randn_like(parameter))

    def forward(self, sequences):  # (batch, length) ids -> (batch, 4) logits
        output, _ = self.rnn(self.embedding(sequences))
        return self.head(output[:, -1])


class ReadsTheSignal(MemoryModel):
    """An LSTM model that answers from the first token: what a model that solved the task would score."""

    def forward(self, sequences):
        return 10.0 * torch.nn.functional.one_hot(sequences[:, 0], 4).float()


def bias_one(**changes):
    answer = {
        "kept over 49 steps": torch.sigmoid(torch.tensor(1.0)) ** 49,  # as the solution computes it
        "ratio at init": 1.8e-05,  # measured, seed 0 (CPU)
        "trained model": MemoryModel(),
        "enough": False,
    }
    return answer | changes


def test_forget_bias_one_accepts_the_solution():
    result = lab07.check_forget_bias_one(bias_one())
    assert result and "about chance" in result.message, result
    for ratio in [2.3e-6, 2.6e-4, 9.9e-6, 3.0e-6, 3.2e-5]:  # fresh bias-1 LSTMs, seeds 5, 2, 6, 36, 10 (CPU)
        assert lab07.check_forget_bias_one(bias_one(**{"ratio at init": ratio}))
    assert lab07.check_forget_bias_one(bias_one(**{"kept over 49 steps": 0.731**49}))


def test_forget_bias_one_scores_the_trained_model_itself():
    accuracy = lab07._trained_accuracy(MemoryModel())
    assert 0.15 < accuracy < 0.35, accuracy
    solved = lab07.check_forget_bias_one(bias_one(**{"trained model": ReadsTheSignal(), "enough": True}))
    assert not solved and "100.0%" in solved.message and "far above chance" in solved.message


def test_forget_bias_one_accepts_numpy_and_tensor_entries():
    sigma_1 = 1 / (1 + np.exp(-1))
    assert lab07.check_forget_bias_one(bias_one(**{"kept over 49 steps": np.float32(sigma_1) ** 49}))
    assert lab07.check_forget_bias_one(bias_one(**{"ratio at init": torch.tensor([1.8e-5])}))
    assert lab07.check_forget_bias_one(bias_one(enough=np.bool_(False)))
    assert lab07.check_forget_bias_one(bias_one(enough=torch.tensor(0.259) > 0.4))


@pytest.mark.parametrize(
    ("key", "wrong", "words"),
    [
        ("kept over 49 steps", SIGMA_1**50, "not 50"),
        ("kept over 49 steps", (1 / (1 + math.exp(-3))) ** 49, "bias of 3"),
        ("kept over 49 steps", 0.5**49, "σ(0)"),
        ("kept over 49 steps", math.tanh(1) ** 49, "not tanh"),
        ("kept over 49 steps", 49 * SIGMA_1, "power"),
        ("kept over 49 steps", 0.73**49, "rounded"),
        ("kept over 49 steps", 1e-3, "49 times"),
        ("kept over 49 steps", "2e-7", "a number"),
        ("ratio at init", 0.055, "bias of 3"),  # the LSTM with forget bias 3, seed 0
        ("ratio at init", 2.5e-11, "freshly built"),  # PyTorch's default gates, seed 0
        ("ratio at init", 1.5e-8, "not the trained one"),  # the bias-1 LSTM after training, seed 0
        ("ratio at init", 0.80, "per-step"),  # the 49th root of the ratio
        ("ratio at init", 1.0, "last step itself"),
        ("ratio at init", torch.ones(50), "not a tensor"),
        ("trained model", MemoryModel(trained=False), "train it first"),  # build_memory_model, not trained
        ("trained model", MemoryModel(forget_bias=0.0), "is it the \"LSTM, bias 1\""),  # default gates
        ("trained model", MemoryModel(forget_bias=3.0), "is it the \"LSTM, bias 1\""),  # the lab's LSTM
        ("ratio at init", SIGMA_1**49, "measure the ratio"),  # the guess, not a measurement
        ("trained model", ReadsTheSignal(), "far above chance"),  # the bias-3 LSTM scores this
        ("trained model", (MemoryModel(), 0.259), "(model, accuracy)"),  # train_memory_model's whole return
        ("trained model", 0.259, "the model that train_memory_model returns"),  # the accuracy instead
        ("trained model", nn.Sequential(nn.Embedding(12, 4), nn.GRU(4, 4)), "no nn.LSTM"),
        ("enough", True, "chance"),
        ("enough", "no", "True or False"),
    ],
)
def test_forget_bias_one_rejects_typical_mistakes(key, wrong, words):
    result = lab07.check_forget_bias_one(bias_one(**{key: wrong}))
    assert not result and words in result.message, result
    assert not sigma_power_shown(result.message), result


def test_forget_bias_one_knows_placeholders_and_missing_keys():
    assert lab07.check_forget_bias_one(None).status == "no answer yet"
    assert lab07.check_forget_bias_one(dict.fromkeys(lab07.FORGET_BIAS_KEYS)).status == "no answer yet"
    partly = lab07.check_forget_bias_one(bias_one(**{"trained model": None, "enough": None}))
    assert partly.status == "no answer yet" and "'trained model'" in partly.message
    missing = lab07.check_forget_bias_one({"kept over 49 steps": 2e-7})
    assert not missing and "missing" in missing.message
    assert not lab07.check_forget_bias_one([2e-7, 1e-5, MemoryModel(), False])


def test_the_ratio_window_separates_the_lab_measurements_with_margin():
    low, high = lab07.RATIO_AT_INIT_WINDOW
    assert 1.5e-9 * 100 < low < 2.3e-6 / 4  # default gates (largest), fresh bias 1 (smallest), seeds 0-49
    assert 3.4e-7 < low  # the bias-1 LSTM after training (largest over seeds 0-29)
    assert 2.6e-4 * 10 < high < 0.018 / 5  # fresh bias 1 (largest over seeds 0-49), fresh bias 3 (smallest)


# Exercise 2 -----------------------------------------------------------------------------------------------


def make_truncated_logits(size=10, split="split", detach=True, carry=True):
    def truncated_logits(model, sequences):
        h = None
        for chunk in getattr(sequences, split)(size, dim=1):
            output, h_new = model.rnn(model.embedding(chunk), h if carry else None)
            h = h_new.detach() if detach else h_new
        return model.head(output[:, -1])

    return truncated_logits


def embed_once_then_split(model, sequences):
    embedded = model.embedding(sequences)  # (batch, 50, embedding)
    h = None
    for chunk in embedded.split(10, dim=1):
        output, h = model.rnn(chunk, h if h is None else h.detach())
    return model.head(output[:, -1])


def test_truncated_logits_accepts_the_solution():
    assert lab07.check_truncated_logits(make_truncated_logits())
    assert lab07.check_truncated_logits(embed_once_then_split)


def test_truncated_logits_accepts_other_correct_ways():
    def step_by_step(model, sequences):  # one step at a time, cut every 10 steps
        h = None
        for t in range(sequences.shape[1]):
            h = h.detach() if t % 10 == 0 and h is not None else h
            output, h = model.rnn(model.embedding(sequences[:, t : t + 1]), h)
        return model.head(output[:, -1])

    def first_chunks_without_grad(model, sequences):
        with torch.no_grad():
            _, h = model.rnn(model.embedding(sequences[:, :40]))
        output, _ = model.rnn(model.embedding(sequences[:, 40:]), h)
        return model.head(output[:, -1])

    def detached_in_place_and_read_from_h(model, sequences):
        h = None
        for chunk in torch.split(sequences, 10, dim=1):
            if h is not None:
                h.detach_()
            _, h = model.rnn(model.embedding(chunk), h)
        return model.head(h[-1])

    for right in (step_by_step, first_chunks_without_grad, detached_in_place_and_read_from_h):
        assert lab07.check_truncated_logits(right), right


def test_truncated_logits_rejects_typical_mistakes():
    for wrong, words in [
        (make_truncated_logits(detach=False), "h.detach()"),
        (make_truncated_logits(split="chunk"), "chunks of 10 steps"),
        (make_truncated_logits(size=25), "25 steps back"),
        (make_truncated_logits(size=7), "1 step back"),
        (make_truncated_logits(carry=False), "not carried"),
        (lambda model, sequences: make_truncated_logits()(model, sequences).detach(), "no gradient"),
        (lambda model, sequences: model.rnn(model.embedding(sequences))[0], "(batch, 4)"),
        (lambda model, sequences: model.head(model.rnn(model.embedding(sequences))[0][:, 0]), "differ"),
        (lambda model, sequences: model(sequences), "first step"),
        (lambda model, sequences: make_truncated_logits()(model, sequences).softmax(dim=-1), "probabilities"),
    ]:
        result = lab07.check_truncated_logits(wrong)
        assert not result and words in result.message, result


def test_truncated_logits_reports_an_exception_and_a_missing_answer():
    def detach_none(model, sequences):
        h = None
        for chunk in sequences.split(10, dim=1):
            h = h.detach()
            output, h = model.rnn(model.embedding(chunk), h)
        return model.head(output[:, -1])

    raising = lab07.check_truncated_logits(detach_none)
    assert not raising and "AttributeError" in raising.message
    assert lab07.check_truncated_logits(None).status == "no answer yet"
    assert lab07.check_truncated_logits(lambda model, sequences: None).status == "no answer yet"


def test_truncated_logits_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    lab07.check_truncated_logits(make_truncated_logits())
    assert torch.equal(torch.rand(3), expected)


# Exercise 3 -----------------------------------------------------------------------------------------------

BLOCKS = {"LSTM": 4, "GRU": 3}
LAB_COUNTS = {"LSTM": 14848, "GRU": 11136}


def two_layer_parameters(kind, input_size, hidden_size):
    blocks = BLOCKS[kind]
    first = blocks * (hidden_size * input_size + hidden_size * hidden_size + 2 * hidden_size)
    second = blocks * (hidden_size * hidden_size + hidden_size * hidden_size + 2 * hidden_size)
    return first + second


def test_the_lab_counts():
    for kind, count in LAB_COUNTS.items():
        assert sum(p.numel() for p in getattr(nn, kind)(16, 32, num_layers=2).parameters()) == count
        assert two_layer_parameters(kind, 16, 32) == count


def test_two_layer_parameters_accepts_the_solution():
    assert lab07.check_two_layer_parameters(two_layer_parameters)
    by_pytorch = lambda kind, i, h: sum(p.numel() for p in getattr(nn, kind)(i, h, num_layers=2).parameters())  # noqa: E731
    assert lab07.check_two_layer_parameters(by_pytorch)
    assert lab07.check_two_layer_parameters(lambda kind, i, h: torch.tensor(two_layer_parameters(kind, i, h)))


def test_two_layer_parameters_accepts_numpy_integers():
    def from_shapes(kind, input_size, hidden_size):
        rows = BLOCKS[kind] * hidden_size
        first = [(rows, input_size), (rows, hidden_size), (rows,), (rows,)]  # weight_ih_l0, ..., bias_hh_l0
        shapes = first + [(rows, hidden_size), (rows, hidden_size), (rows,), (rows,)]  # then _l1
        return sum(np.prod(shape) for shape in shapes)  # a NumPy integer

    assert lab07.check_two_layer_parameters(from_shapes)


def test_the_mistakes_are_told_apart_at_the_lab_sizes():
    for kind in BLOCKS:
        mistakes = lab07._count_mistakes(kind, 16, 32)
        assert len(mistakes) == 7 and LAB_COUNTS[kind] not in mistakes


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda kind, i, h: 2 * BLOCKS[kind] * h * (i + h + 2), "first layer's hidden state"),
        (lambda kind, i, h: BLOCKS[kind] * h * (i + 3 * h + 2), "two bias vectors"),
        (lambda kind, i, h: BLOCKS[kind] * h * (i + 3 * h), "no bias"),
        (lambda kind, i, h: BLOCKS[kind] * h * (i + h + 2), "counted one"),
        (lambda kind, i, h: BLOCKS[kind] * h * (i + h + 4), "W_hh"),
        (lambda kind, i, h: h * (i + 3 * h + 4), "plain RNN"),
        (lambda kind, i, h: (7 - BLOCKS[kind]) * h * (i + 3 * h + 4), "blocks again"),
        (lambda kind, i, h: LAB_COUNTS[kind], "no numbers typed in"),
        (lambda kind, i, h: two_layer_parameters(kind, i, 32), "no numbers typed in"),
        (lambda kind, i, h: 12345, "their shapes"),
        (lambda kind, i, h: two_layer_parameters(kind, i, h) + 0.5, "whole number"),
        (lambda kind, i, h: str(two_layer_parameters(kind, i, h)), "whole number"),
    ],
)
def test_two_layer_parameters_rejects_typical_mistakes_without_giving_the_answer(wrong, words):
    result = lab07.check_two_layer_parameters(wrong)
    assert not result and words in result.message, result
    if "whole number" not in words:
        assert not any(str(count) in result.message for count in LAB_COUNTS.values()), result


def test_two_layer_parameters_reports_an_exception_and_a_missing_answer():
    raising = lab07.check_two_layer_parameters(lambda kind, i, h: {"GRU": 3}[kind] * h)
    assert not raising and "KeyError" in raising.message
    assert lab07.check_two_layer_parameters(None).status == "no answer yet"
    assert lab07.check_two_layer_parameters(lambda kind, i, h: None).status == "no answer yet"
