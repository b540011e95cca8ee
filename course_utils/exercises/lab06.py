"""Self-checks for the exercises of Lab 11-6 · PackedSequence."""

import copy
import random
from collections.abc import Callable

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    message,
    no_answer_yet,
    not_yet,
)


def _majority_examples(n: int, rng: random.Random) -> list[tuple[str, int]]:
    """The lab's ``make_examples``: 3 to 30 ``a``/``b``, no ties, no repeats; label 1 = more a's."""
    examples, seen = [], set()
    while len(examples) < n:
        text = "".join(rng.choice("ab") for _ in range(rng.randint(3, 30)))
        if text.count("a") != text.count("b") and text not in seen:
            seen.add(text)
            examples.append((text, int(text.count("a") > text.count("b"))))
    return examples


def _held_out_batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The lab's 400 held-out strings: padded one-hot ``(400, max_len, 2)``, lengths (CPU), labels (CPU)."""
    held_out = _majority_examples(2000, random.Random(0))[1600:]
    one_hots = [torch.eye(2)[[0 if c == "a" else 1 for c in text]] for text, _ in held_out]  # (length, 2)
    x = pad_sequence(one_hots, batch_first=True)  # (400, max_len, 2)
    lengths = torch.tensor([len(text) for text, _ in held_out])  # (400,)
    labels = torch.tensor([label for _, label in held_out])  # (400,)
    return x, lengths, labels


@exercise_check
def check_bidirectional_model(model: nn.Module | None) -> CheckResult:
    """Exercise 1: a bidirectional majority model, trained packed, labels the held-out strings.

    The check rebuilds the lab's 400 held-out strings and calls
    ``model(x, lengths)`` as the lab does: ``x`` padded one-hot
    ``(batch, max_len, 2)`` on the model's device, ``lengths`` on the CPU. It
    asks for a bidirectional RNN inside, scores that do not change when the
    batch gets more padding (the mark of packing), and at least 85 % accuracy.

    Args:
        model: The student's trained model, returning ``(batch, 2)`` class scores.

    Returns:
        The verdict, with a hint when the model is not right yet.
    """
    if is_placeholder(model):
        return no_answer_yet("train a bidirectional majority model, packed, and pass it here.")
    if isinstance(model, (tuple, list)) and any(isinstance(item, nn.Module) for item in model):
        return not_yet("pass the model itself: the lab's train returns (model, history, seconds per epoch).")
    if not isinstance(model, nn.Module) or next(model.parameters(), None) is None:
        return not_yet("pass the trained model (an nn.Module with parameters), as train returns it.")
    rnns = [m for m in model.modules() if isinstance(m, nn.RNNBase)]
    if not rnns:
        return not_yet("this model has no recurrent layer (nn.RNN, nn.GRU or nn.LSTM) to read the strings.")
    if not any(rnn.bidirectional for rnn in rnns):
        return not_yet("its RNN reads in one direction only: build it with bidirectional=True.")
    device = next(model.parameters()).device
    x, lengths, labels = _held_out_batch()
    more_padding = torch.cat([x, torch.zeros(len(x), 5, 2)], dim=1)  # (400, max_len + 5, 2)
    with torch.no_grad():
        scores = call_answer(model, x.to(device), lengths)
        if not torch.is_tensor(scores) or tuple(scores.shape) != (len(x), 2):
            shape = tuple(scores.shape) if torch.is_tensor(scores) else type(scores).__name__
            return not_yet("for a batch of strings the model should return (batch, 2) scores; got "
                           "{0}.", shape)
        scores_more_padding = call_answer(model, more_padding.to(device), lengths)
    scores, scores_more_padding = scores.detach().cpu(), scores_more_padding.detach().cpu()
    if not torch.allclose(scores, scores_more_padding, atol=1e-5):
        return not_yet("its scores change when the batch gets more padding: is it packed?")
    held_out_accuracy = (scores.argmax(dim=1) == labels).float().mean().item()
    if held_out_accuracy >= 0.85:
        silent = _silent_direction(model, x.to(device), lengths, scores)
        if silent == "forward":
            return not_yet("its scores do not change when the forward direction is silenced: "
                           "does the head read both directions' h_n?")
        if silent == "backward":
            return not_yet("its scores do not change when the backward direction is silenced: "
                           "does the head read both directions' h_n?")
        return correct("packed and bidirectional, it labels at least 85 % of the held-out strings right.")
    if held_out_accuracy <= 0.65:
        return not_yet("held-out accuracy {0:.0%} is near chance: is the model trained?", held_out_accuracy)
    return not_yet(
        "held-out accuracy {0:.0%} is below 85 %: train it as long as the lab's model, "
        "with a head that reads both directions.", held_out_accuracy
    )


def _silent_direction(model: nn.Module, x: torch.Tensor, lengths: torch.Tensor, scores: torch.Tensor) -> str:
    """The direction of the first bidirectional layer that the scores ignore ("" if they read both).

    Zeroing a direction's weights and biases makes its hidden state 0 at every step (for RNN, GRU and
    LSTM alike); a model whose head reads that direction then scores differently.
    """
    for suffix, direction in (("", "forward"), ("_reverse", "backward")):
        silenced = copy.deepcopy(model)
        rnn = next(m for m in silenced.modules() if isinstance(m, nn.RNNBase) and m.bidirectional)
        with torch.no_grad():
            for name, parameter in rnn.named_parameters():
                if name.endswith(f"_l0{suffix}"):
                    parameter.zero_()
            silenced_scores = call_answer(silenced, x, lengths).detach().cpu()
        if torch.allclose(silenced_scores, scores, atol=1e-6):
            return direction
    return ""


def _rnn_and_sequences(device: torch.device) -> tuple[nn.RNN, list[torch.Tensor]]:
    """A seeded ``nn.RNN(3, 4)`` (biases not zero) and four sequences of lengths 5, 2, 7, 3."""
    generator = torch.Generator().manual_seed(0)
    rnn = nn.RNN(3, 4, batch_first=True)
    with torch.no_grad():
        for parameter in rnn.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.5)
    sequences = [torch.randn(n, 3, generator=generator) for n in (5, 2, 7, 3)]  # (length, features) each
    return rnn.to(device), [s.to(device) for s in sequences]


def _as_h_n(h_n: torch.Tensor, batch: int, hidden: int) -> torch.Tensor | None:
    """``h_n`` as ``(1, batch, hidden)``; ``(batch, hidden)`` is accepted too. ``None`` for another shape."""
    if tuple(h_n.shape) == (batch, hidden):
        return h_n.unsqueeze(0)
    return h_n if tuple(h_n.shape) == (1, batch, hidden) else None


@exercise_check
def check_left_padded_run(left_padded_run: Callable | None) -> CheckResult:
    """Exercise 2: ``left_padded_run(rnn, sequences)`` runs ``rnn`` on the batch padded on the left.

    Args:
        left_padded_run: The student's function. It takes a ``batch_first``
            RNN and a list of ``(length, features)`` tensors, pads them with
            zeros *in front* to the longest length and returns what the RNN
            returns, ``(output, h_n)``.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(left_padded_run):
        return no_answer_yet("write left_padded_run(rnn, sequences) and pass the function here.")
    rnn, sequences = _rnn_and_sequences(get_device())
    with torch.no_grad():
        returned = call_answer(left_padded_run, rnn, sequences)
        left, left_h_n = rnn(pad_sequence(sequences, batch_first=True, padding_side="left"))  # (4, 7, 4)
        right, right_h_n = rnn(pad_sequence(sequences, batch_first=True))  # (4, 7, 4), (1, 4, 4)
        true_last = torch.stack([rnn(s.unsqueeze(0))[1][0, 0] for s in sequences])  # (4, 4) run alone
    is_pair = isinstance(returned, (tuple, list)) and len(returned) == 2
    if not (is_pair and all(map(torch.is_tensor, returned))):
        return not_yet("return what the RNN returns: the pair (output, h_n).")
    output, h_n = (t.detach().cpu() for t in returned)
    if tuple(output.shape) != (4, 7, 4):
        return not_yet(
            "for 4 sequences (the longest has 7 steps) and hidden size 4, output should be "
            "(batch, longest, hidden); got {0}.", tuple(output.shape)
        )
    h_n = _as_h_n(h_n, 4, 4)
    if h_n is None:
        return not_yet("h_n should be (num_layers, batch, hidden), as the RNN returns it.")
    left, left_h_n, right, right_h_n = left.cpu(), left_h_n.cpu(), right.cpu(), right_h_n.cpu()
    if torch.allclose(output, left, atol=1e-5) and torch.allclose(h_n, left_h_n, atol=1e-5):
        return correct("the RNN runs on the batch with the padding in front.")
    if torch.allclose(output, right, atol=1e-5):
        return not_yet("the padding is after the characters: put it in front (padding_side='left').")
    if torch.allclose(h_n[0], true_last.cpu(), atol=1e-5):
        return not_yet("h_n is each sequence's true last state, as if packed: run the left-padded batch.")
    if torch.allclose(output, left, atol=1e-5):
        return not_yet("the output is right but h_n is not: return the h_n of the same run.")
    return not_yet("pad the list with zeros in front to the longest length, then call rnn on that batch.")


def _masked_sum(outputs: torch.Tensor, steps: torch.Tensor) -> torch.Tensor:
    """The sum of each row's first ``steps[i]`` outputs: ``(batch, hidden)``."""
    mask = torch.arange(outputs.shape[1]) < steps[:, None]  # (batch, max_len)
    return (outputs * mask[..., None]).sum(dim=1)


@exercise_check
def check_mean_over_real_steps(mean_over_real_steps: Callable | None) -> CheckResult:
    """Exercise 3: ``mean_over_real_steps(outputs, lengths)`` averages each row over its real steps only.

    The check gives outputs whose padded steps hold large numbers (as an RNN's
    outputs after the padding do), so a mean that lets them in shows it.

    Args:
        mean_over_real_steps: The student's function. It takes padded outputs
            ``(batch, max_len, hidden)`` on the device and ``lengths``
            ``(batch,)`` on the CPU, as in the lab, and returns ``(batch, hidden)``.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(mean_over_real_steps):
        return no_answer_yet("write mean_over_real_steps(outputs, lengths) and pass the function here.")
    generator = torch.Generator().manual_seed(0)
    lengths = torch.tensor([5, 2, 7, 3])  # (batch=4,) on the CPU, as in the lab
    outputs = torch.randn(4, 7, 3, generator=generator)  # (batch, max_len=7, hidden=3)
    padded = torch.arange(7) >= lengths[:, None]  # (4, 7) True at padded steps
    outputs[padded] += 10.0  # what follows the real steps is not zero
    returned = call_answer(mean_over_real_steps, outputs.clone().to(get_device()), lengths.clone())
    if not torch.is_tensor(returned):
        return not_yet("return one tensor of shape (batch, hidden).")
    returned = returned.detach().cpu().float()  # a float64 answer is compared as float32
    if tuple(returned.shape) != (4, 3):
        return not_yet("for outputs (4, 7, 3) the result is (batch, hidden); got {0}.", tuple(returned.shape))
    masked_sum, per_row = _masked_sum(outputs, lengths), lengths[:, None]  # (4, 3), (4, 1)
    if torch.allclose(returned, masked_sum / per_row, atol=1e-5):
        return correct("each row is the mean of its real steps: the padding neither adds nor divides.")
    one_more, one_less = _masked_sum(outputs, lengths + 1), _masked_sum(outputs, lengths - 1)
    last_steps = torch.stack([outputs[i, 7 - n :].mean(dim=0) for i, n in enumerate(lengths.tolist())])
    mistakes = [
        (outputs.mean(dim=1), message("the padded steps are in your mean: multiply by the mask first.")),
        (masked_sum / 7, message("masked right, but you divide by max_len: divide each row by its own "
                                 "length.")),
        (masked_sum, message("that is a sum over the real steps, not a mean.")),
        (one_more / per_row, message("the mask lets in one padded step.")),
        (one_more / (per_row + 1).clamp(max=7), message("the mask lets in one padded step.")),
        (masked_sum / (per_row + 1), message("divide by the number of real steps, not one more.")),
        (one_less / per_row, message("the mask leaves out each row's last real step.")),
        (one_less / (per_row - 1), message("the mask leaves out each row's last real step.")),
        (last_steps, message("the real steps are at the start of each row: the padding comes after them.")),
        ((outputs.sum(dim=1) - masked_sum) / per_row, message("the mask keeps the padded steps, not the "
                                                              "real ones.")),
    ]
    for wrong, hint in mistakes:
        if torch.allclose(returned, wrong, atol=1e-5):
            return not_yet(hint)
    return not_yet("mask out the padded steps, sum over time, then divide each row by its real length.")
