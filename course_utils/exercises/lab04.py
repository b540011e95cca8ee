"""Self-checks for the exercises of Lab 11-4 · Time series: stock prices, done right."""

import math
from collections.abc import Callable

import torch

from course_utils.device import get_device
from course_utils.exercises.checking import (
    CheckResult,
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


def _leak_facts() -> dict[str, float]:
    """The lab's split of GOOG.csv, scaled fairly and with the leak; plus the naive RMSE in dollars."""
    close = load_ohlcv(data_path("GOOG.csv"), min_rows=1000)["Close"].to_numpy()  # (days,) dollars
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


@exercise_check
def check_leak(leak: dict | None) -> CheckResult:
    """Exercise 1: what fitting the scaler on all rows does to the scaled closes and to the test RMSE.

    The check computes the two scaled maxima from ``GOOG.csv`` itself and
    accepts them to two decimals (as the lab prints scaled closes). The
    RMSE comes from training, so the check only asks that it is in dollars
    and plausible for the level model (between 0.8 and 4 times the naive
    baseline's RMSE).

    Args:
        leak: The dict of the exercise, with the keys ``LEAK_KEYS``:
            the largest scaled training target and the largest scaled test
            close (both with the scaler fitted on all rows), and the test RMSE
            in dollars of the level model retrained on those leaky windows.

    Returns:
        The verdict, with a hint when a value is not right yet.
    """
    if is_placeholder(leak) or isinstance(leak, dict) and all(is_placeholder(v) for v in leak.values()):
        return no_answer_yet("fill in the three values of the dict.")
    if not isinstance(leak, dict) or set(leak) != set(LEAK_KEYS):
        return not_yet("use the dict of the exercise, with its three keys, and fill in its values.")
    missing = [key for key in LEAK_KEYS if is_placeholder(leak[key])]
    if missing:
        return no_answer_yet(f"fill in {', '.join(repr(key) for key in missing)}.")
    rmse_key = LEAK_KEYS[2]
    if isinstance(leak[rmse_key], (tuple, list)) and len(leak[rmse_key]) == 2:
        return not_yet(f"{rmse_key!r} is one number: rmse_mae returns (RMSE, MAE), take the RMSE.")
    values = {key: _number(leak[key]) for key in LEAK_KEYS}
    for key, value in values.items():
        if value is None:
            return not_yet(f"{key!r} should be a number; got {leak[key]!r}.")
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
    if rmse < 1:
        return not_yet("the RMSE looks like it is in scaled units: convert the predictions to dollars first.")
    if rmse > 10 * facts["naive rmse"]:
        return not_yet("the RMSE is far too large: is it squared (an MSE), or are the units off?")
    if rmse < 0.8 * facts["naive rmse"]:
        return not_yet("it is well below the naive baseline's: too good to be true. Compare with actual.")
    if rmse > 4 * facts["naive rmse"]:
        return not_yet("the RMSE is far above the lab's: convert back with the scaler the windows came from.")
    return correct("with the leak, no test close lies above the training range, yet the RMSE hardly moves.")


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
            return not_yet(f"for window={window} yours hold {WINDOW} days: use the argument, not WINDOW.")
        if x.dim() != 3 or x.shape[1:] != (window, 5):
            return not_yet(f"for window={window}, x should be (windows, window, 5); got {tuple(x.shape)}.")
        if y.dim() != 2 or y.shape[1] != 1:
            return not_yet(f"y should be one close per window, shape (windows, 1); got {tuple(y.shape)}.")
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
                return not_yet(f"the target is the close, column CLOSE; yours is column {column}.")
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
        return not_yet(f"return a tensor of labels; got {type(returned).__name__}.")
    if tuple(returned.shape) == (len(y), len(y)):
        return not_yet("your labels are (windows, windows): y (windows, 1) against a (windows,) broadcasts.")
    if tuple(returned.shape) != tuple(y.shape):
        return not_yet(f"the labels should have the shape of y, (windows, 1); got {tuple(returned.shape)}.")
    if not returned.is_floating_point():
        return not_yet(f"BCEWithLogitsLoss needs float labels (0.0 and 1.0), not {returned.dtype}.")
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
