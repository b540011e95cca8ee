import math

import matplotlib
import pytest
import torch

from course_utils import accuracy, plot_losses, train_loop

matplotlib.use("Agg")


def make_quadratic_step(lr: float = 0.1):
    """A step function that pulls w towards 3, and the parameter it trains."""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)

    def step() -> torch.Tensor:
        optimizer.zero_grad()
        loss = ((w - 3) ** 2).sum()
        loss.backward()
        optimizer.step()
        return loss

    return step, w


def test_train_loop_calls_step_and_returns_every_loss():
    step, w = make_quadratic_step()
    losses = train_loop(step, 50)
    assert len(losses) == 50
    assert all(isinstance(loss, float) for loss in losses)
    assert losses[0] == pytest.approx(9.0)  # (0 - 3)^2 before the first update
    assert losses[-1] < 1e-6 < losses[0]
    assert w.item() == pytest.approx(3.0, abs=1e-3)


def test_train_loop_accepts_float_losses():
    assert train_loop(lambda: 0.5, 3) == [0.5, 0.5, 0.5]


def test_train_loop_reports_every_k_steps_and_at_the_end(capsys):
    seen = []

    def report(step_number: int, loss: float) -> str:
        seen.append(step_number)
        return f"report at {step_number}"

    train_loop(lambda: 1.0, 7, report_every=3, report=report)
    assert seen == [3, 6, 7]
    out = capsys.readouterr().out
    assert "report at 3" in out and "report at 7" in out
    assert "7/7" in out  # the progress bar reached the end


def test_train_loop_reports_at_chosen_steps(capsys):
    seen = []
    train_loop(lambda: 1.0, 12, report_at=(1, 3, 10), report=lambda n, loss: seen.append(n))
    assert seen == [1, 3, 10]  # and not at the end: report_every is not set
    seen.clear()
    train_loop(lambda: 1.0, 6, report_every=5, report_at=(2,), report=lambda n, loss: seen.append(n))
    assert seen == [2, 5, 6]


def test_train_loop_bar_has_no_clock_times(capsys):
    train_loop(lambda: 1.0, 20, desc="epochs")
    out = capsys.readouterr().out
    assert "epochs: 100%" in out
    assert "it/s" not in out and "<" not in out  # no rate, no elapsed/remaining time


def test_train_loop_stops_on_nan():
    losses = iter([1.0, 0.5, math.nan, 0.1])
    with pytest.raises(FloatingPointError, match="step 3.*lower learning rate"):
        train_loop(lambda: next(losses), 4)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_train_loop_rejects_bad_step_counts(bad):
    with pytest.raises(ValueError, match="num_steps must be a positive integer"):
        train_loop(lambda: 1.0, bad)


def test_train_loop_rejects_bad_report_every():
    with pytest.raises(ValueError, match="report_every"):
        train_loop(lambda: 1.0, 5, report_every=0)
    with pytest.raises(ValueError, match="report_at"):
        train_loop(lambda: 1.0, 5, report_at=(0, 3))


def test_plot_losses_one_curve():
    ax = plot_losses([3.0, 2.0, 1.0], xlabel="epoch")
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [1, 2, 3]
    assert list(line.get_ydata()) == [3.0, 2.0, 1.0]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert ax.get_legend() is None


def test_plot_losses_several_curves_get_a_legend_and_log_scale():
    ax = plot_losses({"train": [1.0, 0.1], "test": [1.0, 0.5]}, log_scale=True)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]
    assert ax.get_yscale() == "log"


def test_plot_losses_rejects_an_empty_history():
    with pytest.raises(ValueError, match="empty loss history 'test'"):
        plot_losses({"train": [1.0], "test": []})


def test_accuracy_of_ids_and_strings():
    assert accuracy(torch.tensor([1, 2, 3, 4]), torch.tensor([1, 2, 0, 4])) == 0.75
    assert accuracy("ihello", "ihello") == 1.0
    assert accuracy("ilello", "ihello") == pytest.approx(5 / 6)


def test_accuracy_ignores_padding():
    predicted = torch.tensor([[1, 2, 9], [3, 9, 9]])
    target = torch.tensor([[1, 0, 0], [3, 4, 0]])  # 0 is padding
    assert accuracy(predicted, target, ignore_index=0) == pytest.approx(2 / 3)


def test_accuracy_rejects_mismatched_input():
    with pytest.raises(ValueError, match="shape"):
        accuracy(torch.zeros(2, 5, 3), torch.zeros(2, 5, dtype=torch.long))
    with pytest.raises(ValueError, match="float tensor"):
        accuracy(torch.zeros(4), torch.zeros(4))
    with pytest.raises(ValueError, match="length"):
        accuracy("abc", "ab")
    with pytest.raises(ValueError, match="string with a string"):
        accuracy("abc", torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match="No position"):
        accuracy(torch.tensor([1, 2]), torch.tensor([0, 0]), ignore_index=0)
