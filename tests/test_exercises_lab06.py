"""Lab 06's checks accept the worked solutions and reject typical wrong answers."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from course_utils.exercises import lab06


class CountingModel(nn.Module):
    """A stand-in for a trained majority model: it counts the a's and b's of the first ``read`` steps.

    It holds an RNN (unused) only so that the check can see its direction. ``padding_leaks`` adds
    the number of padded steps to the scores, as an unpacked RNN lets the padding change its answer.
    """

    def __init__(self, bidirectional=True, read=30, padding_leaks=False):
        super().__init__()
        self.rnn = nn.RNN(2, 4, batch_first=True, bidirectional=bidirectional)
        self.read, self.padding_leaks = read, padding_leaks

    def forward(self, x, lengths):  # x: (batch, max_len, 2), lengths: (batch,) on the CPU
        counts = x[:, : self.read].sum(dim=1)  # (batch, 2): a's and b's
        scores = torch.stack([counts[:, 1], counts[:, 0]], dim=1)  # (batch, 2): class 1 = more a's
        if self.padding_leaks:
            scores[:, 0] += x.shape[1] - lengths.to(x.device)
        return scores


class CountingRNN(nn.Module):
    """A trained majority model in miniature: each direction of a one-unit RNN adds 0.01 per a and
    subtracts 0.01 per b (small enough for tanh to stay nearly linear), and the head adds up both
    directions' h_n, or reads only the one given by ``reads``."""

    def __init__(self, reads=(0, 1)):
        super().__init__()
        self.rnn = nn.RNN(2, 1, batch_first=True, bidirectional=True)
        self.reads = list(reads)
        with torch.no_grad():
            for name, parameter in self.rnn.named_parameters():
                parameter.zero_()
                if name.startswith("weight_ih"):
                    parameter.copy_(torch.tensor([[0.01, -0.01]]))  # a: +0.01, b: -0.01
                if name.startswith("weight_hh"):
                    parameter.fill_(1.0)  # keep the running sum

    def forward(self, x, lengths):
        _, h_n = self.rnn(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
        total = h_n[self.reads].sum(dim=0)  # (batch, 1): > 0 when there are more a's
        return torch.cat([-total, total], dim=1)  # (batch, 2): class 1 = more a's


class BiMajorityRNN(nn.Module):
    """The worked solution's model (untrained here)."""

    def __init__(self, packed=True, hidden_size=16, head_inputs=32):
        super().__init__()
        self.packed = packed
        self.rnn = nn.RNN(2, hidden_size, batch_first=True, bidirectional=True)
        self.head = nn.Linear(head_inputs, 2)

    def forward(self, x, lengths):
        if self.packed:
            x = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h_n = self.rnn(x)  # (2, batch, hidden)
        return self.head(torch.cat([h_n[0], h_n[1]], dim=1))


def test_bidirectional_model_accepts_a_packed_bidirectional_model_that_is_right():
    assert lab06.check_bidirectional_model(CountingRNN())


def test_bidirectional_model_wants_a_head_that_reads_both_directions():
    for reads, silent in [((1,), "forward"), ((0,), "backward")]:  # (1,): h_n[-1], the backward direction
        result = lab06.check_bidirectional_model(CountingRNN(reads=reads))
        assert not result and f"the {silent} direction is silenced" in result.message, result


def test_bidirectional_model_rejects_typical_mistakes():
    one_direction = lab06.check_bidirectional_model(CountingModel(bidirectional=False))
    assert not one_direction and "one direction" in one_direction.message
    no_rnn = lab06.check_bidirectional_model(torch.nn.Linear(2, 2))
    assert not no_rnn and "no recurrent layer" in no_rnn.message
    not_packed = lab06.check_bidirectional_model(CountingModel(padding_leaks=True))
    assert not not_packed and "more padding" in not_packed.message
    torch.manual_seed(0)
    untrained = lab06.check_bidirectional_model(BiMajorityRNN())
    assert not untrained and "near chance" in untrained.message
    reads_the_start_only = lab06.check_bidirectional_model(CountingModel(read=8))
    assert not reads_the_start_only and "below 85 %" in reads_the_start_only.message
    head_too_small = lab06.check_bidirectional_model(BiMajorityRNN(head_inputs=16))
    assert not head_too_small and "RuntimeError" in head_too_small.message


def test_bidirectional_model_asks_for_the_model_out_of_the_labs_train_tuple():
    trained = (CountingModel(), [0.7, 0.3], 0.01)  # what the lab's train returns: (model, history, seconds)
    result = lab06.check_bidirectional_model(trained)
    assert not result and "model itself" in result.message


def test_bidirectional_model_wants_class_scores_and_an_answer():
    one_score = CountingModel()
    one_score.forward = lambda x, lengths: x.sum(dim=(1, 2))  # (batch,)
    result = lab06.check_bidirectional_model(one_score)
    assert not result and "(batch, 2)" in result.message
    assert not lab06.check_bidirectional_model("model")
    assert lab06.check_bidirectional_model(None).status == "no answer yet"


def left_padded_run(rnn, sequences):
    return rnn(pad_sequence(sequences, batch_first=True, padding_side="left"))


def left_padded_by_hand(rnn, sequences):
    longest = max(len(s) for s in sequences)
    x = torch.stack([torch.cat([s.new_zeros(longest - len(s), s.shape[1]), s]) for s in sequences])
    output, h_n = rnn(x)
    return output, h_n[0]  # (batch, hidden) is accepted too


def test_left_padded_run_accepts_the_solution():
    assert lab06.check_left_padded_run(left_padded_run)
    assert lab06.check_left_padded_run(left_padded_by_hand)


def test_left_padded_run_accepts_other_correct_ways():
    def flipped_twice(rnn, sequences):  # pad the reversed sequences on the right, then reverse time
        return rnn(pad_sequence([s.flip(0) for s in sequences], batch_first=True).flip(1))

    def as_a_list(rnn, sequences):
        return list(left_padded_run(rnn, sequences))

    assert lab06.check_left_padded_run(flipped_twice)
    assert lab06.check_left_padded_run(as_a_list)


def test_left_padded_run_rejects_typical_mistakes():
    def right_padded(rnn, sequences):
        return rnn(pad_sequence(sequences, batch_first=True))

    def flipped(rnn, sequences):  # reverses the time axis instead of moving the padding
        return rnn(pad_sequence(sequences, batch_first=True).flip(1))

    def packed_h_n(rnn, sequences):
        output, _ = left_padded_run(rnn, sequences)
        return output, torch.stack([rnn(s.unsqueeze(0))[1][0, 0] for s in sequences]).unsqueeze(0)

    def other_h_n(rnn, sequences):
        output, _ = left_padded_run(rnn, sequences)
        return output, right_padded(rnn, sequences)[1]

    for wrong, words in [
        (right_padded, "in front"),
        (flipped, "zeros in front"),
        (packed_h_n, "true last state"),
        (other_h_n, "same run"),
        (lambda rnn, sequences: left_padded_run(rnn, sequences)[0], "(output, h_n)"),
        (lambda rnn, seqs: (left_padded_run(rnn, seqs)[0][:, -1:], torch.zeros(1, 4, 4)), "(batch, longest"),
        (lambda rnn, sequences: (left_padded_run(rnn, sequences)[0], torch.zeros(4)), "num_layers"),
    ]:
        result = lab06.check_left_padded_run(wrong)
        assert not result and words in result.message, (wrong, result)


def test_left_padded_run_reports_an_exception_and_a_missing_answer():
    raising = lab06.check_left_padded_run(lambda rnn, sequences: rnn(sequences))
    assert not raising and "calling it raised" in raising.message
    assert lab06.check_left_padded_run(None).status == "no answer yet"


def mean_over_real_steps(outputs, lengths):
    mask = (torch.arange(outputs.shape[1]) < lengths[:, None]).to(outputs.device)  # (batch, max_len)
    return (outputs * mask.unsqueeze(-1)).sum(dim=1) / lengths.to(outputs.device).unsqueeze(1)


def test_mean_over_real_steps_accepts_the_solution():
    assert lab06.check_mean_over_real_steps(mean_over_real_steps)
    by_rows = lambda outputs, lengths: torch.stack(  # noqa: E731
        [outputs[i, :n].mean(dim=0) for i, n in enumerate(lengths.tolist())]
    )
    assert lab06.check_mean_over_real_steps(by_rows)


def test_mean_over_real_steps_accepts_other_correct_ways():
    # Each answer moves what it builds from the CPU lengths to the outputs' device, as the solution does.
    def in_double_precision(outputs, lengths):
        mask = (torch.arange(outputs.shape[1]) < lengths[:, None]).double().to(outputs.device)  # (batch, len)
        return (outputs.double() * mask[..., None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)

    def zeroing_in_place(outputs, lengths):  # changes the tensor it is given
        lengths = lengths.to(outputs.device)
        outputs[torch.arange(outputs.shape[1], device=outputs.device) >= lengths[:, None]] = 0
        return outputs.sum(dim=1) / lengths[:, None]

    def nan_mean(outputs, lengths):
        padded = (torch.arange(outputs.shape[1]) >= lengths[:, None]).to(outputs.device)
        return outputs.masked_fill(padded[..., None], float("nan")).nanmean(dim=1)

    for right in (in_double_precision, zeroing_in_place, nan_mean):
        assert lab06.check_mean_over_real_steps(right), right


def test_mean_over_real_steps_rejects_typical_mistakes():
    def masked(outputs, lengths, extra=0):
        mask = torch.arange(outputs.shape[1]) < (lengths[:, None] + extra)
        return (outputs * mask.unsqueeze(-1).to(outputs.device)).sum(dim=1)

    def per_row(outputs, lengths, extra=0):  # (batch, 1) on the outputs' device
        return (lengths[:, None] + extra).to(outputs.device)

    for wrong, words in [
        (lambda outputs, lengths: outputs.mean(dim=1), "padded steps"),
        (lambda outputs, lengths: masked(outputs, lengths) / outputs.shape[1], "max_len"),
        (lambda outputs, lengths: masked(outputs, lengths), "sum"),
        (lambda outputs, lengths: masked(outputs, lengths, 1) / per_row(outputs, lengths), "one padded step"),
        (lambda outputs, lengths: masked(outputs, lengths) / per_row(outputs, lengths, 1), "not one more"),
        (lambda outs, lengths: masked(outs, lengths, -1) / per_row(outs, lengths, -1), "last real step"),
        (lambda outputs, lengths: masked(outputs, lengths).unsqueeze(1), "(batch, hidden)"),
        (lambda outputs, lengths: masked(outputs, lengths)[:, 0], "(batch, hidden)"),
        (lambda outputs, lengths: masked(outputs, lengths) / lengths[0].item(), "mask out"),
        (lambda outs, lengths: (outs.sum(dim=1) - masked(outs, lengths)) / per_row(outs, lengths),
         "not the real"),
    ]:
        result = lab06.check_mean_over_real_steps(wrong)
        assert not result and words in result.message, (wrong, result)


def test_mean_over_real_steps_reports_an_exception_and_a_missing_answer():
    divided_without_a_new_axis = lambda outputs, lengths: outputs.sum(dim=1) / lengths  # noqa: E731
    raising = lab06.check_mean_over_real_steps(divided_without_a_new_axis)
    assert not raising and "RuntimeError" in raising.message
    assert lab06.check_mean_over_real_steps(None).status == "no answer yet"
