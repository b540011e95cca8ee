"""Python imports this at start-up when this folder is on PYTHONPATH (the root conftest.py puts it there)."""

import network_guard  # noqa: F401 (importing it blocks the network)
