"""The shared parts of the exercise checks: the verdict and the helpers every check uses."""

import numpy as np
import pytest
import torch

from course_utils.exercises import CheckResult
from course_utils.exercises.checking import (
    Hint,
    as_bool,
    as_number,
    as_shape,
    as_tensor,
    as_whole_number,
    call_answer,
    correct,
    exercise_check,
    is_placeholder,
    no_answer_yet,
    not_yet,
)


def test_only_a_correct_result_is_truthy():
    assert correct("fine")
    assert not not_yet("look again")
    assert not no_answer_yet("replace None")


@pytest.mark.parametrize(
    ("result", "shown"),
    [
        (correct("fine"), "✅ Correct: fine"),
        (not_yet("look again"), "❌ Not yet: look again"),
        (no_answer_yet("replace None"), "⏳ No answer yet: replace None"),
    ],
)
def test_a_result_shows_as_one_line(result: CheckResult, shown: str):
    assert repr(result) == shown


def test_placeholders():
    assert is_placeholder(None) and is_placeholder(...)
    assert not is_placeholder(0) and not is_placeholder("")


def test_call_answer_returns_the_value():
    assert call_answer(lambda a, b: a + b, 1, b=2) == 3


@exercise_check
def check_by_calling(function) -> CheckResult:
    call_answer(function)
    return correct("it ran")


def test_an_exception_in_the_answer_becomes_a_hint():
    result = check_by_calling(lambda: 1 / 0)
    assert not result and result.message.startswith("calling it raised ZeroDivisionError")


def test_a_function_that_returns_none_is_no_answer_yet():
    def stub():
        ...

    result = check_by_calling(stub)
    assert result.status == "no answer yet" and "stub returns None" in result.message


def test_what_is_not_a_function_becomes_a_hint():
    result = check_by_calling(42)
    assert not result and "expected a function, got int" in result.message


def test_a_hint_raised_in_a_check_becomes_not_yet():
    @exercise_check
    def check_positive(number: int) -> CheckResult:
        if number <= 0:
            raise Hint("think bigger")
        return correct("positive")

    assert check_positive(1)
    assert repr(check_positive(-1)) == "❌ Not yet: think bigger"
    assert check_positive.__name__ == "check_positive"


def test_as_shape():
    assert as_shape((2, 3)) == (2, 3)
    assert as_shape(torch.Size([2, 3])) == (2, 3)
    assert as_shape([2, 3.0]) == (2, 3)
    assert as_shape(np.array([6, 4, 16])) == (6, 4, 16)
    assert as_shape("2, 3") is None
    assert as_shape((2.5, 3)) is None
    assert as_shape((True, 3)) is None


NUMBERS = [2.5, np.float32(2.5), np.array(2.5), torch.tensor(2.5), torch.tensor([2.5])]


@pytest.mark.parametrize("answer", NUMBERS)
def test_as_number_takes_python_numpy_and_torch_numbers(answer):
    assert as_number(answer) == 2.5


@pytest.mark.parametrize("answer", [True, np.bool_(True), torch.tensor(True), "2.5", [2.5], torch.ones(2)])
def test_as_number_refuses_what_is_not_one_number(answer):
    assert as_number(answer) is None


@pytest.mark.parametrize("answer", [False, np.bool_(False), torch.tensor(False), torch.tensor([0.5]) > 1])
def test_as_bool_takes_python_numpy_and_torch_truth_values(answer):
    assert as_bool(answer) is False


@pytest.mark.parametrize("answer", [0, 1.0, torch.tensor(1.0), "False", None, torch.tensor([True, False])])
def test_as_bool_refuses_what_is_not_one_truth_value(answer):
    assert as_bool(answer) is None


@pytest.mark.parametrize("answer", [[0.5, 1.5], (0.5, 1.5), np.array([0.5, 1.5]), torch.tensor([0.5, 1.5])])
def test_as_tensor_takes_lists_arrays_and_tensors(answer):
    assert torch.equal(as_tensor(answer), torch.tensor([0.5, 1.5]))
    assert as_tensor(answer, torch.double).dtype == torch.double


def test_as_tensor_refuses_what_holds_no_numbers():
    assert as_tensor("0.5") is None
    assert as_tensor([0.5, "x"]) is None
    assert as_tensor(0.5) is None


def test_as_whole_number():
    assert as_whole_number(5) == 5
    assert as_whole_number(5.0) == 5
    assert as_whole_number(torch.tensor(5)) == 5
    assert as_whole_number(np.int64(5)) == 5  # what np.prod and np.sum give
    assert as_whole_number(5.5) is None
    assert as_whole_number(float("nan")) is None
    assert as_whole_number(True) is None
    assert as_whole_number("5") is None
