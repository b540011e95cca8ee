# Two commands for students (make lab, make test); for teachers and authors make html,
# make test-repeat and make execute. Each creates .venv on first use and installs requirements.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb) $(wildcard notebooks/solutions/[0-9][0-9]_*.ipynb))
# make html writes the offline pages here.
HTML_DIR := html
# Extra flags for JupyterLab, e.g. make lab JUPYTER_ARGS="--no-browser --port=8890"
JUPYTER_ARGS ?=
# Jupyter refuses to start as root (common in containers) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test test-repeat html wheels execute install clean

# The course's models are tiny: one CPU thread per process is as fast as two on an
# idle machine, and does not slow to a crawl when the machine is busy.
test test-repeat execute: export OMP_NUM_THREADS = 1

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT) $(JUPYTER_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Every notebook under nbval three times in a row: no run may depend on what an earlier one left.
test-repeat: $(STAMP)
	for run in 1 2 3; do echo "== run $$run of 3"; $(BIN)/python -m pytest notebooks -q || exit 1; done

# Every executed notebook and its solutions as HTML pages that read without internet, with an index.
html: $(STAMP)
	$(BIN)/python -m course_utils.offline_html $(HTML_DIR)

# For a classroom without internet: download every pinned package once into wheels/, then on each
# machine run PIP_NO_INDEX=1 PIP_FIND_LINKS=wheels make lab (the course itself is installed from .).
wheels: $(STAMP)
	$(BIN)/python -m pip download --quiet --dest wheels \
		$$(grep -v -e '^#' -e '^-e' requirements.txt) pip "setuptools>=68"

# Re-run every notebook in place, top to bottom, with the kernel the tests use,
# so that the stored outputs students read on GitHub are fresh. Coalescing the
# streams keeps only the final state of each progress bar.
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.record_timing=False $(NOTEBOOKS)
	$(BIN)/jupyter nbconvert --to notebook --inplace --coalesce-streams $(NOTEBOOKS)

clean:
	rm -rf $(VENV) $(HTML_DIR) wheels .pytest_cache .ruff_cache
