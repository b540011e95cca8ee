import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def load_script():
    spec = importlib.util.spec_from_file_location("draw_diagrams", REPO / "image" / "draw_diagrams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Drawing every diagram takes about 4 s: it runs in make test-site (the pages show these diagrams).
@pytest.mark.site
def test_script_draws_every_diagram(tmp_path):
    written = load_script().main(tmp_path)
    expected = {"rnn_unrolled.png", "rnn_cell.png", "rnn_patterns.png", "seq2seq.png", "packing.png",
                "lstm_gru.png", "attention.png", "rnn_layers_directions.png", "window_rebuild.png",
                "lstm_gates.png", "lstm_gradient_path.png", "detach_cut.png"}
    assert {p.name for p in written} == expected
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
        assert path.stat().st_size > 10_000, f"{path.name} looks empty"


def test_committed_diagrams_come_from_the_script():
    names = set(load_script().DIAGRAMS)
    committed = {p.name for p in (REPO / "image").glob("*.png")}
    assert committed == names, "every PNG in image/ should be drawn by image/draw_diagrams.py"
