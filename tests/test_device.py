import random

import numpy as np
import pytest
import torch

from course_utils import get_device, seed_everything


def test_cpu_can_be_forced(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")


def test_cpu_can_be_forced_when_a_gpu_is_present(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cpu")


def test_forcing_is_case_and_space_insensitive(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", " CPU ")
    assert get_device() == torch.device("cpu")


def test_automatic_choice_follows_cuda(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert get_device().type == expected


def test_automatic_choice_picks_cuda_when_present(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")


def test_forced_cuda_without_gpu_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="no CUDA GPU"):
        get_device()


def test_unknown_device_name_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "tpu")
    with pytest.raises(ValueError, match="'tpu' is not understood"):
        get_device()


def draw_numbers():
    return random.random(), np.random.rand(), torch.rand(3)  # noqa: NPY002


def test_same_seed_gives_same_numbers():
    seed_everything(123)
    first = draw_numbers()
    seed_everything(123)
    second = draw_numbers()
    assert first[0] == second[0]
    assert first[1] == second[1]
    assert torch.equal(first[2], second[2])


def test_different_seeds_give_different_numbers():
    seed_everything(1)
    first = draw_numbers()
    seed_everything(2)
    second = draw_numbers()
    assert first[0] != second[0]
    assert first[1] != second[1]
    assert not torch.equal(first[2], second[2])


@pytest.mark.parametrize("bad_seed", [-1, 2**32, 1.5, "0", True])
def test_bad_seed_is_rejected(bad_seed):
    with pytest.raises(ValueError, match="seed must be a whole number"):
        seed_everything(bad_seed)


def test_a_gpu_computes_in_full_float32_whatever_ran_before(monkeypatch):
    """A check calls get_device() without seed_everything(): TF32 must be off all the same."""
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    before = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = True  # TF32 on
    try:
        assert get_device() == torch.device("cuda")
        assert not torch.backends.cudnn.allow_tf32 and not torch.backends.cuda.matmul.allow_tf32
    finally:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = before
