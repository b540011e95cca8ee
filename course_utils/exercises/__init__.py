"""Self-checks for the exercises at the end of every lab.

Each lab has a module, ``lab00`` to ``lab08``, with one ``check_...`` function
per exercise whose answer can be checked: a number, a shape, a function, a
trained model. A notebook imports its lab's module in the exercises section::

    from course_utils.exercises import lab00
    lab00.check_rnn_parameter_count(my_answer)

A check returns a :class:`CheckResult` that Jupyter shows as one line: correct,
not yet (with a hint about what is wrong, never the answer), or no answer yet.
Worked solutions are in ``notebooks/solutions/``.
"""

from course_utils.exercises.checking import CheckResult

__all__ = ["CheckResult"]
