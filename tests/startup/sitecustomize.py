"""Python imports this at start-up when this folder is on PYTHONPATH (the Makefile's test targets and the
root conftest.py put it there)."""

import os
import sys

import network_guard  # noqa: F401 (importing it blocks the network)

# jsonschema (which nbformat and Jupyter use) imports rfc3987_syntax when it is installed, to check one
# rare string format ("iri") that nothing here uses; building its parsers takes about 2.5 s in every test
# process. Marking it missing makes jsonschema skip that check, as it does on machines without the package.
sys.modules.setdefault("rfc3987_syntax", None)

if os.environ.get("COURSE_SEED_SHIFT") or os.environ.get("COURSE_WEIGHT_NOISE"):
    import machine_emulation  # noqa: F401 (importing it applies the settings)
