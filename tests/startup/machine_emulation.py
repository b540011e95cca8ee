"""Stand-ins for other students' machines, switched on by environment variables (``make test-machines``).

Two things change a training run from one machine to the next besides the processor's kernels (which
``ATEN_CPU_CAPABILITY``, ``MKL_ENABLE_INSTRUCTIONS`` and ``ONEDNN_MAX_CPU_ISA`` cap, without any code):

``COURSE_SEED_SHIFT=k``
    Another seed. Every ``torch.manual_seed(s)`` (which ``course_utils.seed_everything`` calls) seeds
    ``s + k`` instead, so every model starts from other weights and every unseeded shuffle draws another
    order. Data drawn from a generator of its own (``torch.Generator().manual_seed(...)``,
    ``random.Random(...)``) stays the same: it is the course's data, not the luck of one run.

``COURSE_WEIGHT_NOISE=scale`` (with ``COURSE_NOISE_SEED=n``, default 0)
    GPU rounding. A GPU computes the same formulas with other kernels, so every step's weights differ
    from the CPU's in the last bits, and a chaotic training grows those bits into another model. After
    every ``optimizer.step()`` of every optimizer, each weight that the step changed is multiplied by
    ``1 + scale * noise`` (standard normal noise, drawn on the CPU). A weight the step left alone (no
    gradient reached it) stays exactly as it was, as on a GPU, and so does a weight that is 0 (a padding
    embedding). The noise depends only on ``n``, how many steps that optimizer has taken and the
    weight's place, so two identical runs in one notebook get identical noise and stay comparable.

``sitecustomize.py`` imports this module in every Python process when either variable is set.
"""

import os
import weakref

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

SEED_SHIFT = int(os.environ.get("COURSE_SEED_SHIFT", "0"))
WEIGHT_NOISE = float(os.environ.get("COURSE_WEIGHT_NOISE", "0"))
NOISE_SEED = int(os.environ.get("COURSE_NOISE_SEED", "0"))


def shift_seeds(shift: int) -> None:
    """Make ``torch.manual_seed(s)`` seed ``s + shift`` from now on."""
    manual_seed = torch.manual_seed

    def shifted_manual_seed(seed: int) -> torch.Generator:
        return manual_seed(int(seed) + shift)

    torch.manual_seed = shifted_manual_seed
    torch.random.manual_seed = shifted_manual_seed


def parameters_of(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    return [parameter for group in optimizer.param_groups for parameter in group["params"]]


def nudge_after_every_step(scale: float, noise_seed: int) -> None:
    """After each step of every optimizer, multiply each weight it changed by ``1 + scale * noise``."""
    before_step: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # optimizer -> its weights
    steps_taken: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # optimizer -> steps so far

    def remember(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        before_step[optimizer] = [parameter.detach().clone() for parameter in parameters_of(optimizer)]

    @torch.no_grad()
    def nudge(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        step = steps_taken.get(optimizer, 0) + 1
        steps_taken[optimizer] = step
        generator = torch.Generator().manual_seed(noise_seed * 1_000_003 + step)
        for parameter, before in zip(parameters_of(optimizer), before_step.pop(optimizer), strict=True):
            noise = torch.randn(parameter.shape, generator=generator)  # drawn on the CPU
            factor = 1 + scale * noise.to(parameter.device, parameter.dtype)
            parameter.mul_(torch.where(parameter != before, factor, 1.0))  # only where the step changed it

    register_optimizer_step_pre_hook(remember)
    register_optimizer_step_post_hook(nudge)


if SEED_SHIFT:
    shift_seeds(SEED_SHIFT)
if WEIGHT_NOISE:
    nudge_after_every_step(WEIGHT_NOISE, NOISE_SEED)
