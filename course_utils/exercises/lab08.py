"""Self-checks for the exercises of 08 · Attention: letting the decoder look back."""

import copy
from collections.abc import Callable

import torch
from torch import nn

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    Hint,
    NoAnswerYet,
    as_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    message,
    no_answer_yet,
    not_yet,
)
from course_utils.word_vocab import WordVocab

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
# % exact match on 9-12 words. With the lab's train_model (6 epochs, cosine schedule), measured by make
# test-machines on the lab's 300 longer inputs: dot-product attention trained on 3-12 words 71-79 %, trained
# on 3-8 words, as in the lab, 13-15 %. The threshold lies in the middle.
LONG_MODEL_THRESHOLD = 35


def _attention_inputs(
    generator: torch.Generator, lengths: list[int], steps: int, hidden: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Decoder states, encoder outputs and a source mask for a batch of sources of ``lengths`` words.

    The encoder outputs are not zero at the padded positions, as with a real GRU,
    so forgetting the mask changes the result.
    """
    batch, source_len = len(lengths), max(lengths)
    states = torch.randn(batch, steps, hidden, generator=generator)  # (batch, steps, hidden)
    encoder_outputs = torch.randn(batch, source_len, hidden, generator=generator)  # (batch, len, hidden)
    mask = torch.arange(source_len) < torch.tensor(lengths).unsqueeze(1)  # (batch, source_len)
    return states, encoder_outputs, mask


def _weights_hint(weights: torch.Tensor, mask: torch.Tensor) -> str | None:
    """A hint when weights ``(batch, steps, source_len)`` are not a softmax over the real words."""
    padding = ~mask.unsqueeze(1).expand_as(weights)  # (batch, steps, source_len)
    if (weights[~padding].nan_to_num(0.0) == 0).all():
        return message("the real words get no weight: -inf goes where source_mask is False (the <pad> "
                       "positions).")
    sums_to_one = torch.allclose(weights.sum(dim=-1), torch.ones(weights.shape[:2]), atol=1e-5)
    over_steps = weights.sum(dim=1)[mask]  # (real words,): 1 each if the softmax ran over the steps
    if not sums_to_one and torch.allclose(over_steps, torch.ones_like(over_steps), atol=1e-5):
        return message("the weights sum to 1 over the decoder steps: take the softmax over the source "
                       "words (dim=-1).")
    if not sums_to_one and (weights[padding] == 0).all():
        return message("the weights do not sum to 1: mask the scores before the softmax, not the "
                       "weights after it.")
    if not sums_to_one:
        return message("the weights of each step should sum to 1 over the source words: a softmax over "
                       "the last axis?")
    if weights[padding].abs().max() > 1e-6:
        if weights[padding].max() > 1e-3:
            return message("padded positions get weight: set their scores to -inf before the softmax "
                           "(not 0).")
        return message("padded positions get a tiny weight: use -inf, not a large negative number, for "
                       "the padding.")
    return None


@exercise_check
def check_additive_attention(additive_attention: Callable | None) -> CheckResult:
    """Exercise 1: ``additive_attention(states, outputs, mask, W_s, W_h, v)`` gives ``(context, weights)``.

    The check builds decoder states, encoder outputs (with padding) and the
    three layers of the score, calls the function and compares both results
    with additive attention computed here.

    Args:
        additive_attention: The student's function, with the arguments of the
            lab's ``dot_attention`` plus ``W_s``, ``W_h`` (``nn.Linear(hidden,
            hidden, bias=False)``) and ``v`` (``nn.Linear(hidden, 1, bias=False)``).

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(additive_attention):
        return no_answer_yet("write additive_attention, then pass the function here.")
    device = get_device()
    generator = torch.Generator().manual_seed(8)
    batch, steps, hidden, lengths = 3, 4, 6, [5, 3, 2]  # source_len 5 != steps, so misplaced axes show
    states, encoder_outputs, mask = _attention_inputs(generator, lengths, steps, hidden)
    with torch.random.fork_rng(devices=[]):  # the notebook's random numbers stay as they were
        W_s, W_h = nn.Linear(hidden, hidden, bias=False), nn.Linear(hidden, hidden, bias=False)
        v = nn.Linear(hidden, 1, bias=False)
    with torch.no_grad():
        for layer in (W_s, W_h, v):
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator))
    inputs = [t.to(device) for t in (states, encoder_outputs, mask)]
    layers = [copy.deepcopy(layer).to(device) for layer in (W_s, W_h, v)]
    with torch.no_grad():
        returned = call_answer(additive_attention, *inputs, *layers)
    is_pair = isinstance(returned, (tuple, list)) and len(returned) == 2
    if not (is_pair and all(map(torch.is_tensor, returned))):
        return not_yet("return two tensors, (context, weights), as dot_attention does.")
    context, weights = (t.detach().cpu().float() for t in returned)
    if tuple(context.shape) == (batch, steps, lengths[0]) and tuple(weights.shape) == (batch, steps, hidden):
        return not_yet("the two results are swapped: return (context, weights), as dot_attention does.")
    if tuple(weights.shape) == (batch, steps, lengths[0], 1):
        return not_yet("the weights have a trailing axis of size 1: squeeze the last axis of v's output.")
    if tuple(context.shape) != (batch, steps, hidden) or tuple(weights.shape) != (batch, steps, lengths[0]):
        return not_yet(
            "context should be (batch, steps, hidden) and weights (batch, steps, source_len); got "
            "{0} and {1}.", tuple(context.shape), tuple(weights.shape)
        )

    def softmax_of(scores: torch.Tensor) -> torch.Tensor:  # (batch, steps, source_len), masked with -inf
        return torch.softmax(scores.masked_fill(~mask.unsqueeze(1), float("-inf")), dim=-1)

    with torch.no_grad():
        s = states.unsqueeze(2)  # (batch, steps, 1, hidden)
        h = encoder_outputs.unsqueeze(1)  # (batch, 1, source_len, hidden)
        expected = softmax_of(v(torch.tanh(W_s(s) + W_h(h))).squeeze(-1))  # (batch, steps, source_len)
        no_tanh = message("the scores miss the tanh between W_s(s_t) + W_h(h_i) and v.")
        swapped = message("W_s and W_h are swapped: W_s is for the decoder states, W_h for the encoder "
                          "outputs.")
        dot = message("these are dot-product weights: score with v(tanh(W_s(s_t) + W_h(h_i))).")
        mistakes = {
            no_tanh: v(W_s(s) + W_h(h)).squeeze(-1),  # (batch, steps, source_len)
            swapped: v(torch.tanh(W_h(s) + W_s(h))).squeeze(-1),
            dot: states @ encoder_outputs.transpose(1, 2),
        }
    if torch.allclose(weights, expected, atol=1e-5):
        if torch.allclose(context, expected @ encoder_outputs, atol=1e-5):
            return correct("additive scores, masked, softmaxed and averaged, as in the formula.")
        return not_yet("right weights, wrong context: it is the weights times the encoder outputs.")
    hint = _weights_hint(weights, mask)
    if hint is not None:
        return not_yet(hint)
    for hint, scores in mistakes.items():
        if torch.allclose(weights, softmax_of(scores), atol=1e-5):
            return not_yet(hint)
    return not_yet("compute the scores v(tanh(W_s(s_t) + W_h(h_i))) step by step and compare the shapes.")


def _score_vectors(decoder: nn.Module, hidden: int) -> list[nn.Parameter]:
    """The parameters that can be the ``v`` of an additive score, or a bias next to it."""
    return [p for p in decoder.parameters() if tuple(p.shape) in {(1, hidden), (hidden,), (hidden, 1), (1,)}]


@exercise_check
def check_additive_decoder(decoder_class: type[nn.Module] | None) -> CheckResult:
    """Exercise 1: ``AdditiveDecoder`` keeps the lab's decoder interface and scores additively.

    The check builds a small decoder, runs it on a padded batch it makes, and
    checks the shapes, that the weights sum to 1 and are 0 on the padding,
    that the logits read the context, and that with ``v`` set to zero every
    real word gets the same weight (which an additive score gives and a dot
    product does not).

    Args:
        decoder_class: The student's class, built as
            ``decoder_class(vocab_size, embedding_size, hidden_size)`` and called
            as ``decoder(tokens, hidden, encoder_outputs, source_mask)``.

    Returns:
        The verdict, with a hint when the class is not right yet.
    """
    if is_placeholder(decoder_class):
        return no_answer_yet("write the class AdditiveDecoder, then pass the class here.")
    if not (isinstance(decoder_class, type) and issubclass(decoder_class, nn.Module)):
        return not_yet("pass the class itself (a subclass of nn.Module), not an instance of it.")
    if decoder_class.forward is nn.Module.forward:
        return no_answer_yet("AdditiveDecoder has no forward method yet: write __init__ and forward.")
    device = get_device()
    vocab, embedding, hidden, steps, lengths = 14, 5, 6, 4, [5, 3, 1]
    with torch.random.fork_rng(devices=[]):  # the notebook's random numbers stay as they were
        torch.manual_seed(0)
        decoder = call_answer(decoder_class, vocab, embedding, hidden)
        generator = torch.Generator().manual_seed(8)
        _, encoder_outputs, mask = _attention_inputs(generator, lengths, steps, hidden)
        tokens = torch.randint(3, vocab, (len(lengths), steps), generator=generator)  # (batch, steps)
        start = torch.randn(1, len(lengths), hidden, generator=generator)  # (1, batch, hidden)
    decoder = decoder.to(device)

    def run(model: nn.Module, outputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
        with torch.no_grad():
            try:
                returned = call_answer(model, *(t.to(device) for t in (tokens, start, outputs, mask)))
            except NoAnswerYet as missing:
                raise NoAnswerYet("AdditiveDecoder's forward returns None: write its body.") from missing
        is_triple = isinstance(returned, (tuple, list)) and len(returned) == 3
        if not (is_triple and all(map(torch.is_tensor, returned))):
            raise Hint("forward should return three tensors, (logits, hidden, weights), as in the lab.")
        return tuple(t.detach().cpu().float() for t in returned)

    logits, new_hidden, weights = run(decoder, encoder_outputs)
    shapes = {
        "logits": (tuple(logits.shape), (len(lengths), steps, vocab), "(batch, steps, vocab)"),
        "hidden": (tuple(new_hidden.shape), (1, len(lengths), hidden), "(1, batch, hidden)"),
        "weights": (tuple(weights.shape), (len(lengths), steps, lengths[0]), "(batch, steps, source_len)"),
    }
    for name, (shape, expected_shape, meaning) in shapes.items():
        if shape != expected_shape:
            return not_yet("{0} should be {1}; for batch 3, 4 steps, 5 source words got {2}.",
                           name, meaning, shape)
    hint = _weights_hint(weights, mask)
    if hint is not None:
        return not_yet(hint)
    changed = encoder_outputs + 3 * mask.unsqueeze(-1)  # the real words' encoder outputs move, the rest stays
    if torch.allclose(run(decoder, changed)[0], logits, atol=1e-6):
        return not_yet("the logits ignore the encoder outputs: the head should read [state; context].")
    vectors = _score_vectors(decoder, hidden)
    if not vectors:
        return not_yet("the score has no learnt vector v: is it still the dot product? Add W_s, W_h and v.")
    without_v = copy.deepcopy(decoder)
    with torch.no_grad():
        for parameter in _score_vectors(without_v, hidden):
            parameter.zero_()
    uniform = (mask / mask.sum(dim=1, keepdim=True)).unsqueeze(1).expand_as(weights)  # (batch, steps, len)
    if not torch.allclose(run(without_v, encoder_outputs)[2], uniform, atol=1e-5):
        return not_yet("with v set to zero, all real words should weigh the same: is the score v(tanh(...))?")
    return correct("the decoder keeps the lab's interface, masks the padding and scores additively.")


@exercise_check
def check_reversed_digits(as_reversed_digits: Callable | None) -> CheckResult:
    """Exercise 2: ``as_reversed_digits(digits)`` writes the digits of a tuple last first, e.g. ``(3, 1, 4)``.

    Args:
        as_reversed_digits: The student's function; like the lab's ``as_digits``,
            it takes a tuple of ints and returns a string of digits separated by
            spaces.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(as_reversed_digits):
        return no_answer_yet("write as_reversed_digits, then pass the function here.")
    cases = [(3, 1, 4), (2, 7, 1, 8, 2, 8), (5,), (9, 0, 0, 1, 6)]
    answers = [call_answer(as_reversed_digits, digits) for digits in cases]
    if not all(isinstance(answer, str) for answer in answers):
        return not_yet("return a string, such as as_digits returns, not a list or a tuple.")
    if all(answer == " ".join(map(str, digits[::-1])) for answer, digits in zip(answers, cases, strict=True)):
        return correct("the target starts with the digit of the last word read.")
    mistakes = [
        (message("the digits are still in reading order: reverse them."), lambda d: " ".join(map(str, d))),
        (message("write digits, not words: the target is digits, the source words."), lambda d: " ".join(
            DIGIT_WORDS[i] for i in reversed(d))),
        (message("separate the digits with spaces, as as_digits does: WordVocab splits on spaces."),
         lambda d: "".join(map(str, reversed(d)))),
        (message("the digits are sorted: keep the order of the input, read backwards."), lambda d: " ".join(
            map(str, sorted(d, reverse=True)))),
    ]
    for hint, wrong in mistakes:
        if all(answer == wrong(digits) for answer, digits in zip(answers, cases, strict=True)):
            return not_yet(hint)
    return not_yet("the first digit written should belong to the last word read, and so on backwards.")


class _FixedAttention(nn.Module):
    """A stand-in for a trained ``Seq2Seq``: ``model(source, target)`` returns weights fixed in advance."""

    def __init__(self, weights: torch.Tensor, vocab_size: int) -> None:
        super().__init__()
        self.register_buffer("weights", weights)  # (batch, target_len, source_len)
        self.vocab_size = vocab_size

    def forward(self, source: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = torch.zeros(*target.shape, self.vocab_size, device=target.device)  # (batch, steps, vocab)
        return logits, self.weights


def _alignment_case() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A padded batch and attention weights whose most-weighted word is on the anti-diagonal 10 times in 16.

    Returns:
        ``source`` (batch, source_len) and ``target`` (batch, target_len) of
        word ids, and ``looks_at`` (batch, target_len): the source position
        with the largest weight at each output step.
    """
    lengths = [6, 4, 2, 4]
    source = torch.zeros(len(lengths), max(lengths), dtype=torch.long)  # (4, 6), <pad> = 0
    target = torch.zeros(len(lengths), max(lengths) + 1, dtype=torch.long)  # (4, 7): digits, <eos>, <pad>
    for row, length in enumerate(lengths):
        source[row, :length] = torch.arange(length) + 4
        target[row, :length] = torch.arange(length) + 4
        target[row, length] = WordVocab.eos_id
    looks_at = torch.tensor(
        [  # the digit steps, then <eos> and <pad> steps; each typical mistake gives another share
            [5, 4, 2, 2, 1, 0, 0],  # 6 words: 5 of 6 digit steps on the anti-diagonal 5, 4, 3, 2, 1, 0
            [1, 2, 1, 0, 3, 3, 3],  # 4 words: 3 of 4 (anti-diagonal 3, 2, 1, 0)
            [0, 0, 1, 1, 1, 1, 1],  # 2 words: 1 of 2 (anti-diagonal 1, 0)
            [3, 3, 3, 2, 3, 0, 0],  # 4 words: 1 of 4
        ]
    )
    return source, target, looks_at


def _alignment_variants(
    source: torch.Tensor, target: torch.Tensor, looks_at: torch.Tensor
) -> dict[str, float]:
    """The share of aligned steps, computed right and with the typical mistakes."""
    lengths = (source != WordVocab.pad_id).sum(dim=1, keepdim=True)  # (batch, 1)
    steps = torch.arange(target.shape[1])  # (target_len,)
    is_digit = steps < lengths  # (batch, target_len)
    with_eos = steps <= lengths  # (batch, target_len)

    def share(aligned: torch.Tensor, counted: torch.Tensor) -> float:
        return (looks_at == aligned)[counted.expand_as(looks_at)].float().mean().item()

    hits = (looks_at == lengths - 1 - steps) & is_digit  # (batch, target_len)
    per_sentence = (hits.sum(dim=1) / is_digit.sum(dim=1)).mean().item()  # mean of the sentences' shares

    return {
        "right": share(lengths - 1 - steps, is_digit),
        "forward": share(steps.expand_as(looks_at), is_digit),
        "padded length": share(source.shape[1] - 1 - steps.expand_as(looks_at), is_digit),
        "off by one": share(lengths - steps, is_digit),
        "with eos": share(lengths - 1 - steps, with_eos),
        "every step": share(lengths - 1 - steps, torch.ones_like(is_digit)),
        "per sentence": per_sentence,
    }


@exercise_check
def check_reversed_alignment(reversed_alignment: Callable | None) -> CheckResult:
    """Exercise 2: ``reversed_alignment(model, source, target)`` scores the anti-diagonal.

    The check passes a stand-in model whose attention weights it chose, so it
    knows the share of digit steps whose largest weight is on the source word
    aligned with them in the reversed task.

    Args:
        reversed_alignment: The student's function, with the arguments of the
            lab's ``alignment``; it returns a share between 0 and 1.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(reversed_alignment):
        return no_answer_yet("write reversed_alignment, then pass the function here.")
    device = get_device()
    source, target, looks_at = _alignment_case()
    real = (source != WordVocab.pad_id).unsqueeze(1)  # (batch, 1, source_len)
    weights = 0.1 * real + torch.nn.functional.one_hot(looks_at, source.shape[1])  # peak at looks_at
    weights = weights * real / (weights * real).sum(dim=-1, keepdim=True)  # 0 on <pad>, rows sum to 1
    model = _FixedAttention(weights, vocab_size=14).to(device)
    answer = as_number(call_answer(reversed_alignment, model, source.to(device), target.to(device)))
    if answer is None:
        return not_yet("return the share as a number (a float, as alignment does).")
    variants = _alignment_variants(source, target, looks_at)
    if abs(answer - variants["right"]) < 1e-6:
        return correct("the aligned word of output step t is now the word at position lengths - 1 - t, "
                       "counted per sentence.")
    if answer > 1:
        return not_yet("return a share between 0 and 1, as alignment does, not a percentage.")
    hints = {
        "forward": message("this is the forward alignment (word t for step t): the reversed task reads "
                           "backwards."),
        "padded length": message("count back from each sentence's own last word, not from the padded "
                                 "length."),
        "off by one": message("off by one: positions count from 0, so where is the last word of a sentence?"),
        "with eos": message("the <eos> step has no word of its own: count the digit steps only."),
        "every step": message("count the digit steps only: not <eos> and not the padded steps after it."),
        "per sentence": message("pool the digit steps of all sentences, as alignment does: no share per "
                                "sentence."),
    }
    for variant, hint in hints.items():
        if abs(answer - variants[variant]) < 1e-6:
            return not_yet(hint)
    return not_yet("for each digit step t, compare the most-weighted word with the word aligned with t.")


def _greedy_exact_match(
    model: nn.Module, source: torch.Tensor, target: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Greedy decoding through the lab's interface; per sequence, exact match and the output ids.

    Args:
        model: A ``Seq2Seq`` of the lab: ``model.encoder(source)`` returns
            ``(encoder_outputs, hidden)`` and ``model.decoder(tokens, hidden,
            encoder_outputs, source_mask)`` returns ``(logits, hidden, weights)``.
        source: ``(batch, source_len)`` word ids, padded.
        target: ``(batch, target_len)`` digit ids, each row ending with ``<eos>``, padded.

    Returns:
        ``right`` (batch,) booleans and ``output`` (batch, target_len) ids.
    """
    encoder_outputs, hidden = model.encoder(source)  # (batch, source_len, hidden), (1, batch, hidden)
    mask = source != WordVocab.pad_id  # (batch, source_len)
    token = torch.full((len(source), 1), WordVocab.sos_id, device=source.device)  # (batch, 1)
    written = []
    for _ in range(target.shape[1]):
        logits, hidden, _ = model.decoder(token, hidden, encoder_outputs, mask)  # (batch, 1, vocab)
        token = logits.argmax(dim=-1)  # (batch, 1)
        written.append(token)
    output = torch.cat(written, dim=1)  # (batch, target_len)
    counted = target != WordVocab.pad_id  # (batch, target_len): digits and <eos>
    right = ((output == target) | ~counted).all(dim=1)  # (batch,)
    return right, output


@exercise_check
def check_long_model(model: nn.Module | None) -> CheckResult:
    """Exercise 3: an attention model trained on 3 to 12 words gets most inputs of 9 to 12 words right.

    The check draws 200 digit sequences of 9 to 12 words (there are about
    10^12 of them, so they are as good as unseen), encodes them with the lab's
    vocabularies (which depend only on the ten digit words), decodes greedily
    and requires an exact match on at least ``LONG_MODEL_THRESHOLD`` % of them.

    Args:
        model: The student's trained ``Seq2Seq`` (with ``.encoder`` and
            ``.decoder``, as the lab's ``train_model`` returns).

    Returns:
        The verdict, with a hint when the model is not good enough yet.
    """
    if is_placeholder(model):
        return no_answer_yet("train the attention model on 3 to 12 words, then pass it here.")
    if isinstance(model, (tuple, list)) and any(isinstance(item, nn.Module) for item in model):
        return not_yet("pass the model itself: train_model returns (model, losses).")
    if not (isinstance(model, nn.Module) and hasattr(model, "encoder") and hasattr(model, "decoder")):
        return not_yet("pass the trained Seq2Seq model (.encoder and .decoder) that train_model returns.")
    words_vocab, digits_vocab = WordVocab([" ".join(DIGIT_WORDS)]), WordVocab([" ".join(map(str, range(10)))])
    generator = torch.Generator().manual_seed(8)
    lengths = torch.randint(9, 13, (200,), generator=generator).tolist()
    sequences = [torch.randint(0, 10, (n,), generator=generator).tolist() for n in lengths]
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else get_device()

    def batch(texts: list[str], vocab: WordVocab, add_eos: bool) -> torch.Tensor:
        rows = [torch.tensor(vocab.encode(text, add_eos=add_eos)) for text in texts]
        return nn.utils.rnn.pad_sequence(rows, batch_first=True, padding_value=WordVocab.pad_id).to(device)

    source = batch([" ".join(DIGIT_WORDS[d] for d in s) for s in sequences], words_vocab, False)  # (200, 12)
    forward = batch([" ".join(map(str, s)) for s in sequences], digits_vocab, True)  # (200, 13)
    backward = batch([" ".join(map(str, s[::-1])) for s in sequences], digits_vocab, True)  # (200, 13)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            right, output = call_answer(_greedy_exact_match, model, source, forward)
            reversed_right, _ = _greedy_exact_match(model, source, backward)
    finally:
        model.train(was_training)
    exact = 100 * right.float().mean().item()
    if exact >= LONG_MODEL_THRESHOLD:
        return correct("at least {0} % of 200 new inputs of 9-12 words come out right.", LONG_MODEL_THRESHOLD)
    if reversed_right.float().mean().item() > right.float().mean().item():
        return not_yet("the model writes the digits in reverse: train it on as_digits, not reversed targets.")
    is_digit = (output != WordVocab.eos_id) & (output != WordVocab.pad_id)  # (200, 13)
    stops = torch.where(is_digit.all(dim=1), output.shape[1], (~is_digit).float().argmax(dim=1))  # (200,)
    written = stops.float().mean().item()
    if written < 9.5:
        return not_yet("only {0:.0f} % exact (at least {1} % needed), and it writes {2:.1f} digits on "
                       "average: "
                       "did it train on 9 to 12 words?", exact, LONG_MODEL_THRESHOLD, written)
    return not_yet("only {0:.0f} % exact (at least {1} % needed), and it writes enough digits: is it the "
                   "attention model, trained as long as in the lab?", exact, LONG_MODEL_THRESHOLD)
