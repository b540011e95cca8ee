"""Self-checks for the exercises of Lab 11-1 · RNN basics."""



from course_utils.exercises.checking import (
    CheckResult,
    as_shape,
    as_whole_number,
    correct,
    exercise_check,
    is_placeholder,
    message,
    no_answer_yet,
    not_yet,
)


@exercise_check
def check_deep_bidirectional_shapes(output_shape: object, h_n_shape: object) -> CheckResult:
    """Exercise 1: the shapes of ``output`` and ``h_n`` of a 3-layer bidirectional RNN.

    The RNN is ``nn.RNN(input_size=8, hidden_size=16, num_layers=3,
    bidirectional=True, batch_first=True)``, run on a batch of 4 sequences of
    length 10.

    Args:
        output_shape: The student's prediction of ``output.shape``, as a tuple,
            list or ``torch.Size``.
        h_n_shape: The student's prediction of ``h_n.shape``.

    Returns:
        The verdict, with a hint about the first shape that is not right yet.
    """
    if is_placeholder(output_shape) or is_placeholder(h_n_shape):
        return no_answer_yet("replace both None with your predicted shapes, e.g. (2, 3, 4).")
    output, h_n = as_shape(output_shape), as_shape(h_n_shape)
    if output is None or h_n is None:
        return not_yet("give each shape as a tuple of whole numbers, e.g. (2, 3, 4).")
    batch, seq_len, hidden, layers, directions = 4, 10, 16, 3, 2
    if len(output) != 3 or len(h_n) != 3:
        return not_yet("output and h_n both have three dimensions.")
    output_hints = {
        (batch, seq_len, hidden): message("the two directions are concatenated in output's last dimension."),
        (seq_len, batch, directions * hidden): message("batch_first=True puts the batch first in output."),
        (seq_len, batch, hidden): message("batch_first=True puts the batch first, and output holds both "
                                          "directions."),
        (batch, seq_len, layers * directions * hidden): message("only the top layer's states come out "
                                                                "in output."),
        (batch, seq_len, layers * hidden): message("only the top layer's states come out in output."),
    }
    if output != (batch, seq_len, directions * hidden):
        hint = output_hints.get(output, message("check its three dimensions one by one: which one is "
                                                "the batch with "
                                        "batch_first=True, and how wide is each step with two directions?"))
        return not_yet("output: {0}", hint)
    h_n_hints = {
        (layers, batch, hidden): message("each direction of each layer has its own final state."),
        (directions, batch, hidden): message("every layer has a final state, not only the top one."),
        (batch, layers * directions, hidden): message("batch_first never applies to h_n."),
        (layers * directions, batch, directions * hidden): message("directions are stacked in h_n's first "
        "dimension, not concatenated in its last."),
        (layers, batch, directions * hidden): message("directions are stacked in h_n's first dimension, not "
        "concatenated in its last."),
        (layers + directions, batch, hidden): message("count the layers times the directions, not plus."),
        (layers * directions, seq_len, hidden): message("h_n holds the last step only; its middle "
                                                        "dimension is "
        "the batch."),
    }
    if h_n != (layers * directions, batch, hidden):
        hint = h_n_hints.get(h_n, message("h_n holds one final state for each layer and each direction: "
                                          "how many is "
                                  "that, and where does the batch go?"))
        return not_yet("output is right; h_n: {0}", hint)
    return correct("output doubles the features for two directions; h_n stacks every layer and direction.")


@exercise_check
def check_wrong_summary_shape(answer: object) -> CheckResult:
    """Exercise 2: the shape of ``output[-1]`` when ``nn.RNN(4, 2)`` reads a batch-first ``(3, 5, 4)`` batch.

    Args:
        answer: The student's shape, as a tuple, list or ``torch.Size``.

    Returns:
        The verdict, with a hint when the shape is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with the shape of output[-1], e.g. (2, 3).")
    shape = as_shape(answer)
    if shape is None:
        return not_yet("give the shape as a tuple of whole numbers, e.g. (2, 3).")
    if shape == (5, 2):
        return correct("output[-1] is the last time step of the 5 column sequences, not 3 summaries.")
    hints = {
        (3, 2): message("that is the shape the classmate expected: without batch_first, which dimension "
                        "is time?"),
        (2, 5): message("the hidden features always come last."),
        (2, 3): message("the hidden features always come last."),
        (1, 5, 2): message("that is h_n_wrong's shape; output has no layer dimension."),
        (1, 3, 2): message("that is h_n's shape; output has no layer dimension."),
        (3, 5, 2): message("that is the shape of output itself; indexing with [-1] removes its first "
                           "dimension."),
        (5, 3, 2): message("output is not transposed; indexing with [-1] removes its first dimension."),
    }
    if len(shape) != 2:
        return not_yet(hints.get(shape, message("output has three dimensions and [-1] removes one of them.")))
    fallback = message("what shape does output have? [-1] removes its first dimension.")
    return not_yet(hints.get(shape, fallback))


@exercise_check
def check_gru_parameter_count(answer: object) -> CheckResult:
    """Exercise 3: the number of parameters of ``nn.GRU(4, 3)``.

    Args:
        answer: The student's count.

    Returns:
        The verdict, with a hint when the count is not right yet.
    """
    if is_placeholder(answer):
        return no_answer_yet("replace None with the number of parameters of nn.GRU(4, 3).")
    count = as_whole_number(answer)
    if count is None:
        return not_yet("the answer is a whole number; got {0!r}.", answer)
    hidden, inputs = 3, 4
    rnn_count = hidden * inputs + hidden * hidden + 2 * hidden  # one set of weights and biases
    gates = 3  # reset gate, update gate, candidate state
    if count == gates * rnn_count:
        return correct("three times nn.RNN's: one set of weights for each gate and for the candidate state.")
    hints = {
        rnn_count: message("that is nn.RNN(4, 3)'s count: a GRU has more weights than a plain RNN."),
        4 * rnn_count: message("that is an LSTM's count; a GRU has fewer gates than an LSTM."),
        2 * rnn_count: message("look at weight_ih_l0.shape of the GRU: how many blocks of hidden_size rows?"),
        gates * (hidden * inputs + hidden * hidden): message("you counted the weights but no bias."),
        gates * (hidden * inputs + hidden * hidden + hidden): message("a GRU has two bias vectors, as "
                                                                      "nn.RNN does."),
        gates: message("give the GRU's number of parameters, not a ratio."),
    }
    fallback = message("print each of the GRU's named_parameters with its shape, then add up their sizes.")
    return not_yet(hints.get(count, fallback))
