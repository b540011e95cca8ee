"""Self-checks for the exercises of Lab 11-4 · Time series: stock prices, done right."""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
    Hint,
    as_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    no_answer_yet,
    not_yet,
)
from course_utils.ohlcv import OHLCV_COLUMNS, load_ohlcv
from course_utils.paths import data_path

CLOSE = OHLCV_COLUMNS.index("Close")  # column 3, as in the lab
WINDOW = 7  # the lab's window: training targets are the rows WINDOW .. n_train - 1
LEAK_KEYS = (
    "largest scaled training target",
    "largest scaled test close",
    "test RMSE of the level model ($)",
)
RMSE_TOLERANCE = 0.01  # the reported RMSE must be within 1 % of the one the check computes
# A trained level model's MSE on the leaky training windows was 1.5 to 2.7 times the naive rule's
# ("tomorrow = today") after 100 to 300 epochs (seeds 0 to 8), and 4 to 6 times after 50; an untrained
# one's was 500 to 3500 times. 10 times lies far from both.
UNTRAINED_FACTOR = 10.0


@functools.lru_cache(maxsize=1)
def _goog() -> tuple[torch.Tensor, np.ndarray]:
    """GOOG.csv as the lab reads it: ``(days, 5)`` float32 in the lab's column order; closes in dollars."""
    prices = load_ohlcv(data_path("GOOG.csv"), min_rows=1000)[list(OHLCV_COLUMNS)]
    return torch.tensor(prices.to_numpy(), dtype=torch.float32), prices["Close"].to_numpy()


def _leak_facts() -> dict[str, float]:
    """The lab's split of GOOG.csv, scaled fairly and with the leak; plus the naive RMSE in dollars."""
    close = _goog()[1]  # (days,) dollars
    n_train = int(0.7 * len(close))
    low, high = close.min(), close.max()  # the leak: minimum and maximum of all days
    fair_low, fair_high = close[:n_train].min(), close[:n_train].max()
    test = close[n_train:]
    naive_error = test - close[n_train - 1 : -1]
    return {
        "leaky train": (close[WINDOW:n_train].max() - low) / (high - low),
        "leaky test": (test.max() - low) / (high - low),
        "fair train": (close[WINDOW:n_train].max() - fair_low) / (fair_high - fair_low),
        "fair test": (test.max() - fair_low) / (fair_high - fair_low),
        "naive rmse": math.sqrt(float((naive_error**2).mean())),
    }


def _number(value: object) -> float | None:
    """A finite number (see :func:`as_number`); else ``None``."""
    number = as_number(value)
    return number if number is not None and math.isfinite(number) else None


@dataclass(frozen=True)
class _Windows:
    """The lab's windows of GOOG.csv with one scaler, and that scaler's Close minimum and maximum."""

    x_train: torch.Tensor  # (1496, WINDOW, 5)
    y_train: torch.Tensor  # (1496, 1) scaled closes
    x_test: torch.Tensor  # (645, WINDOW, 5): the first test target is the first test day
    close_min: float  # dollars
    close_max: float

    def to(self, device: torch.device) -> "_Windows":
        """A copy on ``device`` (a copy on the CPU too: a model may not change the check's windows)."""
        return _Windows(
            *(t.to(device, copy=True) for t in (self.x_train, self.y_train, self.x_test)),
            self.close_min,
            self.close_max,
        )


@functools.lru_cache(maxsize=1)
def _lab_windows() -> dict[str, _Windows]:
    """The lab's windows (split, window and column order) with the leaky and the fair scaler, on the CPU."""
    values = _goog()[0]  # (days, 5)
    n_train = int(0.7 * len(values))
    windows = {}
    for name, fit_rows in (("leaky", values), ("fair", values[:n_train])):
        low, high = fit_rows.min(dim=0).values, fit_rows.max(dim=0).values  # (5,) each
        scaled = (values - low) / (high - low)  # (days, 5)
        x_train, y_train = _windows_expected(scaled[:n_train], WINDOW)
        x_test = _windows_expected(scaled[n_train - WINDOW :], WINDOW)[0]
        windows[name] = _Windows(x_train, y_train, x_test, low[CLOSE].item(), high[CLOSE].item())
    return windows


def _scaled_closes(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The model's ``(windows, 1)`` output for the windows ``x``; a :class:`Hint` if it has another shape."""
    with torch.no_grad():
        output = call_answer(model, x)
    if not torch.is_tensor(output) or tuple(output.shape) != (len(x), 1):
        got = tuple(output.shape) if torch.is_tensor(output) else type(output).__name__
        raise Hint("for windows (windows, {0}, 5) the model should return (windows, 1); got {1}.",
                   WINDOW, got)
    return output.detach()


def _errors(scaled: torch.Tensor, scale: _Windows, actual: np.ndarray) -> tuple[float, float]:
    """RMSE and MAE in dollars of scaled closes ``(windows, 1)``, converted back with ``scale``."""
    dollars = scaled[:, 0].double().cpu().numpy() * (scale.close_max - scale.close_min) + scale.close_min
    error = dollars - actual
    return math.sqrt(float((error**2).mean())), float(np.abs(error).mean())


def _mse(model: nn.Module, windows: _Windows) -> float:
    """The model's MSE on the training windows, in scaled units, as the lab's loss."""
    return nn.functional.mse_loss(_scaled_closes(model, windows.x_train), windows.y_train).item()


def _gradient_norm(model: nn.Module, windows: _Windows) -> float:
    """The norm of the gradient of the MSE on the training windows with respect to the model's parameters.

    ``autograd.grad`` leaves the parameters' ``.grad`` alone, and without cuDNN the gradient also works on
    a GPU model in ``eval()`` mode (cuDNN's RNN backward needs training mode).
    """
    parameters = [p for p in model.parameters() if p.requires_grad]
    with torch.enable_grad(), torch.backends.cudnn.flags(enabled=False):
        loss = nn.functional.mse_loss(model(windows.x_train), windows.y_train)
        gradients = torch.autograd.grad(loss, parameters, allow_unused=True)
    return math.sqrt(sum(float((g.double() ** 2).sum()) for g in gradients if g is not None))


def _trained_on_leaky_windows(model: nn.Module, leaky: _Windows, fair: _Windows) -> CheckResult | None:
    """A hint if the model looks untrained, or trained on the fair windows; ``None`` if it looks right.

    A model trained on one set of windows sits near a minimum of that set's loss, where the gradient is
    small. Comparing the losses themselves does not work: the leaky windows are the fair ones with every
    price column times about 0.91, so any model that has learned "about today's close" has the lower MSE
    on the leaky windows (about 0.82 times), whichever set it was trained on. After 150 to 300 epochs
    (seeds 0 to 8, CPU) the gradient on the leaky windows was 0.05 to 0.43 times the one on the fair
    windows for models trained on the leaky windows, and 3.6 to 19 times for models trained on the fair
    ones. After 100 epochs the two overlap: no model is near a minimum yet.
    """
    naive_mse = nn.functional.mse_loss(leaky.x_train[:, -1, CLOSE : CLOSE + 1], leaky.y_train).item()
    if _mse(model, leaky) > UNTRAINED_FACTOR * naive_mse:
        return not_yet(
            "on the leaky training windows this model is far worse than copying the last close: "
            "is it trained? Retrain the level model on the leaky windows, as in section 6."
        )
    if _gradient_norm(model, leaky) > _gradient_norm(model, fair):
        return not_yet(
            "this model fits the fair training windows better than the leaky ones (its loss there is nearer "
            "a minimum): retrain it on the leaky windows, as the lab does (300 epochs; at least 150)."
        )
    return None


def _rmse_hint(
    rmse: float, model: nn.Module, windows: dict[str, _Windows], naive_rmse: float, actual: np.ndarray
) -> CheckResult:
    """What ``rmse`` is instead of the model's test RMSE in dollars with the leak: a hint, not the answer."""
    leaky, fair = windows["leaky"], windows["fair"]
    on_leaky, on_fair = _scaled_closes(model, leaky.x_test), _scaled_closes(model, fair.x_test)

    def near(reference: float) -> bool:
        return abs(rmse - reference) <= RMSE_TOLERANCE * reference

    model_rmse, model_mae = _errors(on_leaky, leaky, actual)
    if rmse < 1:
        return not_yet("the RMSE looks like it is in scaled units: convert the predictions to dollars first.")
    if near(naive_rmse):
        return not_yet("that is the naive baseline's RMSE: give the RMSE of this model's predictions.")
    if near(_errors(on_leaky, fair, actual)[0]):
        return not_yet(
            "it is converted back with the fair scaler: use the scaler the windows came from, the leaky one."
        )
    if near(_errors(on_fair, fair, actual)[0]) or near(_errors(on_fair, leaky, actual)[0]):
        return not_yet("that is this model's RMSE on the fair test windows: predict on the leaky x_test.")
    if near(model_mae):
        return not_yet("that is the mean absolute error: give the RMSE, the first value of rmse_mae.")
    if near(model_rmse**2) or rmse > 10 * max(model_rmse, naive_rmse):
        return not_yet("the RMSE is far too large: is it squared (an MSE), or are the units off?")
    return not_yet(
        "the reported RMSE is not the one this model gives on the leaky test windows, in dollars with the "
        "leaky scaler: pass the model the RMSE came from, and compute it on the leaky x_test."
    )


@exercise_check
def check_leak(leak: dict | None, leaky_model: nn.Module | None) -> CheckResult:
    """Exercise 1: what fitting the scaler on all rows does to the scaled closes and to the test RMSE.

    The check computes the two scaled maxima from ``GOOG.csv`` itself and
    accepts them to two decimals (as the lab prints scaled closes). For the
    RMSE it rebuilds the lab's windows (split, window, column order) with the
    leaky scaler and with the fair one, on the model's device, and asks:

    - that the model is trained: its MSE on the leaky training windows is at
      most ``UNTRAINED_FACTOR`` times the naive rule's;
    - that it was trained on the leaky windows, not the fair ones: the
      gradient of its loss on the leaky training windows is smaller than on
      the fair ones (it sits nearer a minimum of the leaky loss). This needs a
      model trained about as long as the lab's (150 epochs or more);
    - that the reported RMSE is the model's test RMSE in dollars on the leaky
      test windows, converted back with the leaky scaler's Close range, within
      ``RMSE_TOLERANCE`` (1 %).

    Args:
        leak: The dict of the exercise, with the keys ``LEAK_KEYS``:
            the largest scaled training target and the largest scaled test
            close (both with the scaler fitted on all rows), and the test RMSE
            in dollars of the level model retrained on those leaky windows.
        leaky_model: That retrained level model: an ``nn.Module`` that maps
            float windows ``(windows, 7, 5)`` on its device to ``(windows, 1)``
            scaled closes, as the lab's ``CloseLSTM(predict_change=False)``.

    Returns:
        The verdict, with a hint when a value or the model is not right yet.
    """
    model_missing = is_placeholder(leaky_model)
    if is_placeholder(leak) or isinstance(leak, dict) and all(is_placeholder(v) for v in leak.values()):
        if model_missing:
            return no_answer_yet("fill in the three values of the dict, and pass the level model you "
                                 "retrained "
                                 "on the leaky windows.")
        return no_answer_yet("fill in the three values of the dict.")
    if not isinstance(leak, dict) or set(leak) != set(LEAK_KEYS):
        return not_yet("use the dict of the exercise, with its three keys, and fill in its values.")
    missing = [key for key in LEAK_KEYS if is_placeholder(leak[key])]
    if missing:
        return no_answer_yet("fill in {0}.", ', '.join(repr(key) for key in missing))
    if model_missing:
        return no_answer_yet("now pass the level model you retrained on the leaky windows, too.")
    rmse_key = LEAK_KEYS[2]
    if isinstance(leak[rmse_key], (tuple, list)) and len(leak[rmse_key]) == 2:
        return not_yet("{0!r} is one number: rmse_mae returns (RMSE, MAE), take the RMSE.", rmse_key)
    values = {key: _number(leak[key]) for key in LEAK_KEYS}
    for key, value in values.items():
        if value is None:
            return not_yet("{0!r} should be a number; got {1!r}.", key, leak[key])
    train_max, test_max, rmse = values.values()
    facts = _leak_facts()

    def near(value: float, fact: str, tolerance: float = 6e-3) -> bool:  # two decimals are enough
        return abs(value - facts[fact]) < tolerance

    if max(train_max, test_max) > 2 or min(train_max, test_max) < 0:
        return not_yet("min-max scaled closes lie around [0, 1]: give the scaled values, not dollars or %.")
    if near(train_max, "leaky test") and near(test_max, "leaky train"):
        return not_yet("the two scaled maxima are swapped: which one belongs to the test days?")
    if near(train_max, "fair train") and near(test_max, "leaky test"):
        return not_yet(
            "your training maximum is the top of the leaky scale: take the Close column of the leaky y_train "
            "(the maximum over all columns can come from another column)."
        )
    if near(train_max, "fair train") or near(test_max, "fair test"):
        return not_yet("that is what the fair scaler gives: fit the leaky scaler on all rows, values.")
    if near(train_max, "leaky train", 0.03) and not near(train_max, "leaky train"):
        return not_yet("the largest scaled training target is nearly right: give two decimals or more.")
    if not near(train_max, "leaky train"):
        return not_yet("the largest scaled training target is off: the targets are rows WINDOW .. n_train-1.")
    if not near(test_max, "leaky test"):
        return not_yet("the largest scaled test close is off: take the Close of the rows from n_train on.")

    if isinstance(leaky_model, (tuple, list)) and any(isinstance(item, nn.Module) for item in leaky_model):
        return not_yet("pass the model itself, not a tuple or list that holds it.")
    if not isinstance(leaky_model, nn.Module) or next(leaky_model.parameters(), None) is None:
        return not_yet("pass the retrained level model itself, an nn.Module with parameters, as the model.")
    if getattr(leaky_model, "predict_change", False) is True:
        return not_yet("that is a change model: the exercise retrains the level model, predict_change=False.")
    if not any(p.requires_grad for p in leaky_model.parameters()):
        return not_yet("the model's parameters do not require gradients: pass the model as fit trains it.")
    device = next(leaky_model.parameters()).device
    windows = {name: w.to(device) for name, w in _lab_windows().items()}
    wrong_training = _trained_on_leaky_windows(leaky_model, windows["leaky"], windows["fair"])
    if wrong_training is not None:
        return wrong_training
    actual = _goog()[1][-len(windows["leaky"].x_test) :]  # (test days,) dollars
    model_rmse = _errors(_scaled_closes(leaky_model, windows["leaky"].x_test), windows["leaky"], actual)[0]
    if abs(rmse - model_rmse) > RMSE_TOLERANCE * model_rmse:
        return _rmse_hint(rmse, leaky_model, windows, facts["naive rmse"], actual)
    return correct("with the leak every test close lies inside the scaler's [0, 1], "
                   "yet the RMSE hardly moves.")


def _windows_expected(rows: torch.Tensor, window: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.stack([rows[i : i + window] for i in range(len(rows) - window)])  # (windows, window, 5)
    return x, rows[window:, CLOSE : CLOSE + 1]  # (windows, 1)


def _as_pair(returned: object) -> tuple[torch.Tensor, torch.Tensor] | None:
    """``(x, y)`` given as a tuple or list of two tensors, as float32 tensors on the CPU; else ``None``."""
    if isinstance(returned, (tuple, list)) and len(returned) == 2 and all(map(torch.is_tensor, returned)):
        return returned[0].detach().cpu().float(), returned[1].detach().cpu().float()
    return None


@exercise_check
def check_make_windows(make_windows_of: Callable | None) -> CheckResult:
    """Exercise 2: ``make_windows_of(rows, window)`` gives ``window`` days in, the next day's close out.

    The check calls the function on small tables whose every value is
    different, with ``window`` 3 and 1, and compares with the right windows.

    Args:
        make_windows_of: The student's function, the lab's ``make_windows``
            with a ``window`` argument; it returns ``(x, y)`` of shapes
            ``(windows, window, 5)`` and ``(windows, 1)``.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(make_windows_of):
        return no_answer_yet("write make_windows_of(rows, window) and pass the function here.")
    days = 12
    rows = torch.arange(days * 5, dtype=torch.float32).reshape(days, 5) / 100  # (12, 5): all different
    for window in (3, 1):
        pair = _as_pair(call_answer(make_windows_of, rows.to(get_device()), window))
        if pair is None:
            return not_yet("return two tensors, (x, y), as the lab's make_windows does.")
        x, y = pair
        expected_x, expected_y = _windows_expected(rows, window)
        if x.dim() == 3 and x.shape[1] == WINDOW != window:
            return not_yet("for window={0} yours hold {1} days: use the argument, not WINDOW.",
                           window, WINDOW)
        if x.dim() != 3 or x.shape[1:] != (window, 5):
            return not_yet("for window={0}, x should be (windows, window, 5); got {1}.",
                           window, tuple(x.shape))
        if y.dim() != 2 or y.shape[1] != 1:
            return not_yet("y should be one close per window, shape (windows, 1); got {0}.", tuple(y.shape))
        if len(x) != len(y):
            return not_yet("x and y should have as many windows each.")
        if len(x) != len(expected_x):
            return not_yet("every day that has `window` days before it should be the target of one window.")
        if not torch.allclose(x, expected_x):
            return not_yet("each input should be `window` consecutive days, in order.")
        if torch.allclose(y, expected_x[:, -1, CLOSE : CLOSE + 1]):
            return not_yet("your target is the window's last day, which the input holds: take the next day.")
        for column in range(5):
            if column != CLOSE and torch.allclose(y, rows[window:, column : column + 1]):
                return not_yet("the target is the close, column CLOSE; yours is column {0}.", column)
        if not torch.allclose(y, expected_y):
            return not_yet("the target should be the close of the day right after the window.")
    return correct("any window length now, and every target the day after its window.")


def _direction_data() -> tuple[torch.Tensor, torch.Tensor]:
    """Windows whose next close rises, falls or stays; first, last close and open disagree on purpose."""
    generator = torch.Generator().manual_seed(4)
    x = torch.rand(12, 4, 5, generator=generator)  # (windows=12, window=4, features=5)
    last_close = x[:, -1, CLOSE]  # (12,)
    moves = torch.tensor([0.1, -0.1, 0.0, 0.2, -0.05, 0.0, 0.03, -0.2, 0.1, -0.01, 0.05, -0.3])
    y = (last_close + moves).unsqueeze(1)  # (12, 1): two days without change
    return x, y


def _labels(x: torch.Tensor, y: torch.Tensor, reference: torch.Tensor, compare: Callable) -> torch.Tensor:
    return compare(y[:, 0], reference).float().unsqueeze(1)  # (windows, 1)


@exercise_check
def check_up_labels(up_labels: Callable | None) -> CheckResult:
    """Exercise 3: ``up_labels(x, y)`` is 1.0 where the next close is above the window's last close.

    Args:
        up_labels: The student's function of the windows ``x`` (windows,
            window, 5) and the next closes ``y`` (windows, 1); it returns
            float labels of shape ``(windows, 1)`` for ``BCEWithLogitsLoss``.

    Returns:
        The verdict, with a hint when the function is not right yet.
    """
    if is_placeholder(up_labels):
        return no_answer_yet("write up_labels(x, y) and pass the function here.")
    x, y = _direction_data()
    device = get_device()
    returned = call_answer(up_labels, x.to(device), y.to(device))
    if not torch.is_tensor(returned):
        return not_yet("return a tensor of labels; got {0}.", type(returned).__name__)
    if tuple(returned.shape) == (len(y), len(y)):
        return not_yet("your labels are (windows, windows): y (windows, 1) against a (windows,) broadcasts.")
    if tuple(returned.shape) != tuple(y.shape):
        return not_yet("the labels should have the shape of y, (windows, 1); got {0}.", tuple(returned.shape))
    if not returned.is_floating_point():
        return not_yet("BCEWithLogitsLoss needs float labels (0.0 and 1.0), not {0}.", returned.dtype)
    labels = returned.detach().cpu()
    if not ((labels == 0) | (labels == 1)).all():
        return not_yet("the labels should be 0.0 or 1.0, not a size of the move.")
    last_close = x[:, -1, CLOSE]
    if torch.equal(labels, _labels(x, y, last_close, torch.gt)):
        return correct("1.0 for a rise, 0.0 for a fall or no change, as BCEWithLogitsLoss expects.")
    if torch.equal(labels, _labels(x, y, last_close, torch.ge)):
        return not_yet("a close that did not change is not a rise.")
    if torch.equal(labels, _labels(x, y, last_close, torch.lt)) or torch.equal(
        labels, _labels(x, y, last_close, torch.le)
    ):
        return not_yet("your labels are flipped: 1.0 should mean the close went up.")
    if torch.equal(labels, _labels(x, y, x[:, 0, CLOSE], torch.gt)):
        return not_yet("compare with the last close in the window, not the first.")
    for column in range(5):
        if column != CLOSE and torch.equal(labels, _labels(x, y, x[:, -1, column], torch.gt)):
            return not_yet("compare the next close with the last close, column CLOSE, not another column.")
    return not_yet("the label is 1.0 where y is above the last close of its window, else 0.0.")
