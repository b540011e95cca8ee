"""Choosing a device and seeding every random number generator the course uses."""

import os
import random

import numpy as np
import torch

DEVICE_ENV_VAR = "COURSE_DEVICE"
_KNOWN_DEVICES = ("cpu", "cuda")


def get_device() -> torch.device:
    """Return the device the notebooks compute on.

    CUDA is used when a GPU is present, otherwise the CPU. The environment
    variable ``COURSE_DEVICE`` (``cpu`` or ``cuda``) forces one of them, for
    example ``COURSE_DEVICE=cpu make test`` on a machine with a GPU. On a GPU
    it also switches TF32 off (:func:`use_full_float32_on_the_gpu`), so that
    results compared across kernels agree to a few 1e-6 whatever ran before.

    Returns:
        ``torch.device("cuda")`` or ``torch.device("cpu")``.

    Raises:
        ValueError: ``COURSE_DEVICE`` holds something other than ``cpu`` or ``cuda``.
        RuntimeError: ``COURSE_DEVICE=cuda`` but PyTorch sees no CUDA GPU.
    """
    forced = os.environ.get(DEVICE_ENV_VAR, "").strip().lower()
    if forced and forced not in _KNOWN_DEVICES:
        raise ValueError(
            f"{DEVICE_ENV_VAR}={forced!r} is not understood; use one of {_KNOWN_DEVICES} "
            f"or unset it to pick automatically."
        )
    if forced == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            f"{DEVICE_ENV_VAR}=cuda was asked for, but PyTorch sees no CUDA GPU "
            f"(torch {torch.__version__}, CUDA build: {torch.version.cuda}). "
            f"Unset {DEVICE_ENV_VAR} or set it to 'cpu'."
        )
    device = torch.device(forced or ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cuda":
        use_full_float32_on_the_gpu()
    return device


def use_full_float32_on_the_gpu() -> None:
    """Switch off TF32 in cuDNN (``nn.RNN``, ``nn.LSTM``, ``nn.GRU``) and in matrix products.

    TF32 is a faster number format that keeps 10 bits of each number's digits
    instead of float32's 23. PyTorch uses it for cuDNN's kernels by default, so
    on a GPU ``nn.RNN`` would differ from the same loop written by hand by about
    1e-4 (measured on an H200) instead of a few 1e-6. The course compares such
    results, so every notebook and every check computes in full float32.
    """
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and PyTorch (CPU and every GPU).

    After ``seed_everything(s)`` the same code draws the same numbers again.
    On a GPU it also asks cuDNN for deterministic kernels and switches off
    TF32 (a faster, lower-precision float format that would make GPU results
    differ from CPU results in the third digit). GPU results can still differ
    from CPU results in the last digits, so the course never asserts exact
    float losses.

    Args:
        seed: A whole number from 0 to 2**32 - 1.

    Raises:
        ValueError: ``seed`` is not a whole number in that range.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (the global generator that np.random.* uses)
    torch.manual_seed(seed)  # also seeds every CUDA device
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    use_full_float32_on_the_gpu()
