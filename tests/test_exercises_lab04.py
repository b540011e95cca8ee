"""Lab 04's checks accept the worked solutions and reject typical wrong answers."""

import copy

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import data_path, load_ohlcv, seed_everything, sliding_windows
from course_utils.exercises import lab04

CLOSE, WINDOW = 3, 7
# Models trained here as in the solutions (seed 0, Adam lr 0.01, full batch), for 150 epochs: the fewest
# for which check_leak tells a model trained on the leaky windows from one trained on the fair windows
# with a wide margin (the gradient ratio it compares with 1 is about 0.25 and 5.8 for seed 0; at 100 to
# 120 epochs it can still land on the wrong side for some seeds). The two models train in about 5 s.
EPOCHS = 150

# Exercise 1 · leak on purpose


class CloseLSTM(nn.Module):  # the lab's model
    def __init__(self, hidden_size=16, predict_change=False):
        super().__init__()
        self.lstm = nn.LSTM(input_size=5, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)
        self.predict_change = predict_change

    def forward(self, x):  # x: (batch, WINDOW, 5)
        output, _ = self.lstm(x)
        y = self.head(output[:, -1])  # (batch, 1)
        if self.predict_change:
            y = y + x[:, -1, CLOSE : CLOSE + 1]
        return y


class Scaler:  # the lab's MinMaxScaler
    def __init__(self, rows):
        self.min, self.max = rows.min(dim=0).values, rows.max(dim=0).values

    def transform(self, rows):
        return (rows - self.min) / (self.max - self.min)

    def inverse(self, scaled, column):
        return scaled * (self.max[column] - self.min[column]) + self.min[column]


def make_windows(rows, window=WINDOW):
    pairs = sliding_windows(rows, window)
    x = torch.stack([days for days, _ in pairs])  # (windows, window, 5)
    y = torch.stack([shifted[-1, CLOSE : CLOSE + 1] for _, shifted in pairs])  # (windows, 1)
    return x, y


@pytest.fixture(scope="module")
def lab():
    """The lab's data, scalers and windows, computed as the notebook does, and the actual test closes."""
    prices = load_ohlcv(data_path("GOOG.csv"), min_rows=1000)
    values = torch.tensor(prices.to_numpy(), dtype=torch.float32)  # (days, 5)
    n_train = int(0.7 * len(values))
    close = prices["Close"].to_numpy()  # (days,) dollars
    lab = {"actual": close[n_train:], "naive": close[n_train - 1 : -1]}
    for name, scaler in [("leaky", Scaler(values)), ("fair", Scaler(values[:n_train]))]:
        scaled = scaler.transform(values)  # (days, 5)
        x_train, y_train = make_windows(scaled[:n_train])
        x_test = make_windows(scaled[n_train - WINDOW :])[0]
        lab[name] = {"scaler": scaler, "x_train": x_train, "y_train": y_train, "x_test": x_test}
        lab[name]["maxima"] = (y_train.max().item(), scaled[n_train:, CLOSE].max().item())
    return lab


def fit(model, x, y, epochs=EPOCHS):  # the solutions' fit: full batch, Adam, MSE
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    return model


@pytest.fixture(scope="module")
def models(lab):
    """The level model trained once on the leaky windows and once on the fair ones, from seed 0."""
    trained = {}
    for name in ("leaky", "fair"):
        seed_everything(0)
        trained[name] = fit(CloseLSTM(), lab[name]["x_train"], lab[name]["y_train"])
    return trained


def errors(lab, model, windows="leaky", scaler="leaky"):
    """The RMSE and MAE in dollars of ``model`` on a part's test windows, converted with a part's scaler."""
    with torch.no_grad():
        scaled = model(lab[windows]["x_test"])[:, 0]
    predicted = lab[scaler]["scaler"].inverse(scaled, CLOSE).cpu().numpy()  # (test days,) dollars
    error = predicted - lab["actual"]
    return float(np.sqrt(np.mean(error**2))), float(np.mean(np.abs(error)))


def leak_answer(lab, rmse=None, maxima=None):
    train_max, test_max = maxima or lab["leaky"]["maxima"]
    return dict(zip(lab04.LEAK_KEYS, (train_max, test_max, rmse), strict=True))


def assert_hint(result, words, lab, model=None):
    """``result`` is "not yet" with ``words`` in its hint, and the hint gives no answer away."""
    assert not result and result.status == "not yet" and words in result.message, result
    train_max, test_max = lab["leaky"]["maxima"]
    for value in (train_max, test_max):
        assert f"{value:.2f}" not in result.message and f"{value:.3f}" not in result.message
    if model is not None:
        assert f"{errors(lab, model)[0]:.2f}" not in result.message


def test_leak_accepts_the_solution(lab, models):
    leaky = models["leaky"]
    rmse = errors(lab, leaky)[0]
    assert lab04.check_leak(leak_answer(lab, rmse), leaky)
    train_max, test_max = lab["leaky"]["maxima"]
    as_other_types = (torch.tensor(train_max), np.float32(test_max))
    assert lab04.check_leak(leak_answer(lab, np.float64(rmse), as_other_types), leaky)
    # read off prints with two decimals, as the lab prints scaled closes and dollars
    printed = (round(train_max, 2), round(test_max, 2))
    assert lab04.check_leak(leak_answer(lab, round(rmse, 2), printed), leaky)
    within_a_percent = torch.tensor(rmse * 1.005)
    assert lab04.check_leak(leak_answer(lab, within_a_percent, (torch.tensor([train_max]), 1)), leaky)


def test_leak_leaves_the_model_as_it_was(lab, models):
    model = copy.deepcopy(models["leaky"]).eval()
    before = copy.deepcopy(model.state_dict())
    assert lab04.check_leak(leak_answer(lab, errors(lab, model)[0]), model)
    assert not model.training and all(p.grad is None for p in model.parameters())
    assert all(torch.equal(before[name], value) for name, value in model.state_dict().items())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_leak_checks_a_model_on_the_gpu(lab, models):
    model = copy.deepcopy(models["leaky"]).cuda().eval()  # cuDNN's RNN backward would need train()
    assert lab04.check_leak(leak_answer(lab, errors(lab, models["leaky"])[0]), model)


def test_leak_rejects_the_naive_rmse(lab, models):
    naive_rmse = float(np.sqrt(np.mean((lab["naive"] - lab["actual"]) ** 2)))
    result = lab04.check_leak(leak_answer(lab, naive_rmse), models["leaky"])
    assert_hint(result, "naive baseline", lab, models["leaky"])


def test_leak_rejects_a_model_trained_on_the_fair_windows(lab, models):
    fair = models["fair"]
    for rmse in (
        errors(lab, fair, "fair", "fair")[0],  # the lab's level model and its RMSE, unchanged
        errors(lab, fair)[0],  # the lab's level model on the leaky windows, not retrained
    ):
        result = lab04.check_leak(leak_answer(lab, rmse), fair)
        assert_hint(result, "retrain it on the leaky windows", lab, models["leaky"])


def test_leak_rejects_an_untrained_model(lab):
    seed_everything(0)
    untrained = CloseLSTM()
    result = lab04.check_leak(leak_answer(lab, errors(lab, untrained)[0]), untrained)
    assert_hint(result, "is it trained?", lab)


def test_leak_rejects_an_rmse_the_model_does_not_give(lab, models):
    leaky = models["leaky"]
    rmse, mae = errors(lab, leaky)
    for reported, words in [
        (errors(lab, leaky, "leaky", "fair")[0], "fair scaler"),
        (errors(lab, leaky, "fair", "fair")[0], "fair test windows"),
        (errors(lab, leaky, "fair", "leaky")[0], "fair test windows"),
        (mae, "mean absolute error"),
        (rmse / 706.84, "scaled units"),
        (rmse**2, "squared"),
        (rmse * 1.03, "not the one this model gives"),
        (errors(lab, models["fair"])[0], "not the one this model gives"),  # another model's
    ]:
        assert_hint(lab04.check_leak(leak_answer(lab, reported), leaky), words, lab, leaky)


def test_leak_rejects_typical_mistakes_in_the_maxima(lab, models):
    leaky_train, leaky_test = lab["leaky"]["maxima"]
    fair_train, fair_test = lab["fair"]["maxima"]
    rmse = errors(lab, models["leaky"])[0]
    for maxima, words in [
        ((fair_train, fair_test), "fair scaler"),
        ((leaky_train, fair_test), "fair scaler"),
        ((leaky_test, leaky_train), "swapped"),
        ((leaky_train - 0.05, leaky_test), "training target is off"),
        ((leaky_train, leaky_test - 0.1), "test close is off"),
        ((100 * leaky_train, 100 * leaky_test), "scaled values"),
        ((leaky_test, leaky_test), "Close column"),  # the maximum over all columns
        ((round(leaky_train, 1), leaky_test), "two decimals"),
        (("0.9", leaky_test), "number"),
    ]:
        assert_hint(lab04.check_leak(leak_answer(lab, rmse, maxima), models["leaky"]), words, lab)
    for answer, words in [
        (leak_answer(lab, (rmse, 9.4)), "rmse_mae returns"),
        ({"largest scaled test close": leaky_test}, "three keys"),
    ]:
        assert_hint(lab04.check_leak(answer, models["leaky"]), words, lab)


def test_leak_rejects_what_is_not_the_level_model(lab, models):
    leaky = models["leaky"]
    answer = leak_answer(lab, errors(lab, leaky)[0])
    seed_everything(0)
    change_model = fit(CloseLSTM(predict_change=True), lab["leaky"]["x_train"], lab["leaky"]["y_train"], 1)

    class Flat(nn.Module):  # returns (windows,) instead of (windows, 1)
        def __init__(self):
            super().__init__()
            self.inner = leaky

        def forward(self, x):
            return self.inner(x)[:, 0]

    for model, words in [
        ((leaky, [0.1, 0.01]), "model itself"),  # what a fit returning (model, losses) gives
        ("leaky_model", "nn.Module"),
        (nn.Sequential(), "nn.Module"),  # no parameters
        (change_model, "change model"),
        (Flat(), "(windows, 1)"),
        (nn.Linear(5, 1), "(windows, 1)"),  # (windows, 7, 1)
        (nn.LSTM(5, 16, batch_first=True), "(windows, 1)"),  # (output, (h_n, c_n))
        (nn.Linear(4, 1), "RuntimeError"),
    ]:
        assert_hint(lab04.check_leak(answer, model), words, lab)


def test_leak_without_an_answer(lab, models):
    assert lab04.check_leak(None, None).status == "no answer yet"
    empty = lab04.check_leak(leak_answer(lab, None, (None, None)), None)
    assert empty.status == "no answer yet" and "dict" in empty.message and "model" in empty.message
    assert lab04.check_leak(leak_answer(lab, None, (None, None)), models["leaky"]).status == "no answer yet"
    partly = lab04.check_leak(leak_answer(lab, None, (0.9, None)), models["leaky"])
    assert partly.status == "no answer yet" and "test close" in partly.message
    for placeholder in (None, ...):
        no_model = lab04.check_leak(leak_answer(lab, 12.5), placeholder)
        assert no_model.status == "no answer yet" and "level model" in no_model.message, no_model


# Exercise 2 · make_windows(rows, window)


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
