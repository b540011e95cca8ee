# Two commands for students (make lab, make test) and one for authors (make execute).
# Each creates .venv on first use and installs requirements.txt into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# Extra flags for JupyterLab, e.g. make lab JUPYTER_ARGS="--no-browser --port=8890"
JUPYTER_ARGS ?=
# Jupyter refuses to start as root (common in containers) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test execute install clean

# The course's models are tiny: one CPU thread per process is as fast as two on an
# idle machine, and does not slow to a crawl when the machine is busy.
test execute: export OMP_NUM_THREADS = 1

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

# Re-run every notebook in place, top to bottom, with the kernel the tests use,
# so that the stored outputs students read on GitHub are fresh. Coalescing the
# streams keeps only the final state of each progress bar.
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.record_timing=False $(NOTEBOOKS)
	$(BIN)/jupyter nbconvert --to notebook --inplace --coalesce-streams $(NOTEBOOKS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
