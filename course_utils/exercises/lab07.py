"""Self-checks for the exercises of 07 · LSTM & GRU: why plain RNNs forget."""

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    Hint,
    Message,
    as_bool,
    as_number,
    as_whole_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    message,
    no_answer_yet,
    not_yet,
)

# Exercise 1 -----------------------------------------------------------------------------------------------

KEPT = "kept over 49 steps"
FORGET_BIAS_KEYS = (KEPT, "ratio at init", "trained model", "enough")
STEPS_BACK = 49  # from the first to the last step of a length-50 sequence
# The gradient ratio of the length-50 task, 49 steps back, measured over seeds 0-49 (CPU): a freshly built
# LSTM with forget bias 1 gave 2.3e-6 to 2.6e-4 (the lab's seed 0: 1.8e-5; on all 1000 held-out sequences
# instead of 256, the same to 4 %); forget bias 3 gave 0.018 to 0.36; PyTorch's default gates at most 1.5e-9.
# The window keeps a factor of 4 or more from every fresh bias-1 value, and a GPU's rounding changes a ratio
# by far less than that.
RATIO_AT_INIT_WINDOW = (5e-7, 3e-3)
CHANCE = 0.25  # four signals
NEAR_CHANCE = 0.4  # the bias-1 LSTM scored 0.241 to 0.270 over seeds 0-9 after the lab's 300 steps
N_SIGNALS, N_NOISE, LENGTH = 4, 8, 50  # the lab's memory task at length 50
HELD_OUT_SEED = 1050  # the lab's held_out[50]: torch.Generator().manual_seed(1000 + length)
# The mean forget-gate bias (bias_ih + bias_hh) after the lab's 300 steps at length 50, seeds 0-2 (CPU):
# 0.80 to 0.84 for the bias-1 LSTM (no unit below 0.62), -0.19 to -0.17 with PyTorch's default gates,
# 3.18 for bias 3.
FORGET_BIAS_AFTER_TRAINING = (0.4, 1.6)


def _number_entry(answer: dict, key: str) -> float:
    """The entry ``key`` of the student's dictionary as a finite number; a :class:`Hint` otherwise."""
    value = as_number(answer[key])
    if value is None:
        if isinstance(answer[key], torch.Tensor):
            raise Hint("{0!r} should be one number, not a tensor of shape {1}.",
                       key, tuple(answer[key].shape))
        raise Hint("{0!r} should be a number; got {1}.", key, type(answer[key]).__name__)
    if not math.isfinite(value):
        raise Hint("{0!r} is {1}: measure it again.", key, value)
    return value


def _close(value: float, target: float, rel_tol: float = 0.01) -> bool:
    return math.isclose(value, target, rel_tol=rel_tol)


def _check_power(value: float) -> None:
    """Raise a :class:`Hint` unless ``value`` is σ(1) to the 49th power."""
    sigma_1 = 1 / (1 + math.exp(-1))
    if _close(value, sigma_1**STEPS_BACK):
        return
    if _close(value, sigma_1**STEPS_BACK, rel_tol=0.1):
        raise Hint("{0!r} is close but rounded: compute σ(1) rather than typing a few digits.", KEPT)
    mistakes = {
        sigma_1 ** (STEPS_BACK + 1): message("one factor per step back: from step 0 to step 49 is 49 "
                                             "steps, not 50."),
        sigma_1 ** (STEPS_BACK - 1): message("one factor per step back: from step 0 to step 49 is 49 "
                                             "steps, not 48."),
        (1 / (1 + math.exp(-3))) ** STEPS_BACK: message("that is what a gate with a bias of 3 keeps over 49 "
                                                        "steps; this exercise is about a bias of 1."),
        0.5**STEPS_BACK: message("that is what σ(0), PyTorch's default gate, keeps over 49 steps; compute it "
                                 "for a bias of 1."),
        math.tanh(1) ** STEPS_BACK: message("a gate uses the logistic sigmoid σ, not tanh."),
        sigma_1 * STEPS_BACK: message("the factors multiply, one per step: a power, not a product with 49."),
        1.0: message("apply the sigmoid to the bias before taking the power."),
    }
    for mistaken, hint in mistakes.items():
        if _close(value, mistaken):
            raise Hint("{0!r}: {1}", KEPT, hint)
    raise Hint("{0!r}: a forget gate at σ(1) keeps that share per step; take it 49 times over.", KEPT)


def _check_ratio(ratio: float) -> None:
    """Raise a :class:`Hint` unless ``ratio`` is a plausible gradient ratio of a fresh bias-1 LSTM."""
    low, high = RATIO_AT_INIT_WINDOW
    if low <= ratio <= high:
        return
    if ratio <= 0 or ratio > 1:
        raise Hint("'ratio at init' is a ratio of two gradient norms, |first step| / |last step|: in (0, 1].")
    if ratio >= 0.5:
        raise Hint(
            "'ratio at init' is close to 1: that is the last step itself or a per-step factor; "
            "give the entry 49 steps back (the last entry of gradient_by_distance)."
        )
    sigma_1 = 1 / (1 + math.exp(-1))
    if _close(ratio, sigma_1**STEPS_BACK, rel_tol=0.1):
        raise Hint("'ratio at init' is the guess of {0!r}: measure the ratio with "
                   "gradient_by_distance.", KEPT)
    if ratio > high:
        raise Hint(
            "'ratio at init' is as large as with a forget bias of 3: is the forget bias of the model you "
            'measured 1? (MODELS["LSTM, bias 1"] = ("LSTM", 1.0), then build_memory_model("LSTM, bias 1"))'
        )
    raise Hint(
        "'ratio at init' is far smaller than a forget gate at σ(1) lets through: measure a freshly built "
        "model (at initialisation, not the trained one), and check that its forget bias is 1."
    )


def _held_out_sequences(device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """The lab's 1000 held-out sequences of length 50 ``(1000, 50)`` and their signals ``(1000,)``."""
    generator = torch.Generator().manual_seed(HELD_OUT_SEED)
    signal = torch.randint(0, N_SIGNALS, (1000,), generator=generator)  # (1000,)
    noise = torch.randint(N_SIGNALS, N_SIGNALS + N_NOISE, (1000, LENGTH - 1), generator=generator)
    return torch.cat([signal.unsqueeze(1), noise], dim=1).to(device), signal  # (1000, 50), (1000,)


def _trained_accuracy(model: object) -> float:
    """The held-out accuracy of the student's trained bias-1 LSTM; a :class:`Hint` if it is not one."""
    if isinstance(model, (tuple, list)) and any(isinstance(item, nn.Module) for item in model):
        raise Hint("'trained model': train_memory_model returns (model, accuracy); put in the model only.")
    if not isinstance(model, nn.Module) or next(model.parameters(), None) is None:
        raise Hint("'trained model' should be the model that train_memory_model returns.")
    lstms = [m for m in model.modules() if isinstance(m, nn.LSTM)]
    if not lstms:
        raise Hint("'trained model' has no nn.LSTM: train the \"LSTM, bias 1\" model.")
    size, layer = lstms[0].hidden_size, lstms[0]
    forget_ih, forget_hh = layer.bias_ih_l0[size : 2 * size], layer.bias_hh_l0[size : 2 * size]
    if bool((forget_ih == 1.0).all()) and bool((forget_hh == 0.0).all()):
        raise Hint("'trained model' is as built (its forget bias is still exactly 1): train it first.")
    forget_bias = (forget_ih + forget_hh).mean().item()
    if not FORGET_BIAS_AFTER_TRAINING[0] <= forget_bias <= FORGET_BIAS_AFTER_TRAINING[1]:
        raise Hint(
            "'trained model' has forget-gate biases of {0:.2f} on average; one that started at 1 "
            'stays near 1 in training: is it the "LSTM, bias 1" model?', forget_bias
        )
    sequences, signals = _held_out_sequences(next(model.parameters()).device)
    with torch.no_grad():
        logits = call_answer(model, sequences)
    if not torch.is_tensor(logits) or tuple(logits.shape) != (len(signals), N_SIGNALS):
        shape = tuple(logits.shape) if torch.is_tensor(logits) else type(logits).__name__
        raise Hint("'trained model' should return (batch, 4) logits for (batch, 50) sequences; got "
                   "{0}.", shape)
    accuracy = (logits.argmax(dim=-1).cpu() == signals).float().mean().item()
    if accuracy > NEAR_CHANCE:
        raise Hint(
            "'trained model' labels {0:.1%} of the held-out sequences right, far above chance: is it "
            '"LSTM, bias 1" (not "LSTM"), trained at length 50 with the lab\'s 300 steps?', accuracy
        )
    return accuracy


@exercise_check
def check_forget_bias_one(answer: dict | None) -> CheckResult:
    """Exercise 1: what a forget-gate bias of 1 does for the LSTM at length 50.

    The dictionary holds the student's answers: ``"kept over 49 steps"``
    (σ(1) to the 49th power, computed), ``"ratio at init"``
    (``gradient_by_distance(...)[-1]`` of a freshly built LSTM with forget
    bias 1), ``"trained model"`` (the model that the lab's training at length
    50 returns) and ``"enough"`` (``True`` or ``False``: is a bias of 1 enough
    here?). The check recomputes the power, tests the ratio against what the
    lab's setup gives (with margins that hold over seeds), scores the trained
    model on the lab's 1000 held-out sequences of length 50, and tests the
    conclusion against that score.

    Args:
        answer: The student's dictionary with the four keys above.

    Returns:
        The verdict, with a hint about the first entry that is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("fill in the dictionary with your four answers.")
    if not isinstance(answer, dict):
        return not_yet("answer with the dictionary of the exercise cell; got {0}.", type(answer).__name__)
    missing = [key for key in FORGET_BIAS_KEYS if key not in answer]
    if missing:
        return not_yet("the dictionary should have the keys {0}; {1} are missing.", FORGET_BIAS_KEYS, missing)
    empty = [key for key in FORGET_BIAS_KEYS if is_placeholder(answer[key])]
    if len(empty) == len(FORGET_BIAS_KEYS):
        return no_answer_yet("replace the Nones with your numbers, your trained model and your conclusion.")
    if empty:
        return no_answer_yet("fill in {0} too.", ', '.join(map(repr, empty)))
    _check_power(_number_entry(answer, KEPT))
    _check_ratio(_number_entry(answer, "ratio at init"))
    accuracy = _trained_accuracy(answer["trained model"])
    enough = as_bool(answer["enough"])
    if enough is None:
        return not_yet("'enough' should be True or False.")
    if enough:
        return not_yet(
            "'enough': your trained model labels {0:.1%} of the held-out sequences; "
            "chance is {1:.0%}.", accuracy, CHANCE
        )
    return correct(
        "your trained model scores about chance on the held-out sequences: a gate at σ(1) keeps about "
        "73 % per step, and 49 steps leave too little for 300 steps of training to find the signal."
    )


# Exercise 2 -----------------------------------------------------------------------------------------------

CHUNK, LENGTH = 10, 50


class _RecordingEmbedding(nn.Embedding):
    """An ``nn.Embedding`` that keeps every output it returns, to read the gradient that reaches it."""

    def __init__(self, num_embeddings: int, embedding_dim: int) -> None:
        super().__init__(num_embeddings, embedding_dim)
        self.outputs: list[torch.Tensor] = []

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Embed ``tokens`` as ``nn.Embedding`` does, and keep the result (with its gradient)."""
        embedded = super().forward(tokens)  # (*tokens.shape, embedding_dim)
        if embedded.requires_grad:
            embedded.retain_grad()
        self.outputs.append(embedded)
        return embedded


class _MemoryModel(nn.Module):
    """The lab's ``MemoryModel`` with a GRU whose update gate starts open, as in its section 4."""

    def __init__(self) -> None:
        super().__init__()
        self.embedding = _RecordingEmbedding(12, 16)  # 4 signal and 8 noise tokens
        self.rnn = nn.GRU(16, 32, batch_first=True)
        self.head = nn.Linear(32, 4)
        with torch.no_grad():
            self.rnn.bias_ih_l0[32:64] = 3.0  # the update gate z, as open_memory_gate(model.rnn, 3.0)
            self.rnn.bias_hh_l0[32:64] = 0.0

    def forward(self, sequences: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, 4)`` from the last step of ``sequences`` ``(batch, length)``, run in one piece."""
        output, _ = self.rnn(self.embedding(sequences))  # (batch, length, hidden)
        return self.head(output[:, -1])


def _memory_batch(generator: torch.Generator, n: int = 4) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` sequences of the lab's memory task, ``(n, LENGTH)`` token ids, and their ``(n,)`` signals."""
    signal = torch.randint(0, 4, (n,), generator=generator)  # (n,)
    noise = torch.randint(4, 12, (n, LENGTH - 1), generator=generator)  # (n, LENGTH - 1)
    return torch.cat([signal.unsqueeze(1), noise], dim=1), signal  # (n, LENGTH), (n,)


def _last_chunk_from_zero(model: _MemoryModel, sequences: torch.Tensor) -> torch.Tensor:
    """The logits of a run that starts the last chunk from ``h = 0`` instead of carrying ``h``."""
    output, _ = model.rnn(model.embedding(sequences[:, -CHUNK:]))  # (batch, CHUNK, hidden)
    return model.head(output[:, -1])  # (batch, 4)


@exercise_check
def check_truncated_logits(truncated_logits: Callable | None) -> CheckResult:
    """Exercise 2: ``truncated_logits(model, sequences)`` runs a length-50 batch in chunks of 10 steps.

    The check builds its own memory model (an embedding, a GRU and a head, as
    the lab's ``MemoryModel("GRU")``) and a batch of length 50, calls the
    function, and compares: the logits must equal those of the uncut run
    (truncation changes gradients, never values), and after ``backward()`` a
    gradient must reach exactly the inputs of the last 10 steps.

    Args:
        truncated_logits: The student's function of ``(model, sequences)``
            returning the logits ``(batch, 4)`` read from the last step.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(truncated_logits):
        return no_answer_yet("write truncated_logits(model, sequences) and pass the function here.")
    device = get_device()
    with torch.random.fork_rng(devices=[]):  # leave the notebook's random numbers as they were
        torch.manual_seed(0)
        model = _MemoryModel()
    model = model.to(device)  # in training mode: on a GPU, cuDNN computes RNN gradients only there
    sequences, labels = (t.to(device) for t in _memory_batch(torch.Generator().manual_seed(0)))
    with torch.no_grad():
        expected = model(sequences).cpu()  # (4, 4): the logits of the uncut run
        from_zero = _last_chunk_from_zero(model, sequences).cpu()
    model.embedding.outputs.clear()
    logits = call_answer(truncated_logits, model, sequences)
    if not torch.is_tensor(logits) or tuple(logits.shape) != (4, 4):
        shape = tuple(logits.shape) if torch.is_tensor(logits) else type(logits).__name__
        return not_yet("return the head's logits for the last step, (batch, 4) = (4, 4); got {0}.", shape)
    if not torch.allclose(logits.detach().cpu(), expected, atol=1e-4):
        if torch.allclose(logits.detach().cpu(), from_zero, atol=1e-4):
            return not_yet("h is not carried: pass each chunk's last h into the next chunk (detached).")
        if torch.allclose(logits.detach().cpu(), expected.softmax(dim=-1), atol=1e-4):
            return not_yet("these are probabilities: return the head's logits, without a softmax.")
        return not_yet("the logits differ from an uncut run: cutting the graph must not change the values.")
    if not logits.requires_grad:
        return not_yet("the logits carry no gradient: detach h between chunks, not the result.")
    F.cross_entropy(logits, labels).backward()
    embedded = model.embedding.outputs
    if sum(e.shape[1] for e in embedded if e.dim() == 3) != LENGTH or any(e.dim() != 3 for e in embedded):
        return not_yet("embed every step of the sequence once: model.embedding(chunk) for each chunk.")
    norms = torch.cat([e.grad if e.grad is not None else torch.zeros_like(e) for e in embedded], dim=1)
    reached = norms.detach().abs().sum(dim=(0, 2)).cpu() > 0  # (LENGTH,): which steps a gradient reaches
    if reached[0]:
        return not_yet("a gradient flows back to the first step: cut with h = h.detach() between chunks.")
    if not reached.any():
        return not_yet("no gradient reaches the inputs: detach h between chunks, not the last output.")
    steps_back = LENGTH - int(reached.int().argmax())
    if steps_back != CHUNK or not reached[-CHUNK:].all():
        if steps_back == 5:
            return not_yet("the gradient reaches 5 steps back, not one chunk of {0} (chunk(10) makes 10 "
                           "chunks; "
                           "split(10) makes chunks of 10 steps).", CHUNK)
        if steps_back == 1:
            return not_yet("the gradient reaches 1 step back, not one chunk of {0}.", CHUNK)
        return not_yet("the gradient reaches {0} steps back, not one chunk of {1}.", steps_back, CHUNK)
    return correct("the values are those of the uncut run, and the gradient stops at the last chunk.")


# Exercise 3 -----------------------------------------------------------------------------------------------

GATE_BLOCKS = {"LSTM": 4, "GRU": 3}  # i, f, g, o and r, z, n, as section 3 of the lab shows
SIZES = ((16, 32), (5, 3), (20, 7))  # (input_size, hidden_size): the lab's, then two others


def _stacked_count(blocks: int, input_size: int, hidden_size: int) -> int:
    """The parameters of a two-layer ``nn.LSTM`` (4 blocks) or ``nn.GRU`` (3 blocks)."""
    first = blocks * hidden_size * (input_size + hidden_size + 2)  # W_ih, W_hh, b_ih, b_hh
    second = blocks * hidden_size * (hidden_size + hidden_size + 2)  # it reads the first layer's h
    return first + second


def _count_mistakes(kind: str, input_size: int, hidden_size: int) -> dict[int, Message]:
    """The counts that typical mistakes give for ``kind`` at these sizes, with a hint for each."""
    g, i, h = GATE_BLOCKS[kind], input_size, hidden_size
    other = GATE_BLOCKS["GRU" if kind == "LSTM" else "LSTM"]
    return {
        2 * g * h * (i + h + 2): message("the second layer reads the first layer's hidden state, not "
                                         "the input."),
        g * h * (i + 3 * h + 2): message("each layer has two bias vectors per block, b_ih and b_hh: you "
                                         "counted one."),
        g * h * (i + 3 * h): message("you counted the weight matrices but no bias."),
        g * h * (i + h + 2): message("num_layers=2 stacks two layers: you counted one."),
        g * h * (i + h + 4): message("the recurrent weights W_hh (hidden x hidden, per block and layer) "
                                     "are missing."),
        h * (i + 3 * h + 4): message("that is a two-layer plain RNN: an {0} has one set of weights per "
                                     "block.", kind),
        other * h * (i + 3 * h + 4): message("count the {0}'s blocks again (section 3).", kind),
    }


@exercise_check
def check_two_layer_parameters(two_layer_parameters: Callable | None) -> CheckResult:
    """Exercise 3: ``two_layer_parameters(kind, input_size, hidden_size)`` counts a 2-layer LSTM or GRU.

    The check calls the formula for ``kind`` ``"LSTM"`` and ``"GRU"`` at the
    lab's sizes (16, 32) and at two others, and compares it with the number of
    parameters of ``nn.LSTM`` / ``nn.GRU`` with ``num_layers=2``.

    Args:
        two_layer_parameters: The student's formula as a function of the kind
            of layer and the two sizes, returning a whole number.

    Returns:
        The verdict, with a hint when the formula is not right yet.
    """
    if is_placeholder(two_layer_parameters):
        return no_answer_yet("write your formula as two_layer_parameters(kind, input_size, hidden_size).")
    for input_size, hidden_size in SIZES:
        for kind, blocks in GATE_BLOCKS.items():
            returned = call_answer(two_layer_parameters, kind, input_size, hidden_size)
            count = as_whole_number(returned)
            if count is None:
                return not_yet("return a whole number (an int); for {0!r} it returned {1!r}.", kind, returned)
            if count == _stacked_count(blocks, input_size, hidden_size):
                continue
            where = f"{kind}, input_size={input_size}, hidden_size={hidden_size}"
            if (input_size, hidden_size) != SIZES[0]:  # every count at the lab's sizes was right
                return not_yet(
                    "right for the lab's sizes, wrong for {0}: does the formula use input_size "
                    "and hidden_size (no numbers typed in)?", where
                )
            hint = _count_mistakes(kind, input_size, hidden_size).get(
                count, message("list each layer's four tensors (weight_ih_l0, ..., then _l1) with their "
                               "shapes.")
            )
            return not_yet("{0}: {1}", where, hint)
    return correct("four blocks for the LSTM, three for the GRU; the second layer reads hidden_size inputs.")
