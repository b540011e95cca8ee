"""Shared plumbing for the course "Recurrent Neural Networks with PyTorch".

Only things a student has already seen written out once live here: picking a
device, seeding, a character vocabulary, sliding windows, a training loop
with a progress bar, a loss plot, an accuracy score, and paths to the
course's ``data/`` and ``image/`` folders. The models a lab is about stay in
the lab's notebook.
"""

from course_utils.device import get_device, seed_everything
from course_utils.paths import course_root, data_path, image_path
from course_utils.training import accuracy, plot_losses, train_loop
from course_utils.vocab import CharVocab
from course_utils.windows import sliding_windows

__all__ = [
    "CharVocab",
    "accuracy",
    "course_root",
    "data_path",
    "get_device",
    "image_path",
    "plot_losses",
    "seed_everything",
    "sliding_windows",
    "train_loop",
]
