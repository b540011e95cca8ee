"""Run every notebook as other students' machines would: ``make test-machines``.

Float results depend on the machine: PyTorch's CPU kernels (ATen's vectorised code, MKL, oneDNN) pick
their instructions by processor, a GPU rounds differently again, and a short or chaotic training grows
those last bits into another model. This script runs nbval over every lab and solutions notebook once per
setting below and per seed shift, so an outcome a notebook asserts must hold on all of them:

- ``default``, ``avx2``, ``avx512``: the CPU kernels capped to that instruction set (``avx512`` only on a
  processor that has it: a capped kernel can only leave instructions out);
- ``gpu-like``: this processor's own kernels, with every weight nudged by relative noise of 1e-6 after
  every optimizer step, a stand-in for GPU rounding (``tests/startup/machine_emulation.py``);
- each of them with seed shifts 0, 1 and 2: ``seed_everything(s)`` seeds ``s + shift``.

First it proves that each setting really changes the numbers: a probe (matrix products, an LSTM, a few
Adam steps) must give different bits under every setting. It writes ``machine-runs/report.md``: every
run's result, then every printed line that differs from the stored notebooks, with its values in each run.

Usage: ``python tests/machines.py [--settings default,gpu-like] [--shifts 0] [notebooks ...]``.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
OUT_DIR = REPO / "machine-runs"
STARTUP_DIR = REPO / "tests" / "startup"
SHIFTS = (0, 1, 2)
GPU_LIKE_NOISE = "1e-6"
KERNEL_DIED = "Kernel died before replying to kernel_info"

# Each setting: the CPU flags it needs, and the environment that caps PyTorch's kernels to it.
KERNEL_SETTINGS = {
    "default": ((), {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
                     "ONEDNN_MAX_CPU_ISA": "SSE41"}),
    "avx2": (("avx2", "fma"), {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
                               "ONEDNN_MAX_CPU_ISA": "AVX2"}),
    "avx512": (("avx512f", "avx512bw", "avx512vl", "avx512dq"),
               {"ATEN_CPU_CAPABILITY": "avx512", "MKL_ENABLE_INSTRUCTIONS": "AVX512",
                "ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}),
}
GPU_LIKE = {"COURSE_WEIGHT_NOISE": GPU_LIKE_NOISE}

PROBE = """
import hashlib, torch
def digest(t): return hashlib.sha256(t.detach().contiguous().numpy().tobytes()).hexdigest()[:12]
g = torch.Generator().manual_seed(0)
a, b = torch.randn(64, 300, generator=g), torch.randn(300, 128, generator=g)
torch.manual_seed(0)
linear, lstm = torch.nn.Linear(300, 128), torch.nn.LSTM(300, 64, batch_first=True)
x = torch.randn(8, 20, 300, generator=g)
optimizer = torch.optim.Adam(lstm.parameters(), lr=0.01)
for _ in range(3):
    optimizer.zero_grad(); lstm(x)[0].square().mean().backward(); optimizer.step()
import sys
emulated = "machine_emulation" in sys.modules
print(torch.backends.cpu.get_cpu_capability(), emulated, digest(a @ b), digest(linear(a)),
      digest(torch.tanh(a)), digest(torch.softmax(a, -1)), digest(lstm(x)[0]))
"""


def cpu_flags() -> set[str]:
    """The processor's feature flags (empty where /proc/cpuinfo does not exist)."""
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return set()
    for line in cpuinfo.read_text().splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def available_settings() -> dict[str, dict[str, str]]:
    """Every setting this processor can run, by name, with its environment."""
    flags = cpu_flags()
    settings = {name: env for name, (needs, env) in KERNEL_SETTINGS.items() if set(needs) <= flags}
    settings["gpu-like"] = GPU_LIKE
    return settings


def run_env(setting: dict[str, str], shift: int) -> dict[str, str]:
    """The environment of one run: the setting, the seed shift, and tests/startup loaded at start-up."""
    paths = [str(STARTUP_DIR), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    python_path = os.pathsep.join(dict.fromkeys(paths))  # tests/startup first, once
    env = {**os.environ, **setting, "OMP_NUM_THREADS": "1", "PYTHONPATH": python_path}
    if shift:
        env["COURSE_SEED_SHIFT"] = str(shift)
    if "COURSE_WEIGHT_NOISE" in setting:
        env["COURSE_NOISE_SEED"] = str(shift)
    return env


def probe(settings: dict[str, dict[str, str]]) -> list[str]:
    """Run the probe under every setting; return the problems (two settings with the same numbers)."""
    results, problems = {}, []
    for name, setting in settings.items():
        run = subprocess.run([sys.executable, "-c", PROBE], env=run_env(setting, 0), capture_output=True,
                             text=True, check=True)
        capability, emulated, *digests = run.stdout.split()
        results[name] = tuple(digests)
        print(f"probe {name:9s} ATen {capability:8s} digests {' '.join(digests)}")
        if (emulated == "True") != ("COURSE_WEIGHT_NOISE" in setting):
            loaded = "loaded" if emulated == "True" else "not loaded"
            problems.append(f"{name}: tests/startup/machine_emulation.py was {loaded}:\n{run.stderr}")
        wanted = setting.get("ATEN_CPU_CAPABILITY")
        if wanted and capability.lower() != wanted:
            problems.append(f"{name}: ATen runs {capability}, not {wanted}")
    names = list(results)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            if results[first] == results[second]:
                problems.append(f"{first} and {second} compute the same numbers: the setting changes nothing")
    return problems


def run_notebooks(name: str, setting: dict[str, str], shift: int, notebooks: list[str]) -> dict:
    """nbval over the notebooks under one setting and seed shift; returns the run's summary."""
    label = f"{name}-seed{shift}"
    record = OUT_DIR / label
    for notebook in notebooks:  # forget this run's earlier records of these notebooks, keep the others'
        (record / Path(notebook).relative_to("notebooks").with_suffix(".jsonl")).unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", *notebooks, "-q", "-p", "no:cacheprovider", "--no-header",
               "--durations-min=1000000", "-rf", f"--record-outputs={record}"]
    env = run_env(setting, shift)
    start = time.monotonic()
    run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if run.returncode != 0 and KERNEL_DIED in run.stdout:
        # Jupyter sometimes loses a kernel at start-up (about once in 400 starts here), before any cell
        # ran: that says nothing about the notebooks, so the run is repeated once.
        print(f"{label}: a kernel died at start-up; running it again", flush=True)
        run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    (OUT_DIR / f"{label}.log").write_text(run.stdout + run.stderr, encoding="utf-8")
    failures = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-300:]
    print(f"{label:18s} {seconds:6.0f} s  {summary}", flush=True)
    return {"label": label, "seconds": seconds, "returncode": run.returncode, "summary": summary,
            "failures": failures}


def stored_outputs(path: Path) -> list[list[str]]:
    """What each code cell of a stored notebook printed (its text), indexed as nbval numbers cells."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [["".join(o.get("text") or o.get("data", {}).get("text/plain") or "")
             for o in c.get("outputs", [])] for c in cells if c["cell_type"] == "code"]


def differing_lines(stored: str, runs: dict[str, str]) -> list[tuple[int, str, dict[str, list[str]]]]:
    """Lines that differ between the stored text and any run: (line number, stored line, value -> runs)."""
    stored_lines = stored.splitlines()
    split = {label: text.splitlines() for label, text in runs.items()}
    length = max([len(stored_lines), *map(len, split.values())])
    found = []
    for n in range(length):
        reference = stored_lines[n] if n < len(stored_lines) else ""
        values: dict[str, list[str]] = defaultdict(list)
        for label, lines in split.items():
            values[lines[n] if n < len(lines) else ""].append(label)
        if set(values) != {reference}:
            found.append((n, reference, dict(values)))
    return found


def report(results: list[dict], problems: list[str], notebooks: list[str]) -> str:
    """The markdown report: runs, failures, and every printed line that a run changed."""
    lines = ["# Notebooks on other machines", "", "| run | seconds | result |", "|---|---|---|"]
    lines += [f"| {r['label']} | {r['seconds']:.0f} | {r['summary']} |" for r in results]
    lines += ["", "## Problems", ""]
    lines += [f"- {p}" for p in problems] or ["None."]
    lines += [f"- {r['label']}: {f}" for r in results for f in r["failures"]]
    lines += ["", "## Printed lines that differ from the stored notebooks", ""]
    for path in sorted(REPO.joinpath(n).resolve() for n in notebooks):
        relative = path.relative_to(NOTEBOOK_DIR).with_suffix("")
        stored = stored_outputs(path)
        printed: dict[int, dict[str, str]] = defaultdict(dict)
        for r in results:
            record = OUT_DIR / r["label"] / f"{relative}.jsonl"
            if record.exists():
                for line in record.read_text(encoding="utf-8").splitlines():
                    entry = json.loads(line)
                    printed[entry["cell"]][r["label"]] = "".join(entry["outputs"])
        changed = []
        for cell, runs in sorted(printed.items()):
            for n, reference, values in differing_lines("".join(stored[cell]), runs):
                changed.append(f"- cell {cell}, line {n}: stored `{reference.strip()}`")
                changed += [f"  - `{value.strip()}`: {', '.join(labels)}" for value, labels in values.items()]
        lines += [f"### {relative}", ""] + (changed or ["No printed line differs."]) + [""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: every lab and solutions)")
    parser.add_argument("--settings", help="comma-separated settings (default: all this processor has)")
    parser.add_argument("--shifts", default=",".join(map(str, SHIFTS)), help="comma-separated seed shifts")
    args = parser.parse_args()
    settings = available_settings()
    if args.settings:
        unknown = set(args.settings.split(",")) - set(settings)
        if unknown:
            parser.error(f"unknown or unavailable settings {sorted(unknown)}; "
                         f"this processor has {list(settings)}")
        settings = {name: settings[name] for name in args.settings.split(",")}
    every = [*sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")),
             *sorted(NOTEBOOK_DIR.glob("solutions/[0-9][0-9]_*.ipynb"))]
    notebooks = args.notebooks or [str(path.relative_to(REPO)) for path in every]
    OUT_DIR.mkdir(exist_ok=True)
    print(f"settings on this processor: {', '.join(settings)}; seed shifts {args.shifts}")
    problems = probe(settings) if len(settings) > 1 else []
    results = [run_notebooks(name, setting, int(shift), notebooks)
               for shift in args.shifts.split(",") for name, setting in settings.items()]
    (OUT_DIR / "report.md").write_text(report(results, problems, notebooks), encoding="utf-8")
    failed = [r["label"] for r in results if r["returncode"] != 0]
    print(f"report: {(OUT_DIR / 'report.md').relative_to(REPO)}")
    for problem in problems:
        print("PROBLEM:", problem)
    if failed:
        print("FAILED runs:", ", ".join(failed))
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
