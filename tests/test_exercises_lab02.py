"""Lab 02's checks accept the worked solutions and reject typical wrong answers."""

import math

import pytest
import torch
from torch import nn

from course_utils import CharVocab, seed_everything
from course_utils.exercises import lab02


def test_lowest_memory_free_loss_accepts_the_solution_and_what_training_reaches():
    lowest = 6 * math.log(2) / 15  # four spaces: -ln(1/4), -ln(1/2) twice, -ln(1/4)
    assert lab02.check_lowest_memory_free_loss(lowest)
    assert lab02.check_lowest_memory_free_loss(round(lowest, 3))
    assert lab02.check_lowest_memory_free_loss(torch.tensor(lowest))
    vocab = CharVocab(" if you want you")  # a lookup table trained to convergence reaches it
    x = vocab.one_hot(vocab.encode(" if you want yo"))
    y = torch.tensor(vocab.encode("if you want you"))
    seed_everything(0)
    linear = nn.Linear(10, 10)
    optimizer = torch.optim.Adam(linear.parameters(), lr=0.1)
    for _ in range(500):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(linear(x), y)
        loss.backward()
        optimizer.step()
    assert lab02.check_lowest_memory_free_loss(loss.item())


def test_lowest_memory_free_loss_rejects_typical_mistakes_without_giving_the_answer():
    lowest = 6 * math.log(2) / 15
    for wrong, words in [
        (0.0, "same guess"),
        (4 * math.log(2) / 6, "hihello"),
        (6 * math.log(2), "mean"),
        (6 * math.log(2) / 4, "all 15 steps"),
        (6 / 15, "log base 2"),
        (4 * math.log(3) / 15, "larger share"),
        (0.1, "lower than"),
        (0.35, "higher than"),
        ("0.3", "a number"),
        (math.nan, "a number"),
    ]:
        result = lab02.check_lowest_memory_free_loss(wrong)
        assert not result and words in result.message, (wrong, result)
        assert f"{lowest:.2f}" not in result.message and "ln 2" not in result.message
    assert lab02.check_lowest_memory_free_loss(None).status == "no answer yet"


class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x):
        hidden_states, _ = self.rnn(x)
        return self.head(hidden_states)


def make_train_sample_model(steps=100, fixed_hidden_size=None, seeded=True):
    sample = " if you want you"
    vocab = CharVocab(sample)
    x = vocab.one_hot(vocab.encode(sample[:-1])).unsqueeze(0)  # (1, 15, 10)
    y = torch.tensor(vocab.encode(sample[1:]))  # (15,)

    def train_sample_model(hidden_size):
        if seeded:
            seed_everything(0)
        model = CharRNN(len(vocab), fixed_hidden_size or hidden_size)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
        for _ in range(steps):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x)[0], y)
            loss.backward()
            optimizer.step()
        return model

    return train_sample_model


@pytest.fixture(scope="module")
def smallest_and_scores():
    """The smallest size with every character right, as the solution finds it with seed 0."""
    train = make_train_sample_model()
    x, y = lab02._sample_tensors(torch.device("cpu"))
    right = {h: int((train(h)(x)[0].argmax(-1) == y).sum()) for h in (1, 2, 3, 4)}
    return min(h for h, n in right.items() if n == len(y)), right


def test_smallest_hidden_size_accepts_the_solution(smallest_and_scores):
    smallest, _ = smallest_and_scores
    assert lab02.check_smallest_hidden_size(smallest, make_train_sample_model())


def test_smallest_hidden_size_rejects_typical_mistakes(smallest_and_scores):
    smallest, right = smallest_and_scores
    assert smallest > 1 and right[1] < 15, "the test needs a size that fails below the smallest one"
    too_big = lab02.check_smallest_hidden_size(4, make_train_sample_model()) if smallest < 4 else None
    assert too_big is None or (not too_big and "smaller hidden size" in too_big.message)
    assert too_big is None or str(smallest) not in too_big.message
    too_small = lab02.check_smallest_hidden_size(smallest - 1, make_train_sample_model())
    assert not too_small and "not all" in too_small.message
    untrained = lab02.check_smallest_hidden_size(smallest, make_train_sample_model(steps=1))
    assert not untrained and "not all" in untrained.message
    ignores_size = lab02.check_smallest_hidden_size(1, make_train_sample_model(fixed_hidden_size=8))
    assert not ignores_size and "pass hidden_size" in ignores_size.message
    for wrong, words in [(0, "1, 2, 3 and 4"), (8, "1, 2, 3 and 4"), ("3", "whole")]:
        result = lab02.check_smallest_hidden_size(wrong, make_train_sample_model())
        assert not result and words in result.message, (wrong, result)


class PerfectFrom(nn.Module):
    """A stand-in for a model trained otherwise: every character right from ``threshold`` units on.

    It holds the nn.RNN the check looks for, but its answers do not depend on training, so the test does not
    depend on how this processor's floats round (a longer real training found a smaller size on one machine
    and not on another).
    """

    def __init__(self, hidden_size, threshold):
        super().__init__()
        self.rnn = nn.RNN(10, hidden_size, batch_first=True)
        self.knows = hidden_size >= threshold

    def forward(self, x):
        _, y = lab02._sample_tensors(x.device)
        logits = torch.zeros(1, len(y), 10, device=x.device)  # (batch, seq_len, vocab): id 0 wins
        if self.knows:
            logits[0, torch.arange(len(y)), y] = 1.0  # the right character at every step
        return logits


def test_smallest_hidden_size_rejects_training_other_than_section_7s(smallest_and_scores):
    smallest, _ = smallest_and_scores
    other = smallest + 1 if smallest < 4 else smallest - 1  # the smallest size of another training
    result = lab02.check_smallest_hidden_size(other, lambda size: PerfectFrom(size, other))
    assert not result and "trains differently" in result.message


def test_smallest_hidden_size_seeds_what_it_trains(smallest_and_scores):
    smallest, _ = smallest_and_scores
    results = [lab02.check_smallest_hidden_size(smallest, make_train_sample_model(seeded=False))
               for _ in range(2)]
    assert all(results), results  # the check seeds each call: an unseeded function gets a stable verdict


def test_smallest_hidden_size_reports_exceptions_and_missing_answers():
    raising = lab02.check_smallest_hidden_size(2, lambda hidden_size: CharRNN(5, hidden_size))
    assert not raising and "raised RuntimeError" in raising.message
    not_a_model = lab02.check_smallest_hidden_size(2, lambda hidden_size: 0.9)
    assert not not_a_model and "trained model" in not_a_model.message
    no_rnn = lab02.check_smallest_hidden_size(1, lambda hidden_size: nn.Linear(10, 10))
    assert not no_rnn and "nn.RNN" in no_rnn.message

    def train_sample_model(hidden_size):
        ...

    assert lab02.check_smallest_hidden_size(None, train_sample_model).status == "no answer yet"
    assert lab02.check_smallest_hidden_size(3, train_sample_model).status == "no answer yet"


@pytest.fixture
def probabilities():
    """Made-up section 5 probabilities of rnn_only, below the tanh ceiling; step 4 is least sure."""
    top = torch.tensor([0.64, 0.645, 0.63, 0.62, 0.55, 0.60])  # (6,)
    rows = ((1 - top) / 4).unsqueeze(1).repeat(1, 5)  # (6, 5)
    rows[torch.arange(6), torch.tensor([2, 1, 0, 3, 3, 4])] = top  # the targets of ihello
    rows[1, 0], rows[1, 4] = rows[1, 0] + 0.06, rows[1, 4] - 0.06  # step 1 holds the row minimum
    return rows


def test_least_sure_step_accepts_the_solution(probabilities):
    assert lab02.check_least_sure_step(probabilities, 4, "l", True)
    assert lab02.check_least_sure_step(probabilities, torch.tensor(4), "l", True)
    assert lab02.check_least_sure_step(probabilities, probabilities.numpy().max(axis=-1).argmin(), "l", True)


def test_least_sure_step_accepts_other_correct_styles(probabilities):
    assert lab02.check_least_sure_step(probabilities.numpy(), 4, "l", True)
    assert lab02.check_least_sure_step(probabilities.tolist(), 4.0, "l", True)
    assert lab02.check_least_sure_step(probabilities.unsqueeze(0), 4, "l", True)  # (1, 6, 5): batch kept
    assert lab02.check_least_sure_step(probabilities, 4, "L", True)
    assert lab02.check_least_sure_step(probabilities, 4, " l", True)


def test_least_sure_step_judges_the_students_own_probabilities(probabilities):
    probabilities[2, 0], probabilities[2, 1] = 0.5, probabilities[2, 1] + 0.13  # now step 2 is least sure
    assert lab02.check_least_sure_step(probabilities, 2, "h", True)
    assert not lab02.check_least_sure_step(probabilities, 4, "l", True)


def test_least_sure_step_rejects_typical_mistakes(probabilities):
    for step, char, words in [
        (1, "l", "most sure"),
        (5, "l", "from 0"),
        (0, "l", "of each row"),
        (6, "l", "from 0 to 5"),
        (4, "e", "which character"),
        (4, "ll", "one character"),
        (4, 3, "one character"),
        (int(probabilities.argmin()), "l", "all 30"),
    ]:
        result = lab02.check_least_sure_step(probabilities, step, char, True)
        assert not result and words in result.message, (step, char, result)
    probabilities[2] = torch.tensor([0.63, 0.17, 0.19, 0.005, 0.005])  # now the row with the lowest entry
    min_entry = lab02.check_least_sure_step(probabilities, 2, "h", True)
    assert not min_entry and "highest probability" in min_entry.message


def test_least_sure_step_rejects_other_probabilities(probabilities):
    head_model = torch.softmax(torch.randn(6, 5) * 10, dim=-1)
    for wrong, words in [
        (head_model, "tanh"),
        (probabilities * 2, "add up to 1"),
        (probabilities[:5], "(6, 5)"),
        (probabilities.tolist()[:5], "(6, 5)"),
        ("probabilities", "(6, 5)"),
    ]:
        result = lab02.check_least_sure_step(wrong, 4, "l", True)
        assert not result and words in result.message, result
    assert lab02.check_least_sure_step(probabilities, None, None).status == "no answer yet"
    assert lab02.check_least_sure_step(probabilities, 4, None).status == "no answer yet"
    assert lab02.check_least_sure_step(probabilities, 4, "l").status == "no answer yet"


def test_least_sure_step_judges_whether_the_input_is_ambiguous(probabilities):
    wrong = lab02.check_least_sure_step(probabilities, 4, "l", False)  # l is followed by l and by o
    assert not wrong and "everywhere in 'hihello'" in wrong.message
    not_a_bool = lab02.check_least_sure_step(probabilities, 4, "l", "yes")
    assert not not_a_bool and "True or False" in not_a_bool.message
    probabilities[1] = torch.tensor([0.2, 0.3, 0.2, 0.2, 0.1])  # now step 1, input i, is least sure
    assert lab02.check_least_sure_step(probabilities, 1, "i", False)  # i is always followed by h
    assert not lab02.check_least_sure_step(probabilities, 1, "i", True)
