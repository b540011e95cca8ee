"""The stand-ins for other machines that make test-machines uses (tests/machines.py, tests/startup/)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import machines
import pytest

STARTUP = Path(__file__).resolve().parent / "startup"

# Run in a fresh process: the stand-ins patch torch for the whole process they are loaded into.
EMULATED = """
import json, torch
torch.manual_seed(0)
drawn = torch.rand(1).item()

def one_step():
    weight = torch.nn.Parameter(torch.ones(4))
    optimizer = torch.optim.SGD([weight], lr=0.5)
    weight.grad = torch.tensor([0.0, 1.0, 0.0, 1.0])  # only elements 1 and 3 change
    optimizer.step()
    return weight.detach().tolist()

print(json.dumps({"drawn": drawn, "first": one_step(), "second": one_step()}))
"""


# Starts a Python process that imports torch (about 3 s): it runs in make test-machines, not make test.
@pytest.mark.machines
def test_seed_shift_and_gpu_like_noise():
    import torch

    shifted_and_noisy = {"COURSE_SEED_SHIFT": "1", "COURSE_WEIGHT_NOISE": "1e-6"}
    environment = {**os.environ, "PYTHONPATH": str(STARTUP), **shifted_and_noisy}
    run = subprocess.run([sys.executable, "-c", EMULATED], env=environment, capture_output=True, text=True,
                         check=True, timeout=120)
    assert "Error in sitecustomize" not in run.stderr, run.stderr
    emulated = json.loads(run.stdout)
    torch.manual_seed(1)
    assert emulated["drawn"] == torch.rand(1).item(), "with seed shift 1, seed 0 should draw as seed 1 does"
    changed = emulated["first"]  # without noise the step gives [1.0, 0.5, 1.0, 0.5] exactly
    assert changed[0] == changed[2] == 1.0, "a weight the step left alone must stay exactly as it was"
    assert changed[1] != 0.5 and abs(changed[1] - 0.5) < 1e-5, "a weight the step changed gets relative noise"
    assert emulated["second"] == changed, "two identical runs must get identical noise, to stay comparable"


def test_every_processor_has_the_default_and_gpu_like_settings():
    settings = machines.available_settings()
    assert {"default", "gpu-like"} <= set(settings)
    has_avx512 = {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= machines.cpu_flags()
    assert ("avx512" in settings) == has_avx512, "avx512 only where the processor has it, or it crashes"


def test_the_report_lists_each_changed_line_with_the_runs_that_printed_it():
    stored = "epochs: 10/10\naccuracy 98.0%\n"
    runs = {"default-seed0": stored, "avx2-seed0": "epochs: 10/10\naccuracy 53.3%\n"}
    assert machines.differing_lines(stored, runs) == [
        (1, "accuracy 98.0%", {"accuracy 98.0%": ["default-seed0"], "accuracy 53.3%": ["avx2-seed0"]})
    ]
    assert machines.differing_lines(stored, {"default-seed0": stored}) == []
