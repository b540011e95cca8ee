import subprocess
import sys
from pathlib import Path

import pytest

from course_utils import course_root, data_path, image_path

REPO = Path(__file__).resolve().parent.parent


def test_root_is_the_repository():
    assert course_root() == REPO


def test_folders_without_arguments():
    assert data_path() == REPO / "data"
    assert image_path() == REPO / "image"


def test_existing_files_are_found():
    assert data_path("README.md").is_file()


def test_missing_file_lists_what_exists():
    with pytest.raises(FileNotFoundError, match=r"data/nope\.csv does not exist.*README\.md"):
        data_path("nope.csv")


def test_found_from_any_working_directory(tmp_path):
    code = "from course_utils import data_path; print(data_path('README.md'))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert Path(result.stdout.strip()) == REPO / "data" / "README.md"
