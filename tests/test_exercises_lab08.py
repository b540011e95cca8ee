"""Lab 08's checks accept the worked solutions and reject typical wrong answers."""

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import WordVocab
from course_utils.exercises import lab08

# Exercise 1 · Additive attention: the function ------------------------------------------------------------


def make_additive_attention(tanh=True, swap=False, mask_value=float("-inf"), mask_after=False, dim=-1,
                            squeeze=True, context_right=True, dot=False):
    def additive_attention(decoder_states, encoder_outputs, source_mask, W_s, W_h, v):
        if dot:
            scores = decoder_states @ encoder_outputs.transpose(1, 2)  # (batch, steps, source_len)
        else:
            first, second = (W_h, W_s) if swap else (W_s, W_h)
            summed = first(decoder_states).unsqueeze(2) + second(encoder_outputs).unsqueeze(1)
            scores = v(torch.tanh(summed) if tanh else summed)  # (batch, steps, source_len, 1)
            scores = scores.squeeze(-1) if squeeze else scores
        is_padding = ~source_mask.unsqueeze(1)
        if mask_value is not None and not mask_after:
            scores = scores.masked_fill(is_padding if squeeze else is_padding.unsqueeze(-1), mask_value)
        weights = torch.softmax(scores, dim=dim)
        if mask_after:
            weights = weights.masked_fill(is_padding, 0.0)
        context = (weights if squeeze else weights.squeeze(-1)) @ encoder_outputs
        return (context if context_right else context + 1), weights

    return additive_attention


DOT = make_additive_attention(dot=True)


def test_additive_attention_accepts_the_solution():
    assert lab08.check_additive_attention(make_additive_attention())


def einsum_and_large_negative(decoder_states, encoder_outputs, source_mask, W_s, W_h, v):
    summed = torch.tanh(W_s(decoder_states)[:, :, None] + W_h(encoder_outputs)[:, None])  # (b, steps, len, h)
    scores = torch.einsum("btsh,h->bts", summed, v.weight[0])  # (batch, steps, source_len)
    weights = scores.masked_fill(source_mask.unsqueeze(1) == 0, -1e9).softmax(dim=2)  # exp(-1e9) is 0 too
    return torch.bmm(weights, encoder_outputs), weights


def step_by_step(decoder_states, encoder_outputs, source_mask, W_s, W_h, v):
    contexts, all_weights = [], []
    for t in range(decoder_states.shape[1]):
        summed = W_s(decoder_states[:, t : t + 1]) + W_h(encoder_outputs)  # (batch, source_len, hidden)
        scores = v(torch.tanh(summed)).squeeze(-1).masked_fill(~source_mask, float("-inf"))  # (batch, len)
        weights = torch.softmax(scores, dim=-1)  # (batch, source_len)
        contexts.append((weights.unsqueeze(-1) * encoder_outputs).sum(dim=1))  # (batch, hidden)
        all_weights.append(weights)
    return torch.stack(contexts, dim=1), torch.stack(all_weights, dim=1)


def test_additive_attention_accepts_other_correct_ways():
    as_a_list = lambda *args: list(make_additive_attention()(*args))  # noqa: E731
    for right in (einsum_and_large_negative, step_by_step, as_a_list):
        assert lab08.check_additive_attention(right), right


def swapped_results(*args):
    context, weights = make_additive_attention()(*args)
    return weights, context


def inverted_mask(decoder_states, encoder_outputs, source_mask, W_s, W_h, v):
    return make_additive_attention()(decoder_states, encoder_outputs, ~source_mask, W_s, W_h, v)


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (make_additive_attention(tanh=False), "tanh"),
        (make_additive_attention(swap=True), "swapped"),
        (make_additive_attention(dot=True), "dot-product"),
        (make_additive_attention(mask_value=None), "-inf"),
        (make_additive_attention(mask_value=0.0), "-inf"),
        (make_additive_attention(mask_value=-10.0), "tiny"),
        (make_additive_attention(mask_after=True), "before the softmax"),
        (make_additive_attention(dim=1), "over the decoder steps"),
        (make_additive_attention(squeeze=False), "squeeze"),
        (make_additive_attention(context_right=False), "context"),
        (lambda *args: make_additive_attention()(*args)[1], "two tensors"),
        (swapped_results, "swapped"),
        (inverted_mask, "-inf goes where source_mask is False"),
    ],
)
def test_additive_attention_rejects_typical_mistakes(wrong, words):
    result = lab08.check_additive_attention(wrong)
    assert not result and words in result.message, result


def test_additive_attention_reports_an_exception_and_a_missing_answer():
    def unbroadcast(decoder_states, encoder_outputs, source_mask, W_s, W_h, v):
        return v(torch.tanh(W_s(decoder_states) + W_h(encoder_outputs))), None  # (3, 4, 6) + (3, 5, 6)

    raising = lab08.check_additive_attention(unbroadcast)
    assert not raising and "RuntimeError" in raising.message
    assert lab08.check_additive_attention(None).status == "no answer yet"
    assert lab08.check_additive_attention(lambda *args: None).status == "no answer yet"


def test_additive_attention_leaves_the_global_random_numbers_alone():
    state = torch.get_rng_state()
    lab08.check_additive_attention(make_additive_attention())
    assert torch.equal(state, torch.get_rng_state())


# Exercise 1 · Additive attention: the decoder -------------------------------------------------------------


class AdditiveDecoder(nn.Module):
    """The worked solution, as in the solutions notebook."""

    def __init__(self, vocab_size, embedding_size, hidden_size, attention=None, head_reads_context=True,
                 has_v=True):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=WordVocab.pad_id)
        self.gru = nn.GRU(embedding_size, hidden_size, batch_first=True)
        self.W_s = nn.Linear(hidden_size, hidden_size, bias=False)
        self.W_h = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v = nn.Linear(hidden_size, 1, bias=False) if has_v else None
        self.head = nn.Linear((2 if head_reads_context else 1) * hidden_size, vocab_size)
        self.attention = attention or make_additive_attention()
        self.head_reads_context = head_reads_context

    def forward(self, tokens, hidden, encoder_outputs, source_mask):
        states, hidden = self.gru(self.embedding(tokens), hidden)  # (batch, steps, hidden)
        context, weights = self.attention(states, encoder_outputs, source_mask, self.W_s, self.W_h, self.v)
        features = torch.cat([states, context], dim=-1) if self.head_reads_context else states
        return self.head(features), hidden, weights


def decoder_variant(**options):
    class Variant(AdditiveDecoder):
        def __init__(self, vocab_size, embedding_size, hidden_size):
            super().__init__(vocab_size, embedding_size, hidden_size, **options)

    return Variant


class DotDecoder(nn.Module):
    """The lab's AttentionDecoder, unchanged."""

    def __init__(self, vocab_size, embedding_size, hidden_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=WordVocab.pad_id)
        self.gru = nn.GRU(embedding_size, hidden_size, batch_first=True)
        self.head = nn.Linear(2 * hidden_size, vocab_size)

    def forward(self, tokens, hidden, encoder_outputs, source_mask):
        states, hidden = self.gru(self.embedding(tokens), hidden)
        context, weights = DOT(states, encoder_outputs, source_mask, None, None, None)
        return self.head(torch.cat([states, context], dim=-1)), hidden, weights


def test_additive_decoder_accepts_the_solution():
    assert lab08.check_additive_decoder(AdditiveDecoder)
    with_biases = decoder_variant()
    assert lab08.check_additive_decoder(with_biases)


class OneMatrixOnThePair(DotDecoder):
    """Luong's "concat" as in the paper: one W on [s_t; h_i], tanh, a vector v; it returns a list."""

    def __init__(self, vocab_size, embedding_size, hidden_size):
        super().__init__(vocab_size, embedding_size, hidden_size)
        self.W = nn.Linear(2 * hidden_size, hidden_size)
        self.v = nn.Parameter(0.1 * torch.randn(hidden_size))  # a vector, not a Linear

    def forward(self, tokens, hidden, encoder_outputs, source_mask):
        states, hidden = self.gru(self.embedding(tokens), hidden)  # (batch, steps, hidden)
        steps, source_len = states.shape[1], encoder_outputs.shape[1]
        pairs = torch.cat([states.unsqueeze(2).expand(-1, -1, source_len, -1),
                           encoder_outputs.unsqueeze(1).expand(-1, steps, -1, -1)], dim=-1)  # (b, t, len, 2h)
        scores = torch.tanh(self.W(pairs)) @ self.v  # (batch, steps, source_len)
        weights = scores.masked_fill(~source_mask.unsqueeze(1), float("-inf")).softmax(dim=-1)
        return [self.head(torch.cat([states, weights @ encoder_outputs], dim=-1)), hidden, weights]


def test_additive_decoder_accepts_other_correct_ways():
    assert lab08.check_additive_decoder(OneMatrixOnThePair)


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (DotDecoder, "dot product"),
        (decoder_variant(attention=make_additive_attention(mask_value=None)), "-inf"),
        (decoder_variant(attention=make_additive_attention(dim=1)), "over the decoder steps"),
        (decoder_variant(attention=make_additive_attention(squeeze=False)), "weights should be"),
        (decoder_variant(head_reads_context=False), "[state; context]"),
        (decoder_variant(has_v=False, attention=DOT), "dot product"),
    ],
)
def test_additive_decoder_rejects_typical_mistakes(wrong, words):
    result = lab08.check_additive_decoder(wrong)
    assert not result and words in result.message, result


def test_additive_decoder_rejects_an_unused_v():
    class UnusedV(AdditiveDecoder):
        def __init__(self, vocab_size, embedding_size, hidden_size):
            super().__init__(vocab_size, embedding_size, hidden_size, attention=DOT)

    result = lab08.check_additive_decoder(UnusedV)
    assert not result and "v(tanh" in result.message, result


def test_additive_decoder_rejects_wrong_returns_and_instances():
    class TwoValues(AdditiveDecoder):
        def forward(self, *args):
            return super().forward(*args)[:2]

    result = lab08.check_additive_decoder(TwoValues)
    assert not result and "three tensors" in result.message
    result = lab08.check_additive_decoder(AdditiveDecoder(14, 5, 6))
    assert not result and "class itself" in result.message

    class Raising(AdditiveDecoder):
        def __init__(self, vocab_size, embedding_size, hidden_size):
            super().__init__(vocab_size, embedding_size)  # forgot an argument

    result = lab08.check_additive_decoder(Raising)
    assert not result and "TypeError" in result.message


def test_additive_decoder_recognises_the_stubs():
    class Empty(nn.Module):
        def __init__(self, vocab_size, embedding_size, hidden_size):
            super().__init__()

    class Stub(Empty):
        def forward(self, tokens, hidden, encoder_outputs, source_mask):
            ...

    for stub in (None, Empty, Stub):
        assert lab08.check_additive_decoder(stub).status == "no answer yet", stub


def test_additive_decoder_leaves_the_global_random_numbers_alone():
    state = torch.get_rng_state()
    lab08.check_additive_decoder(AdditiveDecoder)
    assert torch.equal(state, torch.get_rng_state())


# Exercise 2 · Reverse the output ---------------------------------------------------------------------------

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()


def test_reversed_digits_accepts_the_solution():
    assert lab08.check_reversed_digits(lambda digits: " ".join(str(d) for d in reversed(digits)))
    assert lab08.check_reversed_digits(lambda digits: " ".join(map(str, digits))[::-1])


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda digits: " ".join(str(d) for d in digits), "reading order"),
        (lambda digits: " ".join(DIGIT_WORDS[d] for d in reversed(digits)), "not words"),
        (lambda digits: "".join(str(d) for d in reversed(digits)), "spaces"),
        (lambda digits: " ".join(str(d) for d in sorted(digits, reverse=True)), "sorted"),
        (lambda digits: [str(d) for d in reversed(digits)], "string"),
        (lambda digits: " ".join(str(d) for d in digits[1:] + digits[:1]), "last word read"),
    ],
)
def test_reversed_digits_rejects_typical_mistakes(wrong, words):
    result = lab08.check_reversed_digits(wrong)
    assert not result and words in result.message, result
    assert "4 1 3" not in result.message


def test_reversed_digits_reports_an_exception_and_a_missing_answer():
    raising = lab08.check_reversed_digits(lambda digits: digits.reverse())  # tuples have no reverse()
    assert not raising and "AttributeError" in raising.message
    assert lab08.check_reversed_digits(None).status == "no answer yet"


def make_reversed_alignment(aligned="right", counted="digits", percent=False):
    def reversed_alignment(model, source, target):
        with torch.no_grad():
            _, weights = model(source, target)  # (batch, target_len, source_len)
        lengths = (source != WordVocab.pad_id).sum(dim=1)  # (batch,)
        steps = torch.arange(target.shape[1], device=source.device)  # (target_len,)
        is_digit = {"digits": steps < lengths.unsqueeze(1), "with eos": steps <= lengths.unsqueeze(1),
                    "every step": torch.ones(len(source), target.shape[1], dtype=torch.bool,
                                             device=source.device)}[counted]
        position = {"right": lengths.unsqueeze(1) - 1 - steps, "forward": steps.expand(len(source), -1),
                    "padded": source.shape[1] - 1 - steps.expand(len(source), -1),
                    "off by one": lengths.unsqueeze(1) - steps}[aligned]
        share = (weights.argmax(dim=-1) == position)[is_digit].float().mean().item()
        return 100 * share if percent else share

    return reversed_alignment


def test_reversed_alignment_accepts_the_solution():
    assert lab08.check_reversed_alignment(make_reversed_alignment())
    share = make_reversed_alignment()
    assert lab08.check_reversed_alignment(lambda *args: np.float32(share(*args)))


def per_sentence_share(model, source, target):
    with torch.no_grad():
        _, weights = model(source, target)  # (batch, target_len, source_len)
    shares = []
    for row, length in enumerate((source != WordVocab.pad_id).sum(dim=1).tolist()):
        aligned = torch.arange(length - 1, -1, -1, device=source.device)  # length - 1, ..., 0
        shares.append((weights[row, :length].argmax(dim=-1) == aligned).float().mean())
    return torch.stack(shares).mean().item()


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (make_reversed_alignment(aligned="forward"), "forward alignment"),
        (make_reversed_alignment(aligned="padded"), "own last word"),
        (make_reversed_alignment(aligned="off by one"), "off by one"),
        (make_reversed_alignment(counted="with eos"), "<eos> step"),
        (make_reversed_alignment(counted="every step"), "padded steps"),
        (make_reversed_alignment(percent=True), "percentage"),
        (per_sentence_share, "pool the digit steps"),
        (lambda model, source, target: 0.5 + 1e-3, "for each digit step"),
        (lambda model, source, target: "high", "number"),
    ],
)
def test_reversed_alignment_rejects_typical_mistakes(wrong, words):
    result = lab08.check_reversed_alignment(wrong)
    assert not result and words in result.message, result
    assert "0.62" not in result.message and "10" not in result.message


def test_the_alignment_case_tells_every_mistake_apart():
    shares = lab08._alignment_variants(*lab08._alignment_case())
    assert len({round(share, 6) for share in shares.values()}) == len(shares), shares


def test_reversed_alignment_reports_an_exception_and_a_missing_answer():
    raising = lab08.check_reversed_alignment(lambda model, source, target: model(source))
    assert not raising and "TypeError" in raising.message
    assert lab08.check_reversed_alignment(None).status == "no answer yet"


# Exercise 3 · Train on the long lengths too ------------------------------------------------------------


class OracleEncoder(nn.Module):
    """Hands the decoder the digit of every word, as a perfectly trained encoder would."""

    def forward(self, source):
        digits = (source - 4).clamp(min=0)  # word ids 4..13 are the sorted digit words
        order = torch.tensor([8, 5, 4, 9, 1, 7, 6, 3, 2, 0], device=source.device)  # "eight" ... "zero"
        outputs = order[digits].float().unsqueeze(-1)  # (batch, source_len, 1): each word's digit
        lengths = (source != WordVocab.pad_id).sum(dim=1).float()  # (batch,)
        hidden = torch.stack([torch.zeros_like(lengths), lengths], dim=-1).unsqueeze(0)  # (1, batch, 2)
        return outputs, hidden


class OracleDecoder(nn.Module):
    """Writes the digit of word `step` (or `length - 1 - step`), then <eos>; the state counts the steps."""

    def __init__(self, max_digits=99, backwards=False, wrong_every=0, right_share=1.0):
        super().__init__()
        self.max_digits, self.backwards, self.wrong_every = max_digits, backwards, wrong_every
        self.right_share = right_share  # the first right_share of every 20 rows are right, the rest wrong

    def forward(self, tokens, hidden, encoder_outputs, source_mask):
        step, length = hidden[0, :, 0].long(), hidden[0, :, 1].long()  # (batch,), (batch,)
        position = (length - 1 - step) if self.backwards else step
        rows = torch.arange(len(tokens), device=tokens.device)
        digit = encoder_outputs[rows, position.clamp(0, encoder_outputs.shape[1] - 1), 0].long()  # (batch,)
        if self.wrong_every:
            digit = torch.where(rows % self.wrong_every == 0, (digit + 1) % 10, digit)
        digit = torch.where(rows % 20 >= 20 * self.right_share, (digit + 1) % 10, digit)
        token = torch.where((step >= length) | (step >= self.max_digits), WordVocab.eos_id, digit + 4)
        logits = nn.functional.one_hot(token, 14).float().unsqueeze(1)  # (batch, 1, vocab)
        new_hidden = torch.stack([step + 1, length], dim=-1).float().unsqueeze(0)  # (1, batch, 2)
        return logits, new_hidden, None


class OracleSeq2Seq(nn.Module):
    def __init__(self, **options):
        super().__init__()
        self.encoder, self.decoder = OracleEncoder(), OracleDecoder(**options)


def test_long_model_accepts_a_model_that_gets_long_inputs_right():
    assert lab08.check_long_model(OracleSeq2Seq())
    assert lab08.check_long_model(OracleSeq2Seq(wrong_every=3))  # 2 in 3 right: above the threshold
    # additive attention trained as in the lab on 3-12 words got 48.5 % with seed 0 (CPU): it must pass
    assert lab08.check_long_model(OracleSeq2Seq(right_share=0.45))


def test_the_long_model_threshold_lies_between_the_measurements():
    assert 21 + 10 < lab08.LONG_MODEL_THRESHOLD < 48.5 - 10  # trained on 3-8 words (best), on 3-12 (worst)


def test_long_model_asks_for_the_model_out_of_train_models_tuple():
    result = lab08.check_long_model((OracleSeq2Seq(), [0.5, 0.1]))  # what train_model returns
    assert not result and "model itself" in result.message


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (OracleSeq2Seq(max_digits=8), "train on 9 to 12"),  # trained on 3-8 words: stops after about 8
        (OracleSeq2Seq(backwards=True), "reverse"),
        (OracleSeq2Seq(wrong_every=1), "attention model"),
        (OracleSeq2Seq(max_digits=9), "train on 9 to 12"),
        (nn.GRU(3, 4), "Seq2Seq"),
    ],
)
def test_long_model_rejects_typical_mistakes(wrong, words):
    result = lab08.check_long_model(wrong)
    assert not result and words in result.message, result


def test_long_model_reports_an_exception_and_a_missing_answer():
    broken = OracleSeq2Seq()
    broken.decoder = nn.Linear(2, 2)  # the wrong interface
    raising = lab08.check_long_model(broken)
    assert not raising and "TypeError" in raising.message
    assert lab08.check_long_model(None).status == "no answer yet"


def test_long_model_sends_the_model_back_to_its_mode():
    model = OracleSeq2Seq()
    model.train()
    lab08.check_long_model(model)
    assert model.training
