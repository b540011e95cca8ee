"""The environment is pinned: requirements.txt names what the course uses, constraints.txt everything else."""

import re
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*$")


def pins(path: Path) -> dict[str, str]:
    """Package name (normalised) -> version, for every `name==version` line of a requirements file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


REQUIRED, LOCKED = pins(REPO / "requirements.txt"), pins(REPO / "constraints.txt")


def test_requirements_read_the_lock():
    assert "-c constraints.txt" in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()


def test_every_direct_pin_is_in_the_lock_with_the_same_version():
    assert REQUIRED, "requirements.txt pins nothing"
    for name, version in REQUIRED.items():
        locked = LOCKED.get(name)
        assert locked == version, f"{name}=={version} in requirements.txt, {locked} in constraints.txt"


def test_the_lock_pins_what_the_direct_pins_pull_in():
    assert len(LOCKED) > 3 * len(REQUIRED), f"only {len(LOCKED)} pins: run make lock"
    for name in ("jinja2", "pyzmq", "tornado", "sympy"):  # pulled in by nbconvert, ipykernel, jupyter, torch
        assert name in LOCKED, f"{name} is not pinned in constraints.txt: run make lock"


def test_the_lock_fits_every_machine():
    text = (REPO / "constraints.txt").read_text(encoding="utf-8")
    assert not re.search(r"==\S*\+", text), "a local build label (like +cpu) exists on one machine only"
    assert "file://" not in text and "/work/" not in text, "no paths of the machine that wrote the lock"


def test_the_installed_packages_are_the_locked_ones():
    installed = {re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower(): dist.version
                 for dist in metadata.distributions()}
    wrong = {name: (installed[name], version) for name, version in LOCKED.items()
             if name in installed and installed[name].split("+")[0] != version}
    assert not wrong, f"installed (left) differs from constraints.txt (right): {wrong}; run make install"
