"""Build the course site: every executed notebook as a page, read offline in any browser.

``make html`` runs ``python -m course_utils.course_site html``. Sphinx, with MyST-NB and the book
theme (the stack of Jupyter Book 1), renders the stored outputs without executing anything; the
configuration is ``course_utils/site/conf.py``.

What this module adds to the generator is only what it cannot do itself:

- it stages the sources in a temporary folder: the configuration, the README as the home page
  (``index.html`` leads to it) with the labs and their solutions listed in the sidebar in lab order,
  the notebooks, and the diagrams in ``image/``;
- it builds the site twice: in English, and in Korean into its ``ko/`` folder (``README.ko.md`` and
  ``notebooks/ko/``), each page with a link to the same page in the other language;
- it copies the one MathJax 3 component the pages use (``tex-svg.js``, with the TeX extensions it may
  load) from the ``sphinx-mathjax-offline`` package, instead of that package's whole 24 MB folder.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

from course_utils.paths import course_root, numbered_notebooks

SITE_CONFIG = Path(__file__).resolve().parent / "site"


def _toctree(caption: str, documents: list[str]) -> str:
    lines = "\n".join(documents)
    return f"\n```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{lines}\n```\n"


def _mathjax_folder() -> Path:
    spec = find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is not installed: run make html, which installs it")
    return Path(spec.origin).parent / "static" / "mathjax"


#: Per language: the home page, the notebooks' folder, the sidebar's captions, and the site's title.
LANGUAGES = {
    "en": ("README", "notebooks", ("Labs", "Worked solutions"), "RNNs with PyTorch"),
    "ko": ("README.ko", "notebooks/ko", ("실습", "풀이"), "PyTorch로 배우는 순환 신경망"),
}


def stage_sources(source: Path, root: Path, language: str = "en") -> None:
    """Write into ``source`` the configuration and the pages' sources, diagrams and MathJax."""
    home_name, folder, (labs_caption, solutions_caption), _ = LANGUAGES[language]
    notebooks = root / folder
    labs, solutions = numbered_notebooks(notebooks), numbered_notebooks(notebooks / "solutions")
    if not labs:
        raise ValueError(f"no numbered notebook (00_….ipynb) in {notebooks}: nothing to build")
    (source / folder / "solutions").mkdir(parents=True)
    for notebook in labs:
        shutil.copy2(notebook, source / folder / notebook.name)
    for notebook in solutions:
        shutil.copy2(notebook, source / folder / "solutions" / notebook.name)
    shutil.copytree(root / "image", source / "image", ignore=shutil.ignore_patterns("*.py"))
    # The README is the home page (README.html; index.html leads there), so links to it from a notebook work.
    home = (root / f"{home_name}.md").read_text(encoding="utf-8")
    # A link to the README of the other language leads to its page there (ko/ is inside the English site).
    other_readme, other_page = ("README.ko.md", "ko/README.ko.html") if language == "en" else (
        "README.md", "../README.html")
    home = re.sub(rf"\[([^\]]+)\]\({re.escape(other_readme)}(#[^)]*)?\)",
                  lambda link: f'<a href="{other_page}{link.group(2) or ""}">{link.group(1)}</a>', home)
    home += _toctree(labs_caption, [f"{folder}/{n.stem}" for n in labs])
    home += _toctree(solutions_caption, [f"{folder}/solutions/{n.stem}" for n in solutions])
    glossary = notebooks / "GLOSSARY.md"
    if glossary.exists():  # the Korean edition's terms: a page of its site
        shutil.copy2(glossary, source / folder / glossary.name)
        home += _toctree("용어집", [f"{folder}/GLOSSARY"])
    (source / f"{home_name}.md").write_text(home, encoding="utf-8")
    shutil.copytree(SITE_CONFIG, source, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    mathjax, copy = _mathjax_folder(), source / "_static" / "mathjax"
    copy.mkdir(parents=True)
    extensions = Path("input") / "tex" / "extensions"  # what tex-svg.js loads when a formula needs it
    shutil.copy2(mathjax / "tex-svg.js", copy / "tex-svg.js")
    shutil.copytree(mathjax / extensions, copy / extensions)


def _build(root: Path, language: str, staging: Path) -> Path:
    """Build one language's site inside ``staging`` and return its folder."""
    home_name, _, _, title = LANGUAGES[language]
    source = staging / language / "source"
    stage_sources(source, root, language)
    # Built inside the staging folder, then moved: MyST-NB writes a jupyter_execute/ folder beside
    # the build folder, which must not land beside the reader's output folder.
    built = staging / language / "build" / "html"
    settings = [f"course_language={language}", f"language={language}", f"root_doc={home_name}",
                f"html_title={title}"]
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *(f"-D{s}" for s in settings),
               "-d", str(staging / language / "doctrees"), str(source), str(built)]
    subprocess.run(command, check=True)
    (built / ".buildinfo").unlink(missing_ok=True)
    return built


def build_site(output: Path, root: Path | None = None) -> Path:
    """Build the site into ``output`` (replaced if it exists), the Korean one into ``output/ko``.

    Returns:
        The path of the English home page.
    """
    root = course_root() if root is None else root
    output = Path(output).resolve()
    with tempfile.TemporaryDirectory() as staging:
        english = _build(root, "en", Path(staging))
        if (root / "notebooks" / "ko").is_dir():
            shutil.move(_build(root, "ko", Path(staging)), english / "ko")
        if output.exists():
            shutil.rmtree(output)
        shutil.move(english, output)
    return output / "index.html"


def main() -> None:
    """Command line: ``python -m course_utils.course_site OUTPUT_DIR``."""
    if len(sys.argv) != 2:
        sys.exit("usage: python -m course_utils.course_site OUTPUT_DIR")
    home = build_site(Path(sys.argv[1]))
    print(f"Open {home} in a browser: it reads without internet.")


if __name__ == "__main__":
    main()
