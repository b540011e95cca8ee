import pytest
import torch

from course_utils import sliding_windows


def test_string_windows_shift_by_one():
    assert sliding_windows("hello!", 3) == [("hel", "ell"), ("ell", "llo"), ("llo", "lo!")]


def test_number_of_windows():
    text = "if you want to build a ship"
    pairs = sliding_windows(text, 10)
    assert len(pairs) == len(text) - 10
    assert all(len(x) == len(y) == 10 for x, y in pairs)
    assert all(x[1:] == y[:-1] for x, y in pairs)
    assert pairs[-1][1] == text[-10:]  # the last target ends with the last item


def test_works_on_lists_and_tensors():
    assert sliding_windows([1, 2, 3], 2) == [([1, 2], [2, 3])]
    (x, y), = sliding_windows(torch.arange(3), 2)
    assert torch.equal(x, torch.tensor([0, 1]))
    assert torch.equal(y, torch.tensor([1, 2]))


def test_shortest_possible_sequence():
    assert sliding_windows("ab", 1) == [("a", "b")]


@pytest.mark.parametrize("bad_length", [0, -3, 2.0, True])
def test_length_must_be_positive(bad_length):
    with pytest.raises(ValueError, match="window length must be a positive integer"):
        sliding_windows("hello", bad_length)


@pytest.mark.parametrize("length", [5, 6, 100])
def test_length_must_leave_room_for_the_target(length):
    with pytest.raises(ValueError, match=f"need {length + 1} items, but the sequence has only 5"):
        sliding_windows("hello", length)
