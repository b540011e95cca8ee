"""Paths to the course's folders that work from any working directory."""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def course_root() -> Path:
    """Return the course's top folder, the one holding ``data/`` and ``image/``.

    The package is installed editable from the course folder, so the folder
    that holds ``course_utils/`` is the course root wherever Python was started.

    Raises:
        FileNotFoundError: the package was copied away from the course folder.
    """
    root = _PACKAGE_DIR.parent
    if not (root / "data").is_dir():
        raise FileNotFoundError(
            f"No data/ folder beside course_utils/ in {root}. Install the course with "
            f"'pip install -e .' from its folder (make lab does this) "
            f"instead of copying the package."
        )
    return root


def _existing(folder: str, parts: tuple[str, ...]) -> Path:
    base = course_root() / folder
    path = base.joinpath(*parts)
    if not path.exists():
        available = sorted(p.name for p in base.iterdir() if not p.name.startswith("."))
        raise FileNotFoundError(
            f"{folder}/{'/'.join(parts)} does not exist. Files in {folder}/: {available}"
        )
    return path


def data_path(*parts: str) -> Path:
    """Return the path of a file in ``data/``; with no argument, the folder itself.

    Args:
        *parts: Path components below ``data/``, e.g. ``data_path("prices.csv")``.

    Raises:
        FileNotFoundError: the file does not exist; the message lists what does.
    """
    return _existing("data", parts)


def image_path(*parts: str) -> Path:
    """Return the path of a file in ``image/``; with no argument, the folder itself.

    Args:
        *parts: Path components below ``image/``, e.g. ``image_path("rnn_cell.png")``.

    Raises:
        FileNotFoundError: the file does not exist; the message lists what does.
    """
    return _existing("image", parts)


def numbered_notebooks(folder: Path) -> list[Path]:
    """The course's notebooks in ``folder`` (``00_rnn_intro.ipynb`` ...), in lab order; not its subfolders."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))
