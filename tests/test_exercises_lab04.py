"""Lab 04's checks accept the worked solutions and reject typical wrong answers."""

import numpy as np
import pytest
import torch

from course_utils import data_path, load_ohlcv, sliding_windows
from course_utils.exercises import lab04

CLOSE, WINDOW = 3, 7

# Exercise 1 · leak on purpose


@pytest.fixture(scope="module")
def scaled_closes():
    """The largest scaled training target and test close, fair and leaky, computed as the notebook does."""
    prices = load_ohlcv(data_path("GOOG.csv"), min_rows=1000)
    values = torch.tensor(prices.to_numpy(), dtype=torch.float32)  # (days, 5)
    n_train = int(0.7 * len(values))

    def maxima(fit_rows):
        low, high = fit_rows.min(dim=0).values, fit_rows.max(dim=0).values
        scaled = (values - low) / (high - low)  # (days, 5)
        return scaled[WINDOW:n_train, CLOSE].max().item(), scaled[n_train:, CLOSE].max().item()

    return {"leaky": maxima(values), "fair": maxima(values[:n_train])}


def leak_answer(train_max, test_max, rmse=12.53):
    return dict(zip(lab04.LEAK_KEYS, (train_max, test_max, rmse), strict=True))


def test_leak_accepts_the_solution(scaled_closes):
    assert lab04.check_leak(leak_answer(*scaled_closes["leaky"]))
    train_max, test_max = scaled_closes["leaky"]
    assert lab04.check_leak(leak_answer(torch.tensor(train_max), np.float32(test_max), np.float64(15.6)))
    # read off a print with two decimals, as the lab prints scaled closes
    assert lab04.check_leak(leak_answer(round(train_max, 2), round(test_max, 2), 12.5))
    assert lab04.check_leak(leak_answer(torch.tensor([train_max]), 1, 12))


def test_leak_rejects_typical_mistakes_without_giving_the_answer(scaled_closes):
    leaky_train, leaky_test = scaled_closes["leaky"]
    fair_train, fair_test = scaled_closes["fair"]
    for answer, words in [
        (leak_answer(fair_train, fair_test), "fair scaler"),
        (leak_answer(leaky_train, fair_test), "fair scaler"),
        (leak_answer(leaky_test, leaky_train), "swapped"),
        (leak_answer(leaky_train - 0.05, leaky_test), "training target is off"),
        (leak_answer(leaky_train, leaky_test - 0.1), "test close is off"),
        (leak_answer(leaky_train, leaky_test, 0.0177), "scaled units"),
        (leak_answer(leaky_train, leaky_test, 157.0**2), "squared"),
        (leak_answer(leaky_train, leaky_test, 12.53**2), "squared"),
        (leak_answer(leaky_train, leaky_test, (12.53, 9.4)), "rmse_mae returns"),
        (leak_answer(100 * leaky_train, 100 * leaky_test), "scaled values"),
        (leak_answer(leaky_test, leaky_test), "Close column"),  # the maximum over all columns
        (leak_answer(round(leaky_train, 1), leaky_test), "two decimals"),
        (leak_answer(leaky_train, leaky_test, 50.8), "scaler the windows came from"),
        (leak_answer(leaky_train, leaky_test, 2.0), "too good"),
        (leak_answer("0.9", leaky_test), "number"),
        ({"largest scaled test close": leaky_test}, "three keys"),
    ]:
        result = lab04.check_leak(answer)
        assert not result and words in result.message, (answer, result)
        assert f"{leaky_train:.2f}" not in result.message and f"{leaky_train:.3f}" not in result.message


def test_leak_without_an_answer():
    assert lab04.check_leak(None).status == "no answer yet"
    assert lab04.check_leak(leak_answer(None, None, None)).status == "no answer yet"
    partly = lab04.check_leak(leak_answer(0.9, None, None))
    assert partly.status == "no answer yet" and "test close" in partly.message


# Exercise 2 · make_windows(rows, window)


def make_windows(rows, window):
    pairs = sliding_windows(rows, window)
    x = torch.stack([days for days, _ in pairs])  # (windows, window, 5)
    y = torch.stack([shifted[-1, CLOSE : CLOSE + 1] for _, shifted in pairs])  # (windows, 1)
    return x, y


def test_make_windows_accepts_the_solution():
    assert lab04.check_make_windows(make_windows)

    def with_a_loop(rows, window):
        starts = range(len(rows) - window)
        x = torch.stack([rows[i : i + window] for i in starts])
        return x, rows[window:, CLOSE].unsqueeze(1)

    assert lab04.check_make_windows(with_a_loop)

    def with_unfold(rows, window):  # unfold gives (windows + 1, 5, window)
        return rows.unfold(0, window, 1)[:-1].transpose(1, 2), rows[window:, CLOSE].unsqueeze(-1)

    assert lab04.check_make_windows(with_unfold)
    assert lab04.check_make_windows(lambda rows, window: list(make_windows(rows, window)))
    assert lab04.check_make_windows(lambda rows, window: [t.double() for t in make_windows(rows, window)])


def with_target(target):
    """A make_windows with the right inputs and the target ``target(rows, window)``."""
    return lambda rows, window: (make_windows(rows, window)[0], target(rows, window))


def test_make_windows_rejects_typical_mistakes():
    for wrong, words in [
        (lambda rows, window: make_windows(rows, WINDOW), "not WINDOW"),
        (with_target(lambda rows, window: rows[window:, CLOSE]), "(windows, 1)"),
        (with_target(lambda rows, window: rows[window:]), "(windows, 1)"),
        (with_target(lambda rows, window: rows[window - 1 : -1, CLOSE : CLOSE + 1]), "last day"),
        (with_target(lambda rows, window: rows[window:, 0:1]), "column 0"),
        (with_target(lambda rows, window: rows[window:, 3:4] - rows[window - 1 : -1, 3:4]), "right after"),
        (lambda rows, window: make_windows(rows[:-1], window), "target of one window"),
        (lambda rows, w: (make_windows(rows.flip(0), w)[0], make_windows(rows, w)[1]), "in order"),
        (lambda rows, window: make_windows(rows, window)[0], "two tensors"),
    ]:
        result = lab04.check_make_windows(wrong)
        assert not result and words in result.message, result


def test_make_windows_reports_an_exception_and_a_missing_answer():
    raising = lab04.check_make_windows(lambda rows, window: make_windows(rows, 20))
    assert not raising and "ValueError" in raising.message
    assert lab04.check_make_windows(None).status == "no answer yet"


# Exercise 3 · direction labels


def up_labels(x, y):
    return (y[:, 0] > x[:, -1, CLOSE]).float().unsqueeze(1)  # (windows, 1)


def test_up_labels_accepts_the_solution():
    assert lab04.check_up_labels(up_labels)
    assert lab04.check_up_labels(lambda x, y: (y > x[:, -1:, CLOSE]).to(torch.float32))
    assert lab04.check_up_labels(lambda x, y: torch.where(y > x[:, -1:, CLOSE], 1.0, 0.0))
    assert lab04.check_up_labels(lambda x, y: ((y - x[:, -1, CLOSE : CLOSE + 1]) > 0).double())


def test_up_labels_rejects_typical_mistakes():
    for wrong, words in [
        (lambda x, y: (y > x[:, -1:, CLOSE]), "float labels"),
        (lambda x, y: (y > x[:, -1:, CLOSE]).long(), "float labels"),
        (lambda x, y: up_labels(x, y)[:, 0], "shape of y"),
        (lambda x, y: (y >= x[:, -1:, CLOSE]).float(), "did not change"),
        (lambda x, y: (y < x[:, -1:, CLOSE]).float(), "flipped"),
        (lambda x, y: (y > x[:, 0:1, CLOSE]).float(), "not the first"),
        (lambda x, y: (y > x[:, -1:, 0]).float(), "another column"),
        (lambda x, y: y - x[:, -1:, CLOSE], "0.0 or 1.0"),
        (lambda x, y: (y > x[:, -1, CLOSE]).float(), "broadcasts"),
        (lambda x, y: (y > x[:, -1:, CLOSE].mean()).float(), "above the last close"),
        (lambda x, y: [1.0] * len(y), "tensor"),
    ]:
        result = lab04.check_up_labels(wrong)
        assert not result and words in result.message, result


def test_up_labels_reports_an_exception_and_a_missing_answer():
    raising = lab04.check_up_labels(lambda x, y: y > x)
    assert not raising and "RuntimeError" in raising.message
    assert lab04.check_up_labels(None).status == "no answer yet"


def test_the_direction_data_tells_the_mistakes_apart():
    x, y = lab04._direction_data()
    right = up_labels(x, y)
    assert 0 < right.sum() < len(right)
    other_columns = [y > x[:, -1:, column] for column in (0, 1, 2, 4)]
    for wrong in [y >= x[:, -1:, CLOSE], y > x[:, 0:1, CLOSE], *other_columns]:
        assert not torch.equal(wrong.float(), right)
