"""tests/run_times.py reads the notebook run times that make test prints."""

import pytest
import run_times

LOG = """
============================== notebook run times ==============================
   2.7 s  (budget 20 s, ok)  notebooks/00_rnn_intro.ipynb
  31.0 s  (budget 30 s, OVER BUDGET)  notebooks/solutions/07_lstm_gru.ipynb
"""


def test_the_times_are_read_from_the_log():
    assert run_times.run_times(LOG) == {"00_rnn_intro.ipynb": 2.7, "solutions/07_lstm_gru.ipynb": 31.0}


def test_a_log_without_times_is_a_clear_error():
    with pytest.raises(ValueError, match="no notebook run times"):
        run_times.run_times("1064 passed")
