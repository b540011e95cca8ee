"""Nothing the course runs touches the network: the tests run with it blocked, and these prove the block."""

import socket
import subprocess
import sys
import urllib.request

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BLOCKED = "network access is blocked"


def test_the_test_process_cannot_reach_another_machine():
    with pytest.raises(ConnectionError, match=BLOCKED):
        socket.create_connection(("example.com", 80), timeout=1)
    with pytest.raises(OSError, match=BLOCKED):
        urllib.request.urlopen("https://pypi.org/simple/torch/", timeout=1)


def test_this_machine_is_still_reachable():
    """Jupyter talks to its kernels over loopback, so the block must leave it open."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=1):
            pass


def test_a_new_python_process_cannot_reach_another_machine():
    fetch = "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/torch/', timeout=1)"
    run = subprocess.run([sys.executable, "-c", fetch], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and BLOCKED in run.stderr


def test_a_notebook_kernel_cannot_reach_another_machine():
    """nbval's kernels are started the same way: with the block loaded at start-up."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import urllib.request\nurllib.request.urlopen('https://pypi.org/simple/torch/', timeout=1)"
    )])
    client = NotebookClient(notebook, kernel_name="python3", timeout=60)
    with pytest.raises(CellExecutionError, match=BLOCKED):
        client.execute()
