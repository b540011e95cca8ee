"""Shared plumbing for the course "Recurrent Neural Networks with PyTorch".

Only things a student has already seen written out once live here: picking a
device, seeding, character and word vocabularies, sliding windows, a training
loop with a progress bar, a loss plot, an accuracy score, a checked loader of
daily stock prices, and paths to the course's ``data/`` and ``image/``
folders, and the language the self-checks answer in. The models a lab is
about stay in the lab's notebook.
"""

from course_utils.device import get_device, seed_everything
from course_utils.language import set_language
from course_utils.ohlcv import load_ohlcv
from course_utils.paths import course_root, data_path, image_path
from course_utils.training import accuracy, plot_losses, train_loop
from course_utils.vocab import CharVocab
from course_utils.windows import sliding_windows
from course_utils.word_vocab import WordVocab

__all__ = [
    "CharVocab",
    "WordVocab",
    "accuracy",
    "course_root",
    "data_path",
    "get_device",
    "image_path",
    "load_ohlcv",
    "plot_losses",
    "seed_everything",
    "set_language",
    "sliding_windows",
    "train_loop",
]
