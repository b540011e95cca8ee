"""Lab 03's checks accept the worked solutions and reject typical wrong answers."""

import random

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import CharVocab, seed_everything, sliding_windows
from course_utils.exercises import lab03

VOCAB = CharVocab(lab03.PASSAGE)


# Exercise 1 · ambiguous pieces


def ambiguous_pieces(text, length):
    followers = {}
    for i in range(len(text) - length):
        followers.setdefault(text[i : i + length], set()).add(text[i + length])
    return {piece for piece, nexts in followers.items() if len(nexts) > 1}


def repeated_pieces(text, length):
    pieces = [text[i : i + length] for i in range(len(text) - length)]
    return {p for p in pieces if pieces.count(p) > 1}


def counting_the_end(text, length):
    followers = {}
    for i in range(len(text) - length + 1):
        followers.setdefault(text[i : i + length], set()).add(text[i + length : i + length + 1])
    return {piece for piece, nexts in followers.items() if len(nexts) > 1}


def stopping_early(text, length):
    return ambiguous_pieces(text[:-1], length)


def pieces_one_too_long(text, length):
    return ambiguous_pieces(text, length + 1)


def test_ambiguous_pieces_accepts_the_solution():
    assert lab03.check_ambiguous_pieces(ambiguous_pieces)
    assert lab03.check_ambiguous_pieces(lambda text, length: sorted(ambiguous_pieces(text, length)))


def test_ambiguous_pieces_accepts_any_collection_of_the_pieces():
    def with_followers(text, length):  # a dict piece -> its followers: the keys are the pieces
        followers = {}
        for i in range(len(text) - length):
            followers.setdefault(text[i : i + length], set()).add(text[i + length])
        return {piece: nexts for piece, nexts in followers.items() if len(nexts) > 1}

    for other_collection in [
        with_followers,
        lambda text, length: (piece for piece in ambiguous_pieces(text, length)),
        lambda text, length: np.array(sorted(ambiguous_pieces(text, length))),
        lambda text, length: [text[i : i + length] for i in range(len(text) - length)
                              if text[i : i + length] in ambiguous_pieces(text, length)],  # repeats
    ]:
        assert lab03.check_ambiguous_pieces(other_collection)


def test_ambiguous_pieces_rejects_typical_mistakes():
    for wrong, words in [
        (repeated_pieces, "same next character"),
        (counting_the_end, "end of the text"),
        (stopping_early, "where your loop stops"),
        (pieces_one_too_long, "off by one"),
        (lambda text, length: len(ambiguous_pieces(text, length)), "set of strings"),
        (lambda text, length: set(), "you miss"),
        (lambda text, length: ambiguous_pieces(text, length) | {text[:length]}, "some of your pieces"),
    ]:
        result = lab03.check_ambiguous_pieces(wrong)
        assert not result and words in result.message, (wrong, result)
        assert "' and '" not in result.message and "don't" not in result.message, "a hint gave a piece away"


def test_ambiguous_pieces_reports_an_exception_and_a_missing_answer():
    raising = lab03.check_ambiguous_pieces(lambda text, length: text[length + 1000])
    assert not raising and "IndexError" in raising.message
    assert lab03.check_ambiguous_pieces(None).status == "no answer yet"


def test_the_passage_has_ambiguous_pieces_of_5_but_not_of_10():
    assert len(ambiguous_pieces(lab03.PASSAGE, 5)) > 0
    assert ambiguous_pieces(lab03.PASSAGE, 10) == set()


# Exercise 2 · one layer


class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden_size, num_layers):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, h_0=None):
        hidden_states, h_n = self.rnn(x, h_0)
        return self.head(hidden_states), h_n


def trained(num_layers, epochs):
    pairs = sliding_windows(lab03.PASSAGE, 10)
    x = VOCAB.one_hot(torch.tensor([VOCAB.encode(a) for a, _ in pairs]))  # (170, 10, 25)
    y = torch.tensor([VOCAB.encode(b) for _, b in pairs])  # (170, 10)
    seed_everything(0)
    model = CharRNN(len(VOCAB), 64, num_layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        for batch in torch.randperm(len(x), generator=order).split(32):
            optimizer.zero_grad()
            logits = model(x[batch])[0]  # (batch, 10, 25)
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(VOCAB)), y[batch].reshape(-1))
            loss.backward()
            optimizer.step()
    return model


@pytest.fixture(scope="module")
def one_layer_model():
    return trained(num_layers=1, epochs=40)


def test_one_layer_model_accepts_a_trained_model(one_layer_model):
    assert lab03.check_one_layer_model(one_layer_model)


def test_one_layer_model_rejects_typical_mistakes():
    untrained = lab03.check_one_layer_model(CharRNN(len(VOCAB), 64, 1))
    assert not untrained and "trained" in untrained.message
    undertrained = lab03.check_one_layer_model(trained(num_layers=1, epochs=4))
    assert not undertrained and ("more epochs" in undertrained.message or "trained" in undertrained.message)
    two_layers = lab03.check_one_layer_model(CharRNN(len(VOCAB), 64, 2))
    assert not two_layers and "num_layers=1" in two_layers.message
    no_rnn = lab03.check_one_layer_model(nn.Linear(25, 25))
    assert not no_rnn and "no recurrent layer" in no_rnn.message
    not_a_model = lab03.check_one_layer_model("model_1")
    assert not not_a_model and "model itself" in not_a_model.message


class CellRNN(nn.Module):
    """One layer written with nn.RNNCell and a loop: right too."""

    def __init__(self):
        super().__init__()
        self.cell = nn.RNNCell(len(VOCAB), 64)
        self.head = nn.Linear(64, len(VOCAB))

    def forward(self, x, h_0=None):
        h = torch.zeros(len(x), 64, device=x.device) if h_0 is None else h_0
        states = []
        for t in range(x.shape[1]):
            h = self.cell(x[:, t], h)
            states.append(h)
        return self.head(torch.stack(states, dim=1)), h


class ScriptedCharRNN(nn.Module):
    """A one-layer stand-in that predicts every next character right except in ``misses`` windows.

    Window ``i`` (from 1 on) adds its last prediction to the rebuilt passage, so each spoilt window
    costs exactly one of the 179 rebuilt characters.
    """

    def __init__(self, misses):
        super().__init__()
        self.rnn = nn.RNN(len(VOCAB), 8, batch_first=True)  # unused: there for the layer count
        pairs = sliding_windows(lab03.PASSAGE, 10)
        self.y = torch.tensor([VOCAB.encode(b) for _, b in pairs])  # (170, 10)
        self.y[1 : misses + 1, -1] = (self.y[1 : misses + 1, -1] + 1) % len(VOCAB)

    def forward(self, x, h_0=None):
        logits = nn.functional.one_hot(self.y, len(VOCAB)).float().to(x.device)  # (170, 10, 25)
        return logits, torch.zeros(1, len(x), 8, device=x.device)


def test_one_layer_model_asks_for_99_percent_like_the_lab():
    for misses in (0, 1):  # 179 and 178 of 179 characters: 100 % and 99.4 %
        assert lab03.check_one_layer_model(ScriptedCharRNN(misses)), misses
    for misses in (2, 3):  # 177 and 176 of 179: 98.9 % and 98.3 %, below the exercise's 99 %
        result = lab03.check_one_layer_model(ScriptedCharRNN(misses))
        assert not result and "not yet 99 %" in result.message and "more epochs" in result.message, result


def test_one_layer_model_names_another_object_with_the_right_article():
    model = CharRNN(len(VOCAB), 64, 1)
    optimizer = lab03.check_one_layer_model(torch.optim.Adam(model.parameters()))
    assert not optimizer and "optimizer (Adam)" in optimizer.message and "a Adam" not in optimizer.message
    for other, name in [(42, "int"), ([model], "list"), (torch.zeros(3), "Tensor")]:
        result = lab03.check_one_layer_model(other)
        assert not result and "model itself" in result.message and f"type {name}" in result.message, result
        assert " a int" not in result.message


def test_one_layer_model_counts_an_rnn_cell_as_one_layer():
    result = lab03.check_one_layer_model(CellRNN())  # untrained: judged on what it rebuilds, not refused
    assert not result and "recurrent layer" not in result.message and "trained" in result.message


def test_one_layer_model_checks_the_head_and_missing_answers():
    class WrongHead(CharRNN):
        def __init__(self):
            super().__init__(len(VOCAB), 64, 1)
            self.head = nn.Linear(64, 64)

    wrong_head = lab03.check_one_layer_model(WrongHead())
    assert not wrong_head and "(170, 10, vocab_size)" in wrong_head.message
    wrong_input_size = lab03.check_one_layer_model(CharRNN(10, 64, 1))  # raises on one-hot inputs of 25
    assert not wrong_input_size and "RuntimeError" in wrong_input_size.message
    assert lab03.check_one_layer_model(None).status == "no answer yet"


# Exercise 3 · greedy writing


def make_greedy(carry=True, step=-1, keep_prompt=True, extra=0):
    def greedy(model, prompt, length):
        device = next(model.parameters()).device
        x = VOCAB.one_hot(VOCAB.encode(prompt)).unsqueeze(0).to(device)  # (1, len(prompt), 25)
        text = prompt if keep_prompt else ""
        with torch.no_grad():
            logits, h = model(x)
            for _ in range(length + extra):
                next_id = logits[0, step].argmax().item()
                text += VOCAB.chars[next_id]
                x = VOCAB.one_hot([next_id]).unsqueeze(0).to(device)  # (1, 1, 25)
                logits, h = model(x, h if carry else None)
        return text

    return greedy


def greedy_rereading(model, prompt, length):
    """Right too: re-read the whole text at every step instead of carrying h."""
    device = next(model.parameters()).device
    text = prompt
    with torch.no_grad():
        for _ in range(length):
            logits, _ = model(VOCAB.one_hot(VOCAB.encode(text)).unsqueeze(0).to(device))
            text += VOCAB.chars[logits[0, -1].argmax().item()]
    return text


def sampling(model, prompt, length):
    device = next(model.parameters()).device
    text = prompt
    with torch.no_grad():
        logits, h = model(VOCAB.one_hot(VOCAB.encode(text)).unsqueeze(0).to(device))
        for _ in range(length):
            next_id = torch.multinomial(torch.softmax(logits[0, -1], dim=-1).cpu(), 1).item()
            text += VOCAB.chars[next_id]
            logits, h = model(VOCAB.one_hot([next_id]).unsqueeze(0).to(device), h)
    return text


def make_sampler(temperature, generator_seed=None, reseed_global=None):
    """The lab's sample: with the global RNG, with its own seeded generator, or reseeding the global one."""

    def sampler(model, prompt, length):
        if reseed_global is not None:
            torch.manual_seed(reseed_global)
        generator = None if generator_seed is None else torch.Generator().manual_seed(generator_seed)
        device = next(model.parameters()).device
        text = prompt
        with torch.no_grad():
            logits, h = model(VOCAB.one_hot(VOCAB.encode(text)).unsqueeze(0).to(device))
            for _ in range(length):
                probs = torch.softmax(logits[0, -1] / temperature, dim=-1).cpu()
                next_id = torch.multinomial(probs, 1, generator=generator).item()
                text += VOCAB.chars[next_id]
                logits, h = model(VOCAB.one_hot([next_id]).unsqueeze(0).to(device), h)
        return text

    return sampler


def test_greedy_accepts_the_solutions():
    assert lab03.check_greedy(make_greedy())
    assert lab03.check_greedy(greedy_rereading)

    def greedy_that_seeds(model, prompt, length):  # touches the global RNG, but writes the argmax path
        torch.manual_seed(0)
        return make_greedy()(model, prompt, length)

    assert lab03.check_greedy(greedy_that_seeds)


def test_greedy_rejects_a_sampler_at_low_temperature():
    """Sampling with the global RNG, even at T = 0.01, is caught by two calls that disagree, run after run."""
    for temperature in (0.3, 0.1, 0.01):
        for run in range(10):
            torch.manual_seed(run)  # whatever the notebook's RNG holds
            result = lab03.check_greedy(make_sampler(temperature))
            assert not result and "random draw" in result.message, (temperature, run, result)


def test_greedy_rejects_a_deterministic_sampler():
    """Sampling with a seeded generator writes the same text every call, but not the argmax path."""
    for temperature in (0.1, 0.01):
        for seed in range(10):
            for sampler in (make_sampler(temperature, generator_seed=seed),
                            make_sampler(temperature, reseed_global=seed)):
                result = lab03.check_greedy(sampler)
                assert not result and "same text on every call" in result.message, (temperature, seed, result)
                assert "argmax" in result.message and "random draw" not in result.message


def test_greedy_puts_the_global_random_generators_back():
    torch.manual_seed(5)
    random.seed(5)
    np.random.seed(5)  # noqa: NPY002 (the global generator, which the check must put back)
    states = torch.get_rng_state(), random.getstate(), np.random.get_state()[1].copy()  # noqa: NPY002
    for answer in (make_greedy(), make_sampler(1.0), sampling):
        lab03.check_greedy(answer)
    assert torch.equal(torch.get_rng_state(), states[0])
    assert random.getstate() == states[1]
    assert np.array_equal(np.random.get_state()[1], states[2])  # noqa: NPY002


def test_greedy_rejects_typical_mistakes():
    right_text = lab03._greedy(lab03._TinyCharRNN(len(VOCAB)), VOCAB, "if you", 20)
    for wrong, words in [
        (make_greedy(carry=False), "hidden state"),
        (make_greedy(step=0), "last step"),
        (make_greedy(keep_prompt=False), "prompt followed by"),
        (make_greedy(extra=1), "new characters"),
        (sampling, "random draw"),
        (lambda model, prompt, length: prompt + " " * length, "most likely"),
        (lambda model, prompt, length: list(make_greedy()(model, prompt, length)), "string"),
        (lambda model, prompt, length: prompt[:-1] + make_greedy()(model, prompt[-1], length), "whole"),
    ]:
        result = lab03.check_greedy(wrong)
        assert not result and words in result.message, (wrong, result)
        assert right_text[len("if you") :] not in result.message, "a hint gave the greedy text away"


def test_greedy_reports_an_exception_and_a_missing_answer():
    raising = lab03.check_greedy(lambda model, prompt, length: VOCAB.encode("?"))
    assert not raising and "ValueError" in raising.message

    def stub(model, prompt, length):
        ...

    assert lab03.check_greedy(stub).status == "no answer yet"
    assert lab03.check_greedy(None).status == "no answer yet"


def test_the_check_model_is_far_from_ties_but_its_logits_are_small():
    """Greedy texts must not depend on float noise (CPU vs GPU): the top two logits differ clearly
    relative to their size. Yet the logits are small, so that sampling at a low temperature strays."""
    model = lab03._TinyCharRNN(len(VOCAB))
    for prompt, length in lab03._GREEDY_CASES:
        text = make_greedy()(model, prompt, length)
        with torch.no_grad():
            logits, _ = model(VOCAB.one_hot(VOCAB.encode(text)).unsqueeze(0))  # (1, len(text), 25)
        steps = logits[0, len(prompt) - 1 : -1]  # (length, 25): the logits each new character came from
        top_two = steps.topk(2, dim=-1).values  # (length, 2)
        assert (top_two[:, 0] - top_two[:, 1]).min() > 0.02 * steps.abs().max()
        assert logits.abs().max() < 0.03
        assert len(set(text[len(prompt) :])) > 5, "the greedy text should vary, to tell mistakes apart"
