"""A training loop with a progress bar, a loss-curve plot and an accuracy score.

The loop does not know about models: it calls a ``step`` function that the
notebook writes (forward pass, loss, backward pass, optimizer step) and keeps
the losses it returns. What a lab teaches stays in the lab.
"""

import math
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import torch
from tqdm import tqdm

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn: a lab without plots starts faster
    from matplotlib.axes import Axes

from course_utils.checks import check_positive_int

StepFunction = Callable[[], float | torch.Tensor]
ReportFunction = Callable[[int, float], str | None]


def train_loop(
    step: StepFunction,
    num_steps: int,
    *,
    desc: str = "training",
    report_every: int | None = None,
    report_at: Collection[int] = (),
    report: ReportFunction | None = None,
) -> list[float]:
    """Call ``step()`` ``num_steps`` times with a progress bar; return the losses.

    Args:
        step: Runs one training step (or one epoch) and returns its loss, as a
            float or a one-element tensor.
        num_steps: How many times to call ``step``.
        desc: The label of the progress bar.
        report_every: Call ``report`` after every this many steps (and after the
            last one). ``None`` means never.
        report_at: Also call ``report`` after these step numbers, for example
            ``(1, 3, 5, 10)`` for the first steps, where a prediction changes most.
        report: ``report(step_number, loss)`` may return a line to print, for
            example the model's current prediction. Step numbers start at 1.

    Returns:
        The loss of every step, as Python floats, in order.

    Raises:
        ValueError: ``num_steps``, ``report_every`` or a number in ``report_at``
            is not a positive integer.
        FloatingPointError: a loss is NaN or infinite (try a lower learning rate).

    Example:
        >>> def step():
        ...     optimizer.zero_grad()
        ...     loss = loss_fn(model(x), y)
        ...     loss.backward()
        ...     optimizer.step()
        ...     return loss
        >>> losses = train_loop(step, num_steps=100)  # doctest: +SKIP
    """
    check_positive_int("num_steps", num_steps)
    if report_every is not None:
        check_positive_int("report_every", report_every)
    for step_number in report_at:
        check_positive_int("every number in report_at", step_number)
    losses: list[float] = []
    # A bar without clock times, refreshed every 10 % of the steps: the stored
    # notebook output is then the same on every run.
    bar = tqdm(
        range(1, num_steps + 1),
        desc=desc,
        file=sys.stdout,
        bar_format="{desc}: {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt}{postfix}",
        mininterval=0,
        miniters=max(1, num_steps // 10),
        maxinterval=math.inf,
    )
    for step_number in bar:
        loss = _as_float(step())
        if not math.isfinite(loss):
            bar.close()
            raise FloatingPointError(
                f"The loss became {loss} at step {step_number}; try a lower learning rate"
            )
        losses.append(loss)
        bar.set_postfix_str(f"loss={loss:.4f}", refresh=False)
        is_report_step = step_number in report_at or (
            report_every is not None and (step_number % report_every == 0 or step_number == num_steps)
        )
        if report is not None and is_report_step:
            line = report(step_number, loss)
            if line:
                bar.write(line, file=sys.stdout)
    bar.close()
    return losses


def plot_losses(
    history: Sequence[float] | Mapping[str, Sequence[float]],
    *,
    title: str = "Training loss",
    xlabel: str = "step",
    log_scale: bool = False,
    ax: "Axes | None" = None,
) -> "Axes":
    """Draw one loss curve, or several labelled curves, against the step number.

    Args:
        history: A list of losses, or a mapping ``{label: losses}`` for several curves.
        title: The title of the plot.
        xlabel: What one point on the x-axis is, e.g. ``"step"`` or ``"epoch"``.
        log_scale: Draw the loss on a logarithmic axis (useful when it falls by
            orders of magnitude).
        ax: The axes to draw on; a new figure is made when ``None``.

    Returns:
        The axes drawn on.

    Raises:
        ValueError: a curve is empty.
    """
    import matplotlib.pyplot as plt

    curves = dict(history) if isinstance(history, Mapping) else {"": history}
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    for label, losses in curves.items():
        if len(losses) == 0:
            name = f" {label!r}" if label else ""
            raise ValueError(f"Cannot plot the empty loss history{name}")
        ax.plot(range(1, len(losses) + 1), losses, label=label or None)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    if log_scale:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
    ax.grid(alpha=0.3)
    return ax


def accuracy(
    predicted: torch.Tensor | str,
    target: torch.Tensor | str,
    *,
    ignore_index: int | None = None,
) -> float:
    """The fraction of positions where ``predicted`` equals ``target``.

    Args:
        predicted: Predicted class ids (a tensor) or a predicted string.
        target: The true ids or string, of the same shape or length.
        ignore_index: For tensors, positions whose target is this id (e.g.
            padding) are not counted.

    Returns:
        A float between 0 and 1.

    Raises:
        ValueError: the shapes or lengths differ, a tensor holds floats (pass
            ``logits.argmax(-1)``, not logits), or nothing is left to count.
    """
    if isinstance(predicted, str) or isinstance(target, str):
        if not (isinstance(predicted, str) and isinstance(target, str)):
            raise ValueError("Compare a string with a string, or a tensor with a tensor")
        if len(predicted) != len(target):
            raise ValueError(
                f"The strings differ in length: {len(predicted)} vs {len(target)} characters"
            )
        if not target:
            raise ValueError("Cannot score empty strings")
        return sum(p == t for p, t in zip(predicted, target, strict=True)) / len(target)
    if predicted.shape != target.shape:
        raise ValueError(
            f"predicted has shape {tuple(predicted.shape)} but target has {tuple(target.shape)}; "
            "for logits of shape (..., classes) pass logits.argmax(-1)"
        )
    if predicted.is_floating_point() or target.is_floating_point():
        raise ValueError("accuracy() compares class ids; got a float tensor (pass logits.argmax(-1))")
    target = target.to(predicted.device)  # e.g. GPU predictions against CPU labels
    counted = torch.ones_like(target, dtype=torch.bool)
    if ignore_index is not None:
        counted = target != ignore_index
    total = int(counted.sum())
    if total == 0:
        raise ValueError("No position to score (empty, or every target is ignore_index)")
    correct = int(((predicted == target) & counted).sum())
    return correct / total


def _as_float(loss: float | torch.Tensor) -> float:
    return loss.item() if isinstance(loss, torch.Tensor) else float(loss)
