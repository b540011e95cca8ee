"""Draw the course's diagrams into image/.

Run it after changing a diagram:  .venv/bin/python image/draw_diagrams.py
Every picture is plain matplotlib, so it needs nothing beyond requirements.txt.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

INPUT_COLOR = "#d8f0d2"
CELL_COLOR = "#cfe0f7"
OUTPUT_COLOR = "#fde2c8"
BACKWARD_COLOR = "#e6dbf5"
OP_COLOR = "#f2f2f2"
FEEDBACK = "#b5651d"
EDGE = "#333333"
DPI = 150


def box(ax, x, y, text, color, width=1.0, height=0.7, fontsize=13, edgecolor=EDGE, lw=1.4, **text_kw):
    """A rounded box centred at (x, y) with text inside; text_kw (family, weight...) goes to ax.text."""
    patch = FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height,
        boxstyle="round,pad=0.02,rounding_size=0.12", facecolor=color, edgecolor=edgecolor, lw=lw,
    )
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, **text_kw)


def circle(ax, x, y, text, radius=0.28, fontsize=13, edgecolor=EDGE, lw=1.4, **text_kw):
    """A small round operation node (a sum, a tanh) centred at (x, y); text_kw (color...) goes to ax.text."""
    ax.add_patch(plt.Circle((x, y), radius, facecolor=OP_COLOR, edgecolor=edgecolor, lw=lw))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, **text_kw)


def arrow(ax, start, end, label=None, label_offset=(0, 0.18), rad=0.0, color=EDGE, style="-"):
    """An arrow from start to end, with an optional label near its middle. Returns the arrow patch."""
    patch = ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4, color=color,
        connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0, linestyle=style,
    ))
    if label:
        mx = (start[0] + end[0]) / 2 + label_offset[0]
        my = (start[1] + end[1]) / 2 + label_offset[1]
        ax.text(mx, my, label, ha="center", va="center", fontsize=11, color=color)
    return patch


def frame(ax, left, right, bottom, top, label, edgecolor="#7a9cc6", facecolor="#f7fbff",
          text_color="#4a6c96"):
    """A dashed frame around a group of boxes, labelled just above its top edge."""
    ax.add_patch(FancyBboxPatch(
        (left, bottom), right - left, top - bottom, boxstyle="round,pad=0.02,rounding_size=0.2",
        facecolor=facecolor, edgecolor=edgecolor, lw=1.3, ls="--",
    ))
    ax.text(left + 0.15, top + 0.23, label, fontsize=11, color=text_color, va="center")


def new_figure(width, height, xlim, ylim):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def draw_unrolled(path):
    """The folded RNN with its loop, and the same RNN unrolled over four steps."""
    fig, ax = new_figure(11, 3.8, (-0.8, 12.2), (-2.1, 2.4))
    # Folded: one cell whose output feeds back into itself.
    box(ax, 0.5, 0.4, "RNN\ncell", CELL_COLOR)
    arrow(ax, (0.5, -1.1), (0.5, 0.05))
    ax.text(0.5, -1.35, "$x_t$", ha="center", va="center", fontsize=14)
    arrow(ax, (0.5, 0.75), (0.5, 1.75))
    ax.text(0.5, 2.0, "$h_t$", ha="center", va="center", fontsize=14)
    # The loop: h_t branches off the output and comes back in from the right as the next step's h_{t-1}.
    ax.plot([0.5, 1.55, 1.55], [1.3, 1.3, 0.4], color=EDGE, lw=1.4, solid_capstyle="butt")
    ax.add_patch(plt.Circle((0.5, 1.3), 0.05, color=EDGE))
    arrow(ax, (1.55, 0.4), (1.0, 0.4))
    ax.text(1.67, 0.85, "$h_{t-1}$", ha="left", va="center", fontsize=12)
    ax.text(2.9, 0.4, "=", ha="center", va="center", fontsize=26)
    # Unrolled: one copy of the same cell per time step.
    xs = [4.6, 6.75, 8.9, 11.05]
    arrow(ax, (3.4, 0.4), (xs[0] - 0.5, 0.4), label="$h_{-1}=0$", label_offset=(-0.35, -0.32))
    for t, x in enumerate(xs):
        box(ax, x, 0.4, "RNN\ncell", CELL_COLOR)
        arrow(ax, (x, -1.1), (x, 0.05))
        ax.text(x, -1.35, f"$x_{t}$", ha="center", va="center", fontsize=14)
        arrow(ax, (x, 0.75), (x, 1.75))
        ax.text(x, 2.0, f"$h_{t}$", ha="center", va="center", fontsize=14)
        if t + 1 < len(xs):
            arrow(ax, (x + 0.5, 0.4), (xs[t + 1] - 0.5, 0.4), label=f"$h_{t}$")
    ax.text(7.8, -1.95, "every copy uses the same weights $W_x, W_h$ and biases $b_x, b_h$", ha="center",
            va="center", fontsize=12, style="italic")
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_cell(path):
    """Inside one cell: h_t = tanh(W_x x_t + b_x + W_h h_{t-1} + b_h)."""
    fig, ax = new_figure(8.5, 4.6, (-0.6, 9.6), (-2.0, 3.2))
    ax.add_patch(FancyBboxPatch(
        (1.2, -1.2), 6.3, 3.3, boxstyle="round,pad=0.02,rounding_size=0.25",
        facecolor="#f7fbff", edgecolor="#7a9cc6", lw=1.5, ls="--",
    ))
    ax.text(1.4, 1.85, "one RNN cell", fontsize=11, color="#4a6c96", va="center")
    ax.text(0.0, -0.55, "$x_t$", ha="center", va="center", fontsize=15)
    ax.text(0.0, 0.9, "$h_{t-1}$", ha="center", va="center", fontsize=15)
    box(ax, 2.6, -0.55, "$W_x x_t + b_x$", INPUT_COLOR, width=2.0, height=0.7, fontsize=12)
    box(ax, 2.6, 0.9, "$W_h h_{t-1} + b_h$", CELL_COLOR, width=2.0, height=0.7, fontsize=12)
    arrow(ax, (0.35, -0.55), (1.6, -0.55))
    arrow(ax, (0.5, 0.9), (1.6, 0.9))
    circle(ax, 4.6, 0.2, "+")
    arrow(ax, (3.6, -0.5), (4.35, 0.05))
    arrow(ax, (3.6, 0.85), (4.35, 0.35))
    circle(ax, 5.9, 0.2, "tanh", radius=0.42, fontsize=11)
    arrow(ax, (4.88, 0.2), (5.48, 0.2))
    arrow(ax, (6.32, 0.2), (8.6, 0.2))
    ax.text(8.45, -0.2, "$h_t$ to the\nnext step", ha="center", va="top", fontsize=12)
    arrow(ax, (7.0, 0.2), (7.0, 2.75))
    ax.text(7.0, 2.95, "$h_t$ is also the output at step $t$", ha="center", fontsize=12)
    ax.text(4.5, -1.75, r"$h_t = \tanh(W_x x_t + b_x + W_h h_{t-1} + b_h)$", ha="center",
            va="center", fontsize=14)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_patterns(path):
    """One-to-many, many-to-one and many-to-many, as unrolled cells."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    layouts = {
        "one-to-many\n(image → caption)": ([True, False, False], [True, True, True]),
        "many-to-one\n(sentence → sentiment)": ([True, True, True], [False, False, True]),
        "many-to-many\n(text → next characters)": ([True, True, True], [True, True, True]),
    }
    for ax, (title, (inputs, outputs)) in zip(axes, layouts.items(), strict=True):
        ax.set_xlim(-0.4, 4.9)
        ax.set_ylim(-1.6, 2.3)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=12)
        for t in range(3):
            x = 0.5 + 1.8 * t
            box(ax, x, 0.35, "", CELL_COLOR, width=0.8, height=0.6)
            if inputs[t]:
                box(ax, x, -1.1, "", INPUT_COLOR, width=0.6, height=0.4)
                arrow(ax, (x, -0.9), (x, 0.05))
            if outputs[t]:
                box(ax, x, 1.8, "", OUTPUT_COLOR, width=0.6, height=0.4)
                arrow(ax, (x, 0.65), (x, 1.6))
            if t < 2:
                arrow(ax, (x + 0.4, 0.35), (x + 1.4, 0.35))
            if not inputs[t]:  # one-to-many: the previous output is fed back in as this input
                arrow(ax, (x - 1.5, 1.6), (x - 0.35, -0.15), rad=0.25, color=FEEDBACK, style="--")
    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor=EDGE)
        for c in (INPUT_COLOR, CELL_COLOR, OUTPUT_COLOR)
    ] + [plt.Line2D([0], [0], color=FEEDBACK, ls="--", lw=1.4)]
    fig.legend(handles, ["input $x_t$", "RNN cell (same weights)", "output used",
                         "prediction fed back in"],
               loc="lower center", ncol=4, frameon=False, fontsize=11)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_seq2seq(path):
    """Encoder-decoder: the encoder's last hidden state is the context vector the decoder starts from."""
    fig, ax = new_figure(12, 4.4, (-0.9, 15.1), (-2.5, 2.9))
    frames = [(-0.3, 4.9, "encoder (reads the whole input)"),
              (7.9, 14.9, "decoder (writes one token at a time)")]
    for left, right, label in frames:
        frame(ax, left, right, -0.35, 1.15, label)
    encoder_xs = [0.6, 2.3, 4.0]
    for t, (x, word) in enumerate(zip(encoder_xs, ["three", "hundred", "twelve"], strict=True)):
        box(ax, x, 0.4, "GRU", CELL_COLOR, width=1.0, height=0.7, fontsize=12)
        box(ax, x, -1.55, word, INPUT_COLOR, width=1.35, height=0.55, fontsize=12)
        arrow(ax, (x, -1.27), (x, 0.05))
        if t + 1 < len(encoder_xs):
            arrow(ax, (x + 0.5, 0.4), (encoder_xs[t + 1] - 0.5, 0.4))
    box(ax, 6.4, 0.4, "context\nvector", OUTPUT_COLOR, width=1.35, height=0.95, fontsize=11)
    arrow(ax, (4.5, 0.4), (5.72, 0.4), label="last $h$", label_offset=(0, 0.22))
    decoder_xs = [8.7, 10.5, 12.3, 14.1]
    arrow(ax, (7.08, 0.4), (decoder_xs[0] - 0.5, 0.4), label="$h_0$", label_offset=(0, 0.22))
    inputs, outputs = ["<sos>", "3", "1", "2"], ["3", "1", "2", "<eos>"]
    for t, x in enumerate(decoder_xs):
        box(ax, x, 0.4, "GRU\n+Linear", CELL_COLOR, width=1.0, height=0.7, fontsize=10)
        box(ax, x, -1.55, inputs[t], INPUT_COLOR, width=0.95, height=0.55, fontsize=12)
        arrow(ax, (x, -1.27), (x, 0.05))
        box(ax, x, 2.3, outputs[t], OUTPUT_COLOR, width=0.95, height=0.55, fontsize=12)
        arrow(ax, (x, 0.75), (x, 2.02))
        if t + 1 < len(decoder_xs):
            arrow(ax, (x + 0.5, 0.4), (decoder_xs[t + 1] - 0.5, 0.4))
            arrow(ax, (x + 0.49, 2.1), (decoder_xs[t + 1] - 0.49, -1.3), color=FEEDBACK, style="--")
    ax.text(11.4, -2.25, "dashed: the token just written is the next input (greedy decoding);\n"
            "in training, teacher forcing feeds the true token instead", ha="center", va="center",
            fontsize=10.5, color=FEEDBACK)
    ax.text(2.3, -2.25, "input: number words", ha="center", va="center", fontsize=10.5, style="italic")
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_packing(path):
    """A padded batch, sorted longest first, and the PackedSequence read from it column by column."""
    words = ["short circuit", "hello world", "calculation", "midnight", "path"]  # sorted by length
    size, max_len = 0.62, max(len(w) for w in words)
    fig, ax = new_figure(11, 5, (-3.2, 12.6), (-2.5, 3.75))
    top = 3.0  # y of the first row's centre
    for t in range(max_len):
        ax.text(t * size, top + 0.55, str(t), ha="center", va="center", fontsize=9, color="#555555")
    ax.text(-0.45, top + 0.55, "step t", ha="right", va="center", fontsize=9, color="#555555")
    for row, word in enumerate(words):
        y = top - row * size
        ax.text(-0.45, y, repr(word), ha="right", va="center", fontsize=10, family="monospace")
        for t in range(max_len):
            real = t < len(word)
            ax.add_patch(plt.Rectangle((t * size - size / 2, y - size / 2), size, size, lw=1,
                                       facecolor=INPUT_COLOR if real else "#e6e6e6", edgecolor="#888888"))
            label = word[t].replace(" ", "\u2423") if real else "pad"
            ax.text(t * size, y, label, ha="center", va="center", fontsize=10 if real else 6.5,
                    color=EDGE if real else "#999999", family="monospace")
    sizes_y = top - len(words) * size - 0.1
    ax.text(-0.45, sizes_y, "batch_sizes", ha="right", va="center", fontsize=10, family="monospace",
            color=FEEDBACK)
    for t in range(max_len):
        running = sum(len(w) > t for w in words)
        ax.text(t * size, sizes_y, str(running), ha="center", va="center", fontsize=11, color=FEEDBACK)
    ax.text(max_len * size / 2 - size / 2, top + 1.05,
            "padded batch: 5 x 13 = 65 steps, 18 of them padding", ha="center", va="center", fontsize=11)
    # The packed data: the real cells, read column by column (time step by time step).
    data_y = sizes_y - 1.5
    ax.text(-0.45, data_y, "data", ha="right", va="center", fontsize=10, family="monospace")
    x, shown_steps = -0.1, 3
    for t in range(shown_steps):
        for word in words:
            if len(word) > t:
                ax.add_patch(plt.Rectangle((x, data_y - size / 2), size * 0.8, size, lw=1,
                                           facecolor=INPUT_COLOR, edgecolor="#888888"))
                ax.text(x + size * 0.4, data_y, word[t].replace(" ", "\u2423"), ha="center", va="center",
                        fontsize=10, family="monospace")
                x += size * 0.8
        ax.text(x - 2.5 * size * 0.8, data_y - 0.55, f"step {t}", ha="center", va="center", fontsize=8.5,
                color="#555555")
        x += 0.15
    ax.text(x + 0.1, data_y, "...  47 rows in all, no padding", ha="left", va="center", fontsize=10)
    middle = max_len * size / 2
    arrow(ax, (middle, sizes_y - 0.35), (middle, data_y + 0.45))
    ax.text(middle + 0.25, (sizes_y + data_y) / 2, "pack: read the real steps column by column",
            ha="left", va="center", fontsize=11)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def gate(ax, x, y, function, name):
    """A gate: its squashing function over its name, in a small box."""
    box(ax, x, y, f"{function}\n{name}", CELL_COLOR, width=1.25, height=0.8, fontsize=10)


def draw_lstm_gru(path):
    """LSTM (left) and GRU (right): which gate multiplies what, and where the memory line runs."""
    fig, ax = new_figure(13, 5.4, (-0.6, 19.6), (-1.2, 5.6))
    frame(ax, -0.4, 8.9, -1.1, 4.85, "LSTM: a separate cell state $c$")
    frame(ax, 10.2, 19.4, -1.1, 4.85, "GRU: the hidden state is the memory")
    # LSTM: the cell-state line on top, the four gates below, the input bus at the bottom.
    ax.text(0.5, 4.1, "$c_{t-1}$", ha="center", va="center", fontsize=13)
    arrow(ax, (0.95, 4.1), (2.22, 4.1))
    circle(ax, 2.5, 4.1, "×")
    arrow(ax, (2.78, 4.1), (4.22, 4.1))
    circle(ax, 4.5, 4.1, "+")
    arrow(ax, (4.78, 4.1), (7.95, 4.1))
    ax.text(8.35, 4.1, "$c_t$", ha="center", va="center", fontsize=13)
    for x, function, name in [(2.3, "σ", "forget f"), (3.75, "σ", "input i"),
                              (5.2, "tanh", "cand. g"), (7.2, "σ", "output o")]:
        gate(ax, x, 1.5, function, name)
        arrow(ax, (x, 0.2), (x, 1.1))
    ax.plot([0.9, 7.2], [0.2, 0.2], color=EDGE, lw=1.4)
    ax.text(0.5, 0.2, "$h_{t-1}$\n$x_t$", ha="center", va="center", fontsize=12)
    arrow(ax, (2.4, 1.9), (2.5, 3.82))
    circle(ax, 4.5, 2.9, "×")
    arrow(ax, (3.85, 1.9), (4.3, 2.7))
    arrow(ax, (5.1, 1.9), (4.7, 2.7))
    arrow(ax, (4.5, 3.18), (4.5, 3.82))
    circle(ax, 7.2, 3.45, "tanh", fontsize=9)
    arrow(ax, (7.2, 4.1), (7.2, 3.73))
    circle(ax, 7.2, 2.55, "×")
    arrow(ax, (7.2, 3.17), (7.2, 2.83))
    arrow(ax, (7.2, 1.9), (7.2, 2.27))
    arrow(ax, (7.48, 2.55), (7.95, 2.55))
    ax.text(8.35, 2.55, "$h_t$", ha="center", va="center", fontsize=13)
    ax.text(4.3, -0.55, "$c_t = f \\odot c_{t-1} + i \\odot g$,   $h_t = o \\odot \\tanh(c_t)$",
            ha="center", va="center", fontsize=11)
    # GRU: the hidden-state line on top, blended with a candidate n by the update gate z.
    shift = 10.6
    ax.text(shift + 0.4, 4.1, "$h_{t-1}$", ha="center", va="center", fontsize=13)
    arrow(ax, (shift + 0.9, 4.1), (shift + 6.42, 4.1))
    box(ax, shift + 6.9, 4.1, "mix", OP_COLOR, width=0.95, height=0.6, fontsize=11)
    arrow(ax, (shift + 7.38, 4.1), (shift + 8.15, 4.1))
    ax.text(shift + 8.45, 4.1, "$h_t$", ha="center", va="center", fontsize=13)
    for x, function, name in [(1.9, "σ", "reset r"), (3.7, "tanh", "cand. n"), (5.5, "σ", "update z")]:
        gate(ax, shift + x, 1.5, function, name)
        arrow(ax, (shift + x, 0.2), (shift + x, 1.1))
    ax.plot([shift + 0.9, shift + 5.5], [0.2, 0.2], color=EDGE, lw=1.4)
    ax.text(shift + 0.4, 0.2, "$h_{t-1}$\n$x_t$", ha="center", va="center", fontsize=12)
    circle(ax, shift + 2.8, 2.75, "×")  # PyTorch's form: r scales U_n h_{t-1}, after the weights
    arrow(ax, (shift + 2.8, 4.1), (shift + 2.8, 3.83))
    box(ax, shift + 2.8, 3.55, "$U_n$", OP_COLOR, width=0.7, height=0.5, fontsize=11)
    arrow(ax, (shift + 2.8, 3.3), (shift + 2.8, 3.03))
    arrow(ax, (shift + 2.05, 1.9), (shift + 2.58, 2.56))
    arrow(ax, (shift + 3.02, 2.56), (shift + 3.55, 1.93))
    arrow(ax, (shift + 3.85, 1.9), (shift + 6.6, 3.8))
    arrow(ax, (shift + 5.6, 1.9), (shift + 7.0, 3.8), label="z", label_offset=(0.35, -0.1))
    ax.text(shift + 4.3, -0.35, "$n = \\tanh(W_n x_t + r \\odot (U_n h_{t-1}))$",
            ha="center", va="center", fontsize=11)
    ax.text(shift + 4.3, -0.8, "$h_t = (1 - z) \\odot n + z \\odot h_{t-1}$",
            ha="center", va="center", fontsize=11)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def lstm_panel(ax, part):
    """One LSTM cell, laid out as in lstm_gru.png, with one part (forget, input, memory or output) drawn
    bold in brown and the rest in grey."""
    grey = "#b0b0b0"

    def ink(*parts):
        return (FEEDBACK, 2.4) if part in parts else (grey, 1.4)

    def line(start, end, *parts):
        color, lw = ink(*parts)
        arrow(ax, start, end, color=color).set_linewidth(lw)

    def node(x, y, text, *parts, **kw):
        color, lw = ink(*parts)
        circle(ax, x, y, text, edgecolor=color, lw=lw, color=EDGE if part in parts else grey, **kw)

    def label(x, y, text, *parts, fontsize=13):
        color = EDGE if part in parts else grey
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=color)

    # The memory line on top: c_{t-1}, times f_t, plus i_t * g_t, gives c_t.
    label(0.0, 4.0, "$c_{t-1}$", "forget", "memory")
    line((0.45, 4.0), (1.72, 4.0), "forget", "memory")
    node(2.0, 4.0, "×", "forget", "memory")
    line((2.28, 4.0), (4.22, 4.0), "memory")
    node(4.5, 4.0, "+", "input", "memory")
    line((4.78, 4.0), (8.55, 4.0), "memory")
    label(8.95, 4.0, "$c_t$", "memory", "output")
    # The four layers, all reading h_{t-1} and x_t from the bus at the bottom.
    bus_color = grey if part == "memory" else EDGE
    ax.plot([0.6, 7.2], [0.1, 0.1], color=bus_color, lw=1.4)
    ax.text(0.0, 0.1, "$h_{t-1}$\n$x_t$", ha="center", va="center", fontsize=12, color=bus_color)
    gates = [(2.0, "σ", "forget $f_t$", "forget"), (3.7, "σ", "input $i_t$", "input"),
             (5.3, "tanh", "cand. $g_t$", "input"), (7.2, "σ", "output $o_t$", "output")]
    for x, function, name, owner in gates:
        on = part == owner
        box(ax, x, 1.4, "", OUTPUT_COLOR if on else "#f4f4f4", width=1.45, height=0.8,
            edgecolor=FEEDBACK if on else grey, lw=2.4 if on else 1.4)
        ax.text(x, 1.4, f"{function}\n{name}", ha="center", va="center", fontsize=10,
                color=EDGE if on else grey)
        line((x, 0.1), (x, 1.0), owner)
    line((2.0, 1.8), (2.0, 3.72), "forget")
    label(1.75, 2.75, "$f_t$", "forget", "memory", fontsize=11)
    node(4.5, 2.75, "×", "input")
    line((3.8, 1.8), (4.3, 2.55), "input")
    line((5.2, 1.8), (4.7, 2.55), "input")
    line((4.5, 3.03), (4.5, 3.72), "input")
    label(5.2, 3.4, "$i_t \\odot g_t$", "input", "memory", fontsize=11)
    # The output: tanh of the new memory, scaled by o_t.
    line((7.2, 4.0), (7.2, 3.66), "output")
    node(7.2, 3.32, "tanh", "output", radius=0.34, fontsize=9.5)
    line((7.2, 2.98), (7.2, 2.63), "output")
    node(7.2, 2.35, "×", "output")
    line((7.2, 1.8), (7.2, 2.07), "output")
    line((7.48, 2.35), (8.55, 2.35), "output")
    label(8.95, 2.35, "$h_t$", "output")


def draw_lstm_gates(path):
    """The LSTM cell part by part, as in colah's "Understanding LSTM Networks": forget gate, input gate and
    candidate, the new memory, the output. For Lab 07, section 3 "Inside LSTM and GRU": the markdown cell
    with the LSTM equations (cell 24), whose names it uses (i, f, g, o; W_ii, b_ii, W_hi, b_hi...)."""
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.2))
    fig.subplots_adjust(hspace=0.12, wspace=0.06)
    panels = [
        ("forget", "(a) forget gate: how much of $c_{t-1}$ to keep",
         ["$f_t = \\sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})$",
          "every entry of $f_t$ lies between 0 (forget) and 1 (keep)"]),
        ("input", "(b) input gate and candidate: what to add",
         ["$i_t = \\sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})$",
          "$g_t = \\tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})$"]),
        ("memory", "(c) the new memory, along the top line",
         ["$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$",
          "from $c_{t-1}$ to $c_t$: one × and one +, no weight matrix"]),
        ("output", "(d) output gate: how much of the memory to show",
         ["$o_t = \\sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})$",
          "$h_t = o_t \\odot \\tanh(c_t)$"]),
    ]
    for ax, (part, title, formulas) in zip(axes.flat, panels, strict=True):
        ax.set_xlim(-0.8, 9.4)
        ax.set_ylim(-1.75, 5.0)
        ax.set_aspect("equal")
        ax.axis("off")
        frame(ax, -0.65, 9.25, -1.6, 4.55, title)
        lstm_panel(ax, part)
        for i, formula in enumerate(formulas):
            ax.text(4.3, -0.55 - 0.5 * i, formula, ha="center", va="center", fontsize=11)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_lstm_gradient_path(path):
    """The gradient backward along the LSTM's memory line (one f_t per step), and through W_hh and tanh'
    at every step of a plain RNN. For Lab 07, section 3, cell 24: the paragraph after the LSTM equations
    ("The memory is updated by adding...")."""
    fig, ax = new_figure(12, 6.0, (-0.6, 15.2), (-1.7, 6.5))
    xs = [3.0, 7.6, 12.2]
    steps = ["t-1", "t", "t+1"]
    grad = {"color": FEEDBACK, "style": "--"}
    # LSTM: the memory line runs along the top of three cells, through one x f and one + each.
    frame(ax, -0.4, 15.0, 2.35, 5.95, "LSTM, three steps: the memory line $c$ along the top")
    memory_y = 4.3
    for x, step in zip(xs, steps, strict=True):
        box(ax, x, 3.55, "", CELL_COLOR, width=3.0, height=1.9)
        circle(ax, x - 0.6, memory_y, "×")
        circle(ax, x + 0.6, memory_y, "+")
        arrow(ax, (x - 0.32, memory_y), (x + 0.32, memory_y))
        box(ax, x - 0.6, 3.05, f"σ  $f_{{{step}}}$", OP_COLOR, width=1.1, height=0.55, fontsize=11)
        arrow(ax, (x - 0.6, 3.33), (x - 0.6, memory_y - 0.28))
        arrow(ax, (x + 0.6, 2.78), (x + 0.6, memory_y - 0.28))
        ax.text(x + 0.72, 3.1, "$i \\odot g$", ha="left", va="center", fontsize=10, color="#555555")
    memory = ["$c_{t-2}$", "$c_{t-1}$", "$c_t$", "$c_{t+1}$"]
    gaps = [0.4, (xs[0] + xs[1]) / 2, (xs[1] + xs[2]) / 2, 14.5]
    for i, (x, name) in enumerate(zip(gaps, memory, strict=True)):
        ax.text(x, memory_y + 0.02, name, ha="center", va="center", fontsize=13)
        if i + 1 < len(gaps):  # forward: from this label into the next cell's x
            arrow(ax, (x + 0.42, memory_y), (xs[i] - 0.88, memory_y))
        if i > 0:  # forward: out of the cell's + to this label
            arrow(ax, (xs[i - 1] + 0.88, memory_y), (x - 0.45, memory_y))
    # The gradient, backward along the memory line: one elementwise f per step.
    grad_y = 4.9
    for i in range(3, 0, -1):
        arrow(ax, (gaps[i] - 0.1, grad_y), (gaps[i - 1] + 0.1, grad_y), label=f"× $f_{{{steps[i - 1]}}}$",
              label_offset=(0, 0.28), **grad)
    ax.text(7.3, 5.6, "gradient, backward: $\\partial c_t / \\partial c_{t-1} = f_t$   "
            "(elementwise; no weight matrix, no tanh$'$)", ha="center", va="center", fontsize=12,
            color=FEEDBACK)
    # Plain RNN: the hidden state goes through W_hh and tanh at every step.
    rnn_y = -0.1
    frame(ax, -0.4, 15.0, rnn_y - 1.4, rnn_y + 1.4, "plain RNN, three steps: the hidden state $h$")
    for x in xs:
        box(ax, x, rnn_y, "$\\tanh(W_{ih} x + b + W_{hh} h)$", CELL_COLOR, width=3.0, height=0.75,
            fontsize=10.5)
    hidden = ["$h_{t-2}$", "$h_{t-1}$", "$h_t$", "$h_{t+1}$"]
    for i, (x, name) in enumerate(zip(gaps, hidden, strict=True)):
        ax.text(x, rnn_y, name, ha="center", va="center", fontsize=13)
        if i + 1 < len(gaps):
            arrow(ax, (x + 0.42, rnn_y), (xs[i] - 1.5, rnn_y))
        if i > 0:
            arrow(ax, (xs[i - 1] + 1.5, rnn_y), (x - 0.45, rnn_y))
    for i in range(3, 0, -1):
        arrow(ax, (gaps[i] - 0.1, rnn_y + 0.6), (gaps[i - 1] + 0.1, rnn_y + 0.6),
              label="through $W_{hh}$ and tanh$'$", label_offset=(0, 0.28), **grad)
    ax.text(7.3, rnn_y - 0.95, "gradient, backward: "
            "$\\partial h_t / \\partial h_{t-1} = \\mathrm{diag}(1 - h_t^2)\\, W_{hh}$"
            "   (a matrix and a tanh$'$ at every step)", ha="center", va="center", fontsize=12,
            color=FEEDBACK)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_detach_cut(path):
    """Truncated BPTT: the hidden state's value goes from chunk 1 into chunk 2, but h.detach() cuts the
    backward path there, so chunk 2's loss sends gradients back to step 4 only. For Lab 07, section 2, the
    markdown cell 22 ("With h = h.detach() each chunk's backward() stops at the chunk's first step")."""
    fig, ax = new_figure(12, 4.8, (-0.7, 16.3), (-2.6, 3.5))
    xs = [0.9 + 1.6 * t + (2.4 if t >= 4 else 0) for t in range(8)]
    forward_y, backward_y = 0.13, -0.17
    grad = {"color": FEEDBACK, "style": "--"}
    for chunk, steps in enumerate([range(0, 4), range(4, 8)], start=1):
        first, last = xs[steps[0]], xs[steps[-1]]
        frame(ax, first - 0.75, last + 0.75, -1.55, 2.85, f"chunk {chunk}: steps {steps[0]}–{steps[-1]}")
        box(ax, (first + last) / 2, 2.3, f"loss of chunk {chunk}", OUTPUT_COLOR, width=last - first + 0.95,
            height=0.55, fontsize=11)
        for t in steps:
            x = xs[t]
            box(ax, x, 0.0, f"step {t}", CELL_COLOR, width=0.95, height=0.65, fontsize=9.5)
            ax.text(x, -1.15, f"$x_{t}$", ha="center", va="center", fontsize=13)
            arrow(ax, (x, -0.92), (x, -0.33))
            arrow(ax, (x - 0.15, 0.33), (x - 0.15, 2.02))      # forward: each step's output into the loss
            arrow(ax, (x + 0.15, 2.02), (x + 0.15, 0.33), **grad)  # backward: the loss's gradient into h_t
            if t != steps[-1]:
                arrow(ax, (x + 0.48, forward_y), (xs[t + 1] - 0.48, forward_y))
                arrow(ax, (xs[t + 1] - 0.48, backward_y), (x + 0.48, backward_y), **grad)
    # Between the chunks: the value of h_3 flows on; its gradient is cut by h.detach().
    arrow(ax, (xs[3] + 0.48, forward_y), (xs[4] - 0.48, forward_y), label="$h_3$: its value",
          label_offset=(0, 0.27))
    cut_x = (xs[3] + xs[4]) / 2
    ax.plot([xs[4] - 0.48, cut_x + 0.2], [backward_y, backward_y], color=FEEDBACK, lw=1.4, ls="--")
    ax.text(cut_x, backward_y, "\u2702", ha="center", va="center", fontsize=20, color=FEEDBACK)
    ax.text(cut_x, -0.75, "h = h.detach()", ha="center", va="center", fontsize=10.5, family="monospace",
            color=FEEDBACK)
    ax.text(7.8, -2.05, "forward: the value of h flows on", ha="center", va="center", fontsize=12)
    ax.text(7.8, -2.5, "backward: the gradient stops at detach()", ha="center", va="center", fontsize=12,
            color=FEEDBACK)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def draw_attention(path):
    """Decoder step 3 with attention: score every encoder output, softmax, weighted sum, predict.

    Its state s_2 comes from its own step 2; only step 1 starts from the encoder's last state.
    """
    fig, ax = new_figure(13.5, 5.6, (-1.0, 15.2), (-2.2, 5.6))
    words, weights = ["three", "one", "four"], [0.06, 0.10, 0.84]
    encoder_xs = [0.5, 2.5, 4.5]
    for t, (x, word, weight) in enumerate(zip(encoder_xs, words, weights, strict=True)):
        box(ax, x, -1.5, word, INPUT_COLOR, width=1.3, height=0.55, fontsize=12)
        arrow(ax, (x, -1.22), (x, -0.35))
        box(ax, x, 0.0, "GRU", CELL_COLOR, width=1.0, height=0.7, fontsize=12)
        if t + 1 < len(encoder_xs):
            arrow(ax, (x + 0.5, 0.0), (encoder_xs[t + 1] - 0.5, 0.0))
        box(ax, x, 1.3, f"$h_{t + 1}$", OUTPUT_COLOR, width=0.8, height=0.55, fontsize=12)
        arrow(ax, (x, 0.35), (x, 1.02))
        arrow(ax, (x, 1.58), (x, 2.0))
        ax.add_patch(plt.Rectangle((x - 0.25, 2.0), 0.5, 1.4 * weight, facecolor=FEEDBACK, alpha=0.75))
        ax.plot([x - 0.4, x + 0.4], [2.0, 2.0], color=EDGE, lw=1)
        ax.text(x + 0.35, 2.2, f"$\\alpha_{t + 1}$={weight:.2f}", ha="left", va="center", fontsize=10,
                color=FEEDBACK)
        arrow(ax, (x, 2.05 + 1.4 * weight), (2.5 + (x - 2.5) * 0.1, 4.0))
    ax.text(-0.9, 2.9, "attention\nweights", ha="left", va="center", fontsize=10, color=FEEDBACK)
    circle(ax, 2.5, 4.3, "Σ")
    ax.text(2.5, 4.95, "context $c_t = \\sum_i \\alpha_i h_i$", ha="center", va="center", fontsize=11)
    decoder_x = 12.0
    box(ax, decoder_x, -1.5, "1", INPUT_COLOR, width=0.7, height=0.55, fontsize=12)
    ax.text(decoder_x + 0.5, -1.5, "last output", ha="left", va="center", fontsize=10)
    arrow(ax, (decoder_x, -1.22), (decoder_x, -0.35))
    box(ax, decoder_x, 0.0, "GRU", CELL_COLOR, width=1.0, height=0.7, fontsize=12)
    # The decoder's earlier steps, greyed: only step 1 starts from the encoder's last state; step 3, the
    # one drawn, starts from the decoder's own state after step 2.
    grey, step_xs = "#999999", [7.4, 9.5]
    arrow(ax, (5.0, 0.0), (step_xs[0] - 0.5, 0.0), color=grey, label="start state", label_offset=(0, 0.25))
    for step, (x, token) in enumerate(zip(step_xs, ["<sos>", "3"], strict=True), start=1):
        box(ax, x, 0.0, "", "#f4f4f4", width=1.0, height=0.7, edgecolor="#bbbbbb")
        ax.text(x, 0.0, f"GRU\nstep {step}", ha="center", va="center", fontsize=9.5, color=grey)
        box(ax, x, -1.5, "", "#f4f4f4", width=0.95, height=0.55, edgecolor="#bbbbbb")
        ax.text(x, -1.5, token, ha="center", va="center", fontsize=11, color=grey)
        arrow(ax, (x, -1.22), (x, -0.35), color=grey)
    arrow(ax, (step_xs[0] + 0.5, 0.0), (step_xs[1] - 0.5, 0.0), color=grey, label="$s_1$",
          label_offset=(0, 0.25))
    arrow(ax, (step_xs[1] + 0.5, 0.0), (decoder_x - 0.5, 0.0), label="$s_2$", label_offset=(0, 0.25))
    box(ax, decoder_x, 1.3, "$s_t$", OUTPUT_COLOR, width=0.8, height=0.55, fontsize=12)
    arrow(ax, (decoder_x, 0.35), (decoder_x, 1.02))
    arrow(ax, (decoder_x - 0.4, 1.45), (5.05, 2.75), color=FEEDBACK, style="--",
          label="score($s_t$, $h_i$) for every $i$, softmax", label_offset=(0.2, 0.75))
    box(ax, decoder_x, 3.4, "Linear", CELL_COLOR, width=1.3, height=0.6, fontsize=11)
    arrow(ax, (decoder_x, 1.58), (decoder_x, 3.1))
    arrow(ax, (2.78, 4.3), (decoder_x - 0.65, 3.5), label="$c_t$", label_offset=(0, 0.3))
    box(ax, decoder_x, 4.7, "4", OUTPUT_COLOR, width=0.7, height=0.55, fontsize=12)
    arrow(ax, (decoder_x, 3.7), (decoder_x, 4.42))
    ax.text(decoder_x + 0.55, 2.35, "predict from\n$[s_t; c_t]$", ha="left", va="center", fontsize=10)
    ax.text(2.5, -2.15, "encoder: one output per input word", ha="center", va="center", fontsize=10.5,
            style="italic")
    ax.text(9.7, -2.15, "decoder: steps 1 and 2 (grey), then step $t = 3$", ha="center", va="center",
            fontsize=10.5, style="italic")
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def pair(ax, x, y, width=1.7, height=0.36):
    """One step's two states side by side, [forward | backward]: what gets concatenated."""
    for left, color, text in [(x - width / 2, CELL_COLOR, "fwd"), (x, BACKWARD_COLOR, "bwd")]:
        ax.add_patch(plt.Rectangle((left, y - height / 2), width / 2, height, facecolor=color,
                                   edgecolor=EDGE, lw=1.2))
        ax.text(left + width / 4, y, text, ha="center", va="center", fontsize=9.5)


def draw_layers_directions(path):
    """nn.RNN(num_layers=2, bidirectional=True) over 4 steps: the grid of cells, output and h_n."""
    fig, ax = new_figure(10, 7.9, (-2.1, 9.4), (-1.75, 6.95))
    xs = [1.1 + 2.3 * t for t in range(4)]
    # Backward cells sit right of forward ones, so each vertical lane passes beside the other cell
    # and crosses the other row's time arrows halfway along them.
    stagger, lane, width, height = 0.4, 0.7, 1.0, 0.55
    rows = {  # (layer, direction): y of that row; direction 0 reads left to right, 1 right to left
        (0, 0): 1.1, (0, 1): 2.0, (1, 0): 3.75, (1, 1): 4.65,
    }
    pair_y, bus_ys, output_y = 2.75, (0.5, 3.15), 5.45
    frame(ax, xs[0] - 1.1, xs[-1] + 1.1, rows[1, 0] - 0.42, output_y + 0.55,
          "output: output[:, t] = [forward | backward], shape (batch, seq_len, 2·hidden)",
          edgecolor="#d9893a", facecolor="#fff8f1", text_color=FEEDBACK)
    for t, x in enumerate(xs):
        ax.text(x, 0.0, f"$x_{t}$", ha="center", va="center", fontsize=14)
        pair(ax, x, pair_y)
        pair(ax, x, output_y)
        ax.text(x, output_y + 0.34, f"output[:, {t}]", ha="center", va="center", fontsize=9.5,
                family="monospace")
        # Each layer's input (x_t, then [forward | backward] of layer 0) feeds both directions.
        for bus_y, bottom, layer in [(bus_ys[0], 0.22, 0), (bus_ys[1], pair_y + 0.18, 1)]:
            ax.plot([x, x], [bottom, bus_y], color=EDGE, lw=1.4)
            ax.plot([x - lane, x + lane], [bus_y, bus_y], color=EDGE, lw=1.4, solid_capstyle="butt")
            arrow(ax, (x - lane, bus_y), (x - lane, rows[layer, 0] - height / 2))
            arrow(ax, (x + lane, bus_y), (x + lane, rows[layer, 1] - height / 2))
        # Each layer's two states go up into that step's [forward | backward] pair.
        for layer, top in [(0, pair_y), (1, output_y)]:
            arrow(ax, (x - lane, rows[layer, 0] + height / 2), (x - lane, top - 0.18))
            arrow(ax, (x + lane, rows[layer, 1] + height / 2), (x + lane, top - 0.18))
    halo = [patheffects.withStroke(linewidth=6, foreground="white")]
    for (layer, direction), y in rows.items():
        name = "forward →" if direction == 0 else "backward ←"
        ax.text(xs[0] - 1.25, y, f"layer {layer}, {name}", ha="right", va="center", fontsize=11)
        step = 1 if direction == 0 else -1
        steps = list(range(4))[::step]
        color = CELL_COLOR if direction == 0 else BACKWARD_COLOR
        for t in steps:
            x = xs[t] - step * stagger
            if t == steps[-1]:  # the last cell this row reaches: its state is this row's entry in h_n
                box(ax, x, y, f"h_n[{2 * layer + direction}]", color, width=width, height=height,
                    fontsize=10.5, edgecolor=FEEDBACK, lw=2.6, family="monospace", weight="bold")
            else:  # the arrow goes after the lanes it crosses (white gap) and before the cells it joins
                arrow(ax, (x + step * width / 2, y), (x + step * (2.3 - width / 2), y)).set_path_effects(halo)
                box(ax, x, y, "", color, width=width, height=height)
    ax.text(xs[0] - 1.25, pair_y, "layer 1's input:\n2·hidden wide", ha="right", va="center", fontsize=10.5)
    ax.text(3.7, 6.75, "nn.RNN(input_size, hidden, num_layers=2, bidirectional=True, batch_first=True)",
            ha="center", va="center", fontsize=10.5, family="monospace")
    notes = [
        ("h_n (brown): the last cell each row reaches, shape (num_layers·2, batch, hidden)", None),
        ("ordered layer by layer, forward before backward: h_n.view(num_layers, 2, batch, hidden)", None),
        ("h_n[2] == output[:, -1, :hidden]    h_n[3] == output[:, 0, hidden:]", "monospace"),
    ]
    for i, (note, family) in enumerate(notes):
        ax.text(xs[0] - 1.1, -0.65 - 0.42 * i, note, ha="left", va="center", fontsize=10.5, family=family,
                color=FEEDBACK)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


def cell(ax, x, y, text, facecolor, size, edgecolor="#888888", lw=1.0, color=EDGE, **text_kw):
    """One square character cell centred at (x, y), a space shown as ␣ (as in draw_packing)."""
    ax.add_patch(plt.Rectangle((x - size / 2, y - size / 2), size, size, facecolor=facecolor,
                               edgecolor=edgecolor, lw=lw))
    ax.text(x, y, text.replace(" ", "\u2423"), ha="center", va="center", fontsize=11, color=color,
            family="monospace", **text_kw)


def draw_window_rebuild(path):
    """Lab 11-3: glue overlapping windows' predictions back into the passage (window 0, then last steps)."""
    text, length, shown = "if you want to", 10, 4  # the passage's first 14 characters; windows 0 to 3
    size, pitch = 0.6, 0.78
    kept_style = {"facecolor": OUTPUT_COLOR, "edgecolor": FEEDBACK, "lw": 1.8}
    dropped_style = {"facecolor": "#eeeeee", "edgecolor": "#bbbbbb", "lw": 1.0}
    fig, ax = new_figure(10, 6.2, (-3.3, 12.2), (-6.55, 2.0))
    passage_y, rebuilt_y = 0.55, -0.55 - shown * pitch - 0.55
    ax.text(len(text) * size / 2 - size / 2, 1.7,
            f"windows of {length}, stride 1: window i reads characters i to i+{length - 1} "
            f"and predicts i+1 to i+{length}", ha="center", va="center", fontsize=11)
    ax.text(-0.45, passage_y + 0.5, "character", ha="right", va="center", fontsize=9, color="#555555")
    for c, char in enumerate(text):
        ax.text(c * size, passage_y + 0.5, str(c), ha="center", va="center", fontsize=9, color="#555555")
        cell(ax, c * size, passage_y, char, INPUT_COLOR, size)
    ax.text(len(text) * size - 0.1, passage_y, "...", ha="left", va="center", fontsize=11)
    ax.text(-0.45, passage_y, "passage", ha="right", va="center", fontsize=11)
    # Window i predicts characters i+1..i+length, drawn under the characters they predict. In every
    # column the kept cell is the first window to predict it, the one with the most context; a dotted
    # arrow, behind the later windows' cells, takes it straight down into the rebuilt text.
    for i in range(shown):
        y = -0.55 - i * pitch
        ax.text(-0.45, y, f"window {i} (reads {i}–{i + length - 1})", ha="right", va="center", fontsize=10.5)
        for c in range(i + 1, i + length + 1):
            if i == 0 or c == i + length:
                arrow(ax, (c * size, y - size / 2), (c * size, rebuilt_y + size / 2), color=FEEDBACK,
                      style=":").set_zorder(0.5)
                cell(ax, c * size, y, text[c], size=size, weight="bold", **kept_style)
            else:
                cell(ax, c * size, y, text[c], size=size, color="#aaaaaa", **dropped_style)
    side_notes = [(0, f"window 0: keep all {length} predictions"),
                  (shown - 1, f"later windows: keep only the last,\n"
                              f"the step with {length} characters of context")]
    for i, note in side_notes:
        x, y = (i + length) * size + size / 2, -0.55 - i * pitch
        ax.annotate(note, (x, y), (x + 0.5, y), ha="left", va="center", fontsize=10, color=FEEDBACK,
                    arrowprops={"arrowstyle": "-|>", "color": FEEDBACK, "lw": 1.2})
    ax.text(-0.45, rebuilt_y, "rebuilt text", ha="right", va="center", fontsize=11)
    ax.text(-0.45, rebuilt_y - 0.5, "from window", ha="right", va="center", fontsize=9, color="#555555")
    for c in range(1, shown + length):
        cell(ax, c * size, rebuilt_y, text[c], size=size, weight="bold", **kept_style)
        ax.text(c * size, rebuilt_y - 0.5, str(max(0, c - length)), ha="center", va="center", fontsize=9,
                color="#555555")
    ax.text((shown + length) * size - 0.1, rebuilt_y, "...", ha="left", va="center", fontsize=11)
    legend_y = rebuilt_y - 1.15
    legend = [(-0.2, kept_style, "kept"),
              (2.2, dropped_style, "predicted again by a later window, with less context: discarded")]
    for x, style, label in legend:
        ax.add_patch(plt.Rectangle((x - 0.2, legend_y - 0.2), 0.4, 0.4, **style))
        ax.text(x + 0.35, legend_y, label, ha="left", va="center", fontsize=10.5)
    notes = [
        ("rebuilt = vocab.decode(predicted_ids[0]) + vocab.decode(predicted_ids[1:, -1])", "monospace"),
        ("window 0's first step has 1 character of context ('i'): the hardest one to get right", None),
    ]
    for i, (note, family) in enumerate(notes):
        ax.text(-3.2, legend_y - 0.6 - 0.42 * i, note, ha="left", va="center", fontsize=10, family=family,
                color=FEEDBACK)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)


DIAGRAMS = {
    "rnn_unrolled.png": draw_unrolled,
    "rnn_cell.png": draw_cell,
    "rnn_patterns.png": draw_patterns,
    "seq2seq.png": draw_seq2seq,
    "packing.png": draw_packing,
    "lstm_gru.png": draw_lstm_gru,
    "lstm_gates.png": draw_lstm_gates,
    "lstm_gradient_path.png": draw_lstm_gradient_path,
    "detach_cut.png": draw_detach_cut,
    "attention.png": draw_attention,
    "rnn_layers_directions.png": draw_layers_directions,
    "window_rebuild.png": draw_window_rebuild,
}


def main(out_dir: Path) -> list[Path]:
    """Draw every diagram into out_dir and return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in DIAGRAMS.items():
        draw(out_dir / name)
        written.append(out_dir / name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for file in main(target):
        print(f"wrote {file.name}")
